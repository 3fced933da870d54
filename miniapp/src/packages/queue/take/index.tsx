// Take a number before leaving home: the hall, then the line, with how many wait and how long.
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Hall, QueueList, Ticket } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { loginWithWechat } from '../../../api/login';
import { loadSession } from '../../../api/session-store';
import { HallPicker } from '../../../components/HallPicker';
import { ErrorState, Loading, PageShell } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { askConsent, templateIds } from '../../../lib/subscribe';
import '../queue.css';

function Lines({ hall, onBack }: { hall: Hall; onBack: () => void }) {
  const lines = useRequest(() => request<Static<typeof QueueList>>('GET', `/halls/${hall.id}/queues`, { silent: true }), [hall.id]);
  const [busy, setBusy] = useState(false);
  const [template, setTemplate] = useState<string | undefined>();
  useEffect(() => {
    void templateIds().then((ids) => setTemplate(ids.queueCalled));
  }, []);
  const take = async (category: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await askConsent(template ? [template] : []);
      if (!loadSession()) await loginWithWechat();
      const ticket = await request<Ticket>('POST', `/halls/${hall.id}/tickets`, { body: { category }, silent: true });
      Taro.setStorageSync(LAST_TICKET_KEY, ticket.id);
      void Taro.redirectTo({ url: `/packages/queue/ticket/index?id=${ticket.id}` });
    } catch (error) {
      await Taro.showModal({ title: '取号未成功', content: error instanceof ApiError ? error.message : '网络连接失败，请检查网络后重试', showCancel: false });
      lines.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <View>
      <Text className='tag back-to-halls' onClick={onBack}>‹ 重新选择大厅</Text>
      <Text className='title'>{hall.name}</Text>
      {lines.loading ? <Loading /> : null}
      {lines.error ? <ErrorState error={lines.error} onRetry={lines.reload} /> : null}
      {lines.data && !lines.data.open ? <Text className='muted' style={{ display: 'block' }}>大厅当前不在办公时间，请在办公时间内取号</Text> : null}
      {lines.data?.queues.map((q) => (
        <View key={q.category} className='card queue-row queue-line'>
          <View>
            <Text className='line-name' style={{ display: 'block', fontWeight: 600 }}>{q.name}（{q.prefix}）</Text>
            <Text className='muted'>等候 {q.waiting} 人 · 约 {q.etaMinutes} 分钟 · {q.openWindows} 个窗口</Text>
          </View>
          <Button className='btn btn-primary take-button' size='mini' disabled={!lines.data?.open} onClick={() => void take(q.category)}>
            取号
          </Button>
        </View>
      ))}
    </View>
  );
}

/** The number taken last on this phone, so the citizen finds it again after closing the app. */
const LAST_TICKET_KEY = 'onewindow.lastTicket';

function LastTicket() {
  const id = Taro.getStorageSync<string>(LAST_TICKET_KEY);
  const last = useRequest(() => (id && loadSession() ? request<Ticket>('GET', `/tickets/${id}`, { silent: true }) : Promise.resolve(null)), [id]);
  const ticket = last.data;
  if (!ticket || !['waiting', 'called', 'serving'].includes(ticket.status)) return null;
  return (
    <View className='card row last-ticket' onClick={() => void Taro.navigateTo({ url: `/packages/queue/ticket/index?id=${ticket.id}` })}>
      <Text>您的排队号 {ticket.number}（{ticket.hallName}）</Text>
      <Text className='muted'>查看 ›</Text>
    </View>
  );
}

export default function TakeNumber() {
  const [hall, setHall] = useState<Hall | null>(null);
  return (
    <PageShell>
      <LastTicket />
      {hall ? <Lines hall={hall} onBack={() => setHall(null)} /> : <HallPicker onChoose={setHall} emptyText='没有找到大厅' />}
    </PageShell>
  );
}
