// The message centre: every notice the citizen was sent, newest first; opening one marks it read.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Message } from '@onewindow/shared-types';
import { request } from '../../api/client';
import { loadSession } from '../../api/session-store';
import { EmptyState, PageShell, PendingPage, SignInState } from '../../components/PageShell';
import { ready, useRequest } from '../../hooks/useRequest';
import { shanghaiMinute } from '../../lib/shanghai-time';

export default function Messages() {
  const page = useRequest(
    () =>
      request<{ messages: Message[]; unread: number; total: number }>('GET', '/messages', {
        query: { pageSize: 50 },
        silent: true,
      }),
    [],
  );
  Taro.useDidShow(() => page.reload());
  if (!loadSession())
    return (
      <PageShell>
        <SignInState text="登录后查看办件进度、预约提醒等消息" />
      </PageShell>
    );
  if (!ready(page)) return <PendingPage state={page} />;
  const open = async (m: Message) => {
    if (!m.read) await request('POST', `/messages/${m.id}/read`, { silent: true }).catch(() => undefined);
    if (m.link) void Taro.navigateTo({ url: m.link });
    else page.reload();
  };
  return (
    <PageShell>
      <Text className="muted unread-count block">未读 {page.data.unread} 条</Text>
      {page.data.messages.length === 0 ? <EmptyState text="暂无消息" /> : null}
      {page.data.messages.map((m) => (
        <View key={m.id} className="card message" onClick={() => void open(m)}>
          <View className="row">
            <Text className={m.read ? 'message-title' : 'message-title strong'}>
              {m.read ? '' : '● '}
              {m.title}
            </Text>
            <Text className="muted">{shanghaiMinute(m.createdAt).slice(5)}</Text>
          </View>
          <Text className="muted block">{m.body}</Text>
        </View>
      ))}
    </PageShell>
  );
}
