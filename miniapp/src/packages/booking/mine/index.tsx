import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Appointment } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { loadSession } from '../../../api/session-store';
import {
  EmptyState,
  ErrorState,
  Loading,
  PageShell,
  Button,
  SignInState,
} from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { slotLabel, STATUS_LABEL } from '../format';
import '../booking.css';

export default function MyBookings() {
  const list = useRequest(
    () => request<{ appointments: Appointment[] }>('GET', '/appointments', { silent: true }),
    [],
  );
  Taro.useDidShow(() => list.reload());
  if (!loadSession())
    return (
      <PageShell>
        <SignInState text="登录后查看、改约或取消您的预约" />
      </PageShell>
    );
  return (
    <PageShell>
      <Button
        className="btn btn-primary new-booking"
        onClick={() => void Taro.navigateTo({ url: '/packages/booking/hall/index' })}
      >
        新的预约
      </Button>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.data?.appointments.length === 0 ? <EmptyState text="还没有预约" /> : null}
      {list.data?.appointments.map((a) => (
        <View
          key={a.id}
          className="card booking-card"
          onClick={() => void Taro.navigateTo({ url: `/packages/booking/detail/index?id=${a.id}` })}
        >
          <View className="row">
            <Text className="booking-item strong">{a.itemName}</Text>
            <Text className={`status status-${a.status}`}>{STATUS_LABEL[a.status]}</Text>
          </View>
          <Text className="booking-time block">{slotLabel(a.start, a.end)}</Text>
          <Text className="muted">{a.hallName}</Text>
          {a.actedByName ? <Text className="muted block acted-by">{`由 ${a.actedByName} 代办`}</Text> : null}
        </View>
      ))}
    </PageShell>
  );
}
