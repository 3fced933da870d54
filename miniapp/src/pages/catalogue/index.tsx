// 办事: 个人 and 法人 matters, themes, and a search that waits for the citizen to pause typing
// (one request, not one per keystroke) and understands everyday words (synonyms on the BFF).
import Taro from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, ItemPage } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { EmptyState, ErrorState, Loading, PageShell, Tag } from '../../components/PageShell';
import { useDebounced } from '../../hooks/useDebounced';
import { useRequest } from '../../hooks/useRequest';
import { LEGAL_THEMES, PERSONAL_THEMES, takeCatalogueQuery } from '../../lib/catalogue-query';
import './index.css';

const DEPARTMENTS = [
  { code: '', name: '全部部门' },
  { code: 'GAJ', name: '公安' },
  { code: 'RSJ', name: '人社' },
  { code: 'YBJ', name: '医疗保障' },
  { code: 'MZJ', name: '民政' },
  { code: 'CLH', name: '残联' },
  { code: 'WJJ', name: '卫生健康' },
  { code: 'JYJ', name: '教育' },
  { code: 'GJJ', name: '住房公积金' },
  { code: 'ZRJ', name: '不动产登记' },
  { code: 'SJJ', name: '市场监管' },
];

type Audience = 'personal' | 'legal';
const AUDIENCES: { code: Audience; name: string }[] = [
  { code: 'personal', name: '个人办事' },
  { code: 'legal', name: '法人办事' },
];

const isLegal = (themes: string[]) => themes.some((t) => LEGAL_THEMES.includes(t));

export default function Catalogue() {
  const [q, setQ] = useState('');
  const [audience, setAudience] = useState<Audience>('personal');
  const [theme, setTheme] = useState('');
  const [department, setDepartment] = useState(0);
  const [allThemes, setAllThemes] = useState(false);
  const [hall, setHall] = useState(0);
  const halls = useRequest(
    () => request<{ halls: Hall[] }>('GET', '/halls', { query: { level: 'district' }, silent: true }),
    [],
  );
  const hallOptions = [{ id: '', name: '全部大厅' }, ...(halls.data?.halls ?? [])];
  const term = useDebounced(q.trim(), 300);
  Taro.useDidShow(() => {
    const handed = takeCatalogueQuery();
    if (!handed) return;
    setQ(handed.q ?? '');
    if (handed.audience) setAudience(handed.audience);
    setTheme(handed.theme ?? '');
  });
  // Every item fits one page (the centre publishes tens, not thousands): the 个人/法人 split is
  // made here from the themes, the rest by the BFF.
  const items = useRequest(
    () =>
      request<Static<typeof ItemPage>>('GET', '/items', {
        query: {
          q: term || undefined,
          theme: theme || undefined,
          department: DEPARTMENTS[department].code || undefined,
          hallId: hallOptions[hall]?.id || undefined,
          pageSize: 50,
        },
        silent: true,
      }),
    [term, theme, department, hall, halls.data],
  );
  const themes = audience === 'legal' ? LEGAL_THEMES : PERSONAL_THEMES;
  // A search looks across both audiences: the citizen may not know which one a matter is.
  const shown = (items.data?.items ?? []).filter(
    (item) => term || theme || isLegal(item.themes) === (audience === 'legal'),
  );

  return (
    <PageShell>
      <Input
        className="input search-input"
        placeholder="搜索事项名称、编码或关键词"
        aria-label="搜索事项"
        value={q}
        onInput={(e) => setQ(e.detail.value)}
        confirmType="search"
      />
      <View className="audience-tabs" role="tablist">
        {AUDIENCES.map((a) => (
          <View
            key={a.code}
            className={`audience-tab audience-${a.code} ${audience === a.code ? 'active' : ''}`}
            role="tab"
            aria-selected={audience === a.code}
            onClick={() => (setAudience(a.code), setTheme(''))}
          >
            <Text>{a.name}</Text>
          </View>
        ))}
      </View>
      <View className="themes">
        <Text className={`chip theme-chip ${theme === '' ? 'active' : ''}`} onClick={() => setTheme('')}>
          全部主题
        </Text>
        {(allThemes ? themes : themes.slice(0, 5)).map((t) => (
          <Text
            key={t}
            className={`chip theme-chip ${theme === t ? 'active' : ''}`}
            onClick={() => setTheme(theme === t ? '' : t)}
          >
            {t}
          </Text>
        ))}
        {themes.length > 5 ? (
          <Text className="chip more-themes" onClick={() => setAllThemes(!allThemes)}>
            {allThemes ? '收起' : `更多主题 ▾`}
          </Text>
        ) : null}
      </View>
      <View className="row filters">
        <Picker
          mode="selector"
          range={DEPARTMENTS.map((d) => d.name)}
          value={department}
          onChange={(e) => setDepartment(Number(e.detail.value))}
        >
          <Text className="chip filter-department">{DEPARTMENTS[department].name} ▾</Text>
        </Picker>
        <Picker
          mode="selector"
          range={hallOptions.map((h) => h.name)}
          value={hall}
          onChange={(e) => setHall(Number(e.detail.value))}
        >
          <Text className="chip filter-hall">{hallOptions[hall]?.name ?? '全部大厅'} ▾</Text>
        </Picker>
      </View>
      {items.loading && !items.data ? <Loading /> : null}
      {items.error ? <ErrorState error={items.error} onRetry={items.reload} /> : null}
      {items.data && !items.error ? (
        <View>
          {items.data.cache.stale ? (
            <Text className="muted block">
              业务系统暂时不可用，显示的是 {items.data.cache.cachedAt.slice(0, 16).replace('T', ' ')} 的信息
            </Text>
          ) : null}
          <Text className="muted result-count block">共 {shown.length} 项</Text>
          {shown.length === 0 ? <EmptyState text="没有找到相关事项，换个关键词试试" /> : null}
          {shown.map((item) => (
            <View
              key={item.code}
              className="card card-link item-card"
              role="link"
              onClick={() => void Taro.navigateTo({ url: `/pages/item/index?code=${item.code}` })}
            >
              <Text className="title item-name">{item.name}</Text>
              <Text className="muted block">{item.department}</Text>
              <View className="item-tags">
                <Tag>{item.approvalType === 'immediate' ? '即办件' : `承诺${item.promisedDays}个工作日`}</Tag>
                <Tag tone={item.visits === 0 ? 'success' : 'neutral'}>
                  {item.visits === 0 ? '零跑腿' : '最多跑一次'}
                </Tag>
                {isLegal(item.themes) ? <Tag tone="neutral">法人</Tag> : null}
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}
