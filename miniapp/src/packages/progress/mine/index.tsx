// Every case of the signed-in citizen, found through their real-name identity.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Static } from '@sinclair/typebox';
import type { CaseList } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading, PageShell, Button, Tag } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { actionBadge, dayBefore } from '../case-words';
import '../progress.css';

export default function MyCases() {
  const list = useRequest(() => request<Static<typeof CaseList>>('GET', '/cases', { silent: true }), []);
  if (list.loading)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );
  if (list.error?.code === 'REALNAME_REQUIRED') {
    return (
      <PageShell>
        <EmptyState text="完成实名认证后，可查看本人全部办件" />
        <Button className="btn btn-primary" onClick={() => void Taro.switchTab({ url: '/pages/me/index' })}>
          去实名认证
        </Button>
      </PageShell>
    );
  }
  if (list.error || !list.data)
    return (
      <PageShell>
        <ErrorState error={list.error!} onRetry={list.reload} />
      </PageShell>
    );
  return (
    <PageShell>
      {list.data.stale ? (
        <Text className="stale-note">业务系统暂时不可用，显示的是最近一次的信息</Text>
      ) : null}
      {list.data.cases.length === 0 ? <EmptyState text="没有找到您的办件" /> : null}
      {list.data.cases.map((c) => (
        <View
          key={c.acceptNo}
          className="card case-card"
          onClick={() =>
            void Taro.navigateTo({ url: `/packages/progress/case/index?acceptNo=${c.acceptNo}` })
          }
        >
          <View className="row">
            <Text className="strong">{c.itemName}</Text>
            <Tag tone={actionBadge(c).tone} className="case-badge">
              {actionBadge(c).text}
            </Tag>
          </View>
          <Text className="muted block">
            {c.statusLabel} · 受理编号 {c.acceptNo}
          </Text>
          {!['completed', 'delivered', 'rejected'].includes(c.status) ? (
            <Text className="muted block">{dayBefore(c.dueAt)}前办结</Text>
          ) : null}
        </View>
      ))}
    </PageShell>
  );
}
