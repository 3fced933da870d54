// Staff messages: deadline warnings (task_warning) and reminders from supervisors. Opening one
// marks it read and goes to its link: 待办, where the case's task is listed with its warning (the
// core system's supervision list has no task id to open the task itself).
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Static } from '@sinclair/typebox';
import type { MessagePage } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading, Tag } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { shanghaiMinute } from '../../../lib/shanghai-time';
import { StaffShell } from '../shell';

type Page = Static<typeof MessagePage>;
const KIND_NAMES: Record<string, string> = { task_warning: '时限预警', task_reminder: '督办' };

export default function StaffMessages() {
  const list = useRequest(
    () => request<Page>('GET', '/messages', { query: { pageSize: 50 }, silent: true }),
    [],
  );
  useDidShow(() => list.reload());
  usePullDownRefresh(() => {
    list.reload();
    Taro.stopPullDownRefresh();
  });
  const open = async (message: Page['messages'][number]) => {
    if (!message.read)
      await request('POST', `/messages/${message.id}/read`, { silent: true }).catch(() => undefined);
    if (message.link) void Taro.navigateTo({ url: message.link });
    else list.reload();
  };
  return (
    <StaffShell tab="messages">
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <Text className="muted block staff-unread">
          {list.data.unread > 0 ? `${list.data.unread} 条未读` : '全部已读'}
        </Text>
      ) : null}
      {list.data && list.data.messages.length === 0 ? <EmptyState text="暂无工作消息" /> : null}
      {list.data?.messages.map((m) => (
        <View
          key={m.id}
          className={`card card-link staff-message ${m.read ? '' : 'staff-message-unread'}`}
          role="button"
          {...({ tabIndex: 0 } as object)}
          onClick={() => void open(m)}
        >
          <View className="card-head">
            <Text className="title">
              {m.read ? '' : '● '}
              {m.title}
            </Text>
            <Tag tone={m.kind === 'task_warning' || m.kind === 'task_reminder' ? 'warning' : 'info'}>
              {KIND_NAMES[m.kind] ?? '通知'}
            </Tag>
          </View>
          <Text className="block">{m.body}</Text>
          <Text className="muted block">
            {shanghaiMinute(m.createdAt)}
            {m.read ? ' · 已读' : ' · 未读'}
          </Text>
        </View>
      ))}
    </StaffShell>
  );
}
