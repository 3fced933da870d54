import Taro from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, ItemPage } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { EmptyState, ErrorState, Loading, PageShell } from '../../components/PageShell';
import { useRequest } from '../../hooks/useRequest';

const DEPARTMENTS = [
  { code: '', name: '全部部门' },
  { code: 'WJJ', name: '卫生健康' },
  { code: 'CLH', name: '残联' },
  { code: 'YBJ', name: '医疗保障' },
  { code: 'MZJ', name: '民政' },
  { code: 'SJJ', name: '市场监管' },
  { code: 'ZRJ', name: '不动产登记' },
  { code: 'GJJ', name: '住房公积金' },
  { code: 'JYJ', name: '教育' },
  { code: 'RSJ', name: '人社' },
];

export default function Catalogue() {
  const [q, setQ] = useState('');
  const [department, setDepartment] = useState(0);
  const [hall, setHall] = useState(0);
  const halls = useRequest(() => request<{ halls: Hall[] }>('GET', '/halls', { query: { level: 'district' }, silent: true }), []);
  const hallOptions = [{ id: '', name: '全部大厅' }, ...(halls.data?.halls ?? [])];
  const items = useRequest(
    () => request<Static<typeof ItemPage>>('GET', '/items', { query: { q: q.trim() || undefined, department: DEPARTMENTS[department].code || undefined, hallId: hallOptions[hall]?.id || undefined, pageSize: 50 }, silent: true }),
    [q, department, hall, halls.data],
  );

  return (
    <PageShell>
      <Input className='input search-input' placeholder='搜索事项名称、编码或关键词' value={q} onInput={(e) => setQ(e.detail.value)} confirmType='search' />
      <View className='row filters'>
        <Picker mode='selector' range={DEPARTMENTS.map((d) => d.name)} value={department} onChange={(e) => setDepartment(Number(e.detail.value))}>
          <Text className='tag filter-department'>{DEPARTMENTS[department].name} ▾</Text>
        </Picker>
        <Picker mode='selector' range={hallOptions.map((h) => h.name)} value={hall} onChange={(e) => setHall(Number(e.detail.value))}>
          <Text className='tag filter-hall'>{hallOptions[hall]?.name ?? '全部大厅'} ▾</Text>
        </Picker>
      </View>
      {items.loading && !items.data ? <Loading /> : null}
      {items.error ? <ErrorState error={items.error} onRetry={items.reload} /> : null}
      {items.data && !items.error ? (
        <View>
          {items.data.cache.stale ? <Text className='muted'>业务系统暂时不可用，显示的是 {items.data.cache.cachedAt.slice(0, 16).replace('T', ' ')} 的信息</Text> : null}
          <Text className='muted result-count'>共 {items.data.total} 项</Text>
          {items.data.items.length === 0 ? <EmptyState text='没有找到相关事项，换个关键词试试' /> : null}
          {items.data.items.map((item) => (
            <View key={item.code} className='card item-card' onClick={() => void Taro.navigateTo({ url: `/pages/item/index?code=${item.code}` })}>
              <Text className='title item-name'>{item.name}</Text>
              <Text className='muted'>{item.department}</Text>
              <View>
                <Text className='tag'>{item.approvalType === 'immediate' ? '即办件' : `承诺${item.promisedDays}个工作日`}</Text>
                <Text className='tag'>{item.visits === 0 ? '零跑腿' : '最多跑一次'}</Text>
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}
