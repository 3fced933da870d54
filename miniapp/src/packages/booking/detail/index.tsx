// One booking: the code and QR to show at the hall, check-in when inside the window, and
// cancel or reschedule before the cut-off.
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import qrcode from 'qrcode-generator';
import type { Appointment, Ticket } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { Button, PageShell, PendingPage } from '../../../components/PageShell';
import { ActingBanner } from '../../../components/ActingBanner';
import { actingHeaders } from '../../../lib/acting';
import { ready, useRequest } from '../../../hooks/useRequest';
import { RatePrompt } from '../../../components/RatingQr';
import { KIND_LABEL, slotLabel, STATUS_LABEL } from '../format';
import '../booking.css';

function qrImage(payload: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(payload);
  qr.make();
  return qr.createDataURL(8, 2);
}

/** Once the visit's ticket is served: 扫码评价 for that handling on the booking receipt. */
function VisitRating({ ticketId }: { ticketId: string }) {
  const ticket = useRequest(
    () => request<Ticket>('GET', `/tickets/${encodeURIComponent(ticketId)}`, { silent: true }),
    [ticketId],
  );
  if (ticket.data?.status !== 'done') return null;
  return (
    <RatePrompt
      className="booking-rate"
      target={{ ticketId }}
      title="业务已办结，欢迎评价"
      action="评价本次服务"
    />
  );
}

export default function BookingDetail() {
  const { id = '', created } = Taro.getCurrentInstance().router?.params ?? {};
  const answer = useRequest(
    () =>
      request<Appointment>('GET', `/appointments/${encodeURIComponent(id)}`, {
        silent: true,
        headers: actingHeaders(),
      }),
    [id],
  );
  const [busy, setBusy] = useState(false);
  const [seen, setSeen] = useState(false);
  Taro.useDidShow(() => {
    // Coming back from the reschedule picker: show the new time.
    if (seen) answer.reload();
    setSeen(true);
  });

  if (!ready(answer)) return <PendingPage state={answer} />;
  const a = answer.data;
  const now = Date.now();
  const changeable = a.status === 'booked' && now < Date.parse(a.changeableUntil);
  const canCheckIn =
    a.status === 'booked' && now >= Date.parse(a.checkInFrom) && now <= Date.parse(a.checkInUntil);

  const act = async (path: 'cancel' | 'check-in', body?: unknown) => {
    if (busy) return;
    setBusy(true);
    try {
      await request('POST', `/appointments/${a.id}/${path}`, { body, headers: actingHeaders() });
      void Taro.showToast({ title: path === 'cancel' ? '已取消' : '签到成功', icon: 'success' });
    } catch {
      // the client has shown the reason
    } finally {
      setBusy(false);
      answer.reload();
    }
  };
  const cancel = async () => {
    const { confirm } = await Taro.showModal({
      title: '取消预约',
      content: `确定取消 ${slotLabel(a.start, a.end)} 的预约吗？`,
      confirmText: '取消预约',
      cancelText: '再想想',
    });
    if (confirm) await act('cancel');
  };

  return (
    <PageShell>
      <ActingBanner />
      {a.actedByName ? <Text className="muted block acted-by">{`由 ${a.actedByName} 代办预约`}</Text> : null}
      {created ? (
        <View className="card result-banner">
          <Text className="title">预约成功</Text>
          <Text className="muted block">请按时到达，出示预约码或二维码</Text>
          <Button
            className="btn btn-secondary to-mine"
            onClick={() => void Taro.redirectTo({ url: '/packages/booking/mine/index' })}
          >
            查看我的预约
          </Button>
        </View>
      ) : null}
      <View className="card">
        <View className="row">
          <Text className="title">{a.itemName}</Text>
          <Text className={`status status-${a.status}`}>{STATUS_LABEL[a.status]}</Text>
        </View>
        <Text className="detail-time block">
          {slotLabel(a.start, a.end)}（{KIND_LABEL[a.kind]}）
        </Text>
        <Text className="detail-hall block">{a.hallName}</Text>
      </View>
      {a.ticket ? (
        <View className="card ticket">
          <Text className="muted">您的排队号（预约优先）</Text>
          <Text className="ticket-number">{a.ticket.number}</Text>
          <Button
            className="btn btn-secondary to-ticket"
            onClick={() => void Taro.navigateTo({ url: `/packages/queue/ticket/index?id=${a.ticket!.id}` })}
          >
            查看排队进度
          </Button>
        </View>
      ) : null}
      {a.ticket ? <VisitRating ticketId={a.ticket.id} /> : null}
      {a.status === 'booked' ? (
        <View className="card">
          <Text className="muted">预约码</Text>
          <Text className="booking-code">{a.bookingCode}</Text>
          <Image
            className="qr"
            src={qrImage(a.qrPayload)}
            mode="aspectFit"
            {...({ nativeProps: { alt: `预约二维码，预约码 ${a.bookingCode}` } } as object)}
          />
        </View>
      ) : null}
      {canCheckIn ? (
        <Button
          className="btn btn-primary check-in-button"
          disabled={busy}
          onClick={() => void act('check-in')}
        >
          我已到达，签到取号
        </Button>
      ) : null}
      {a.status === 'booked' && !canCheckIn ? (
        <Text className="muted block">开始前30分钟起可在此签到取号</Text>
      ) : null}
      {changeable ? (
        <View>
          <Button
            className="btn btn-secondary reschedule-button"
            onClick={() =>
              void Taro.navigateTo({
                url: `/packages/booking/slots/index?hallId=${a.hallId}&itemCode=${a.itemCode}&rescheduleId=${a.id}`,
              })
            }
          >
            改约
          </Button>
          <Button className="btn btn-secondary cancel-button" onClick={() => void cancel()}>
            取消预约
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
