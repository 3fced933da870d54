// My number: position, estimate and status, updating live; the window when called; cancel;
// rejoin once after being skipped.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Ticket } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { ErrorState, Loading, PageShell, Button } from '../../../components/PageShell';
import { RatePrompt } from '../../../components/RatingQr';
import { ActingBanner } from '../../../components/ActingBanner';
import { actingHeaders } from '../../../lib/acting';
import { useRequest } from '../../../hooks/useRequest';
import { watchTicket } from '../../../lib/ticket-watch';
import '../queue.css';

const STATUS = {
  waiting: '排队中',
  called: '正在叫号',
  serving: '办理中',
  done: '已办结',
  skipped: '已过号',
  cancelled: '已取消',
} as const;
const PRIORITY = {
  booking: '预约优先',
  elderly: '绿色通道（老年人）',
  disabled: '绿色通道（残疾人）',
  pregnant: '绿色通道（孕妇）',
  military: '绿色通道（军人）',
} as const;

export default function MyTicket() {
  const id = Taro.getCurrentInstance().router?.params.id ?? '';
  const first = useRequest(
    () =>
      request<Ticket>('GET', `/tickets/${encodeURIComponent(id)}`, {
        silent: true,
        headers: actingHeaders(),
      }),
    [id],
  );
  const [live, setLive] = useState<Ticket | null>(null);
  // Watch only while the page is on screen: a hidden page (another page on top, the app in the
  // background) neither polls nor holds a stream open; coming back resumes with a fresh read.
  const [shown, setShown] = useState(true);
  Taro.useDidShow(() => setShown(true));
  Taro.useDidHide(() => setShown(false));
  useEffect(() => (shown ? watchTicket(id, setLive) : undefined), [id, shown]);
  const ticket = live ?? first.data;
  if (!ticket && first.loading)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );
  if (!ticket)
    return (
      <PageShell>
        <ErrorState error={first.error!} onRetry={first.reload} />
      </PageShell>
    );

  const act = async (path: 'cancel' | 'rejoin') => {
    if (path === 'cancel') {
      const { confirm } = await Taro.showModal({
        title: '取消排队',
        content: `确定放弃 ${ticket.number} 吗？`,
        confirmText: '确定取消',
        cancelText: '继续排队',
      });
      if (!confirm) return;
    }
    const next = await request<Ticket>('POST', `/tickets/${ticket.id}/${path}`, {
      headers: actingHeaders(),
    }).catch(() => null);
    if (next) setLive(next);
  };

  return (
    <PageShell>
      <ActingBanner />
      {ticket.actedByName ? (
        <Text className="muted block acted-by">{`由 ${ticket.actedByName} 代办取号`}</Text>
      ) : null}
      <View className="card">
        <Text className="muted">
          {ticket.hallName} · {ticket.categoryName}
        </Text>
        <Text className="queue-number">{ticket.number}</Text>
        <View className="row">
          <Text className="ticket-status">{STATUS[ticket.status]}</Text>
          {ticket.priority ? <Text className="tag">{PRIORITY[ticket.priority]}</Text> : null}
        </View>
        {ticket.window && ticket.status === 'called' ? (
          <Text className="queue-call">请到 {ticket.window.name} 办理</Text>
        ) : null}
        {ticket.status === 'waiting' ? (
          <View className="queue-facts">
            <View>
              <Text className="queue-fact-value ticket-ahead">{ticket.ahead}</Text>
              <Text className="muted">前面等候（人）</Text>
            </View>
            <View>
              <Text className="queue-fact-value ticket-eta">{ticket.etaMinutes}</Text>
              <Text className="muted">预计等候（分钟）</Text>
            </View>
          </View>
        ) : null}
      </View>
      {ticket.status === 'waiting' ? (
        <Text className="muted block">前面还剩3人时会提醒您，请留意消息。</Text>
      ) : null}
      {ticket.status === 'done' ? (
        <RatePrompt
          kind="primary"
          target={{ ticketId: ticket.id }}
          title="业务已办结，请为本次服务评价"
          action="评价本次服务"
        />
      ) : null}
      {ticket.canRejoin ? (
        <Button className="btn btn-primary rejoin-button" onClick={() => void act('rejoin')}>
          我已到达，重新排队（仅一次）
        </Button>
      ) : null}
      {ticket.status === 'waiting' || ticket.status === 'skipped' ? (
        <Button className="btn btn-secondary cancel-ticket" onClick={() => void act('cancel')}>
          取消排队
        </Button>
      ) : null}
    </PageShell>
  );
}
