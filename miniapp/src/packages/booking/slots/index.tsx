// Step 2: a day, then a slot showing its kind and the places left; full slots cannot be chosen.
// Also the reschedule picker (`rescheduleId`): the new slot replaces the booking's old one.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Appointment, SlotList } from '@onewindow/shared-types';
import { request } from '../../../api/client';
import { EmptyState, ErrorState, Loading, PageShell, Button } from '../../../components/PageShell';
import { ActingBanner } from '../../../components/ActingBanner';
import { actingHeaders } from '../../../lib/acting';
import { useRequest } from '../../../hooks/useRequest';
import { dayLabel, dayOf, KIND_LABEL, slotLabel, timeOf } from '../format';
import '../booking.css';

export default function ChooseSlot() {
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const { hallId = '', itemCode = '', rescheduleId } = params;
  const list = useRequest(
    () =>
      request<Static<typeof SlotList>>('GET', `/halls/${encodeURIComponent(hallId)}/slots`, {
        query: { itemCode },
        silent: true,
      }),
    [hallId, itemCode],
  );
  const [day, setDay] = useState<string | null>(null);
  const [start, setStart] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  if (list.loading)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );
  if (list.error || !list.data)
    return (
      <PageShell>
        <ErrorState error={list.error!} onRetry={list.reload} />
      </PageShell>
    );
  const slots = list.data.slots;
  const days = [...new Set(slots.map((s) => dayOf(s.start)))];
  const currentDay =
    day ?? days.find((d) => slots.some((s) => dayOf(s.start) === d && s.remaining > 0)) ?? days[0];
  const chosen = slots.find((s) => s.start === start);

  const next = async () => {
    if (!chosen) return;
    if (!rescheduleId) {
      void Taro.navigateTo({
        url: `/packages/booking/confirm/index?hallId=${hallId}&itemCode=${itemCode}&start=${encodeURIComponent(chosen.start)}`,
      });
      return;
    }
    const { confirm } = await Taro.showModal({
      title: '确认改约',
      content: `改到 ${slotLabel(chosen.start, chosen.end)}？原时段将释放。`,
      confirmText: '确认改约',
    });
    if (!confirm) return;
    setSaving(true);
    try {
      await request<Appointment>('POST', `/appointments/${rescheduleId}/reschedule`, {
        body: { start: chosen.start },
        headers: actingHeaders(),
      });
      void Taro.showToast({ title: '改约成功', icon: 'success' });
      void Taro.navigateBack();
    } catch {
      list.reload();
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageShell>
      <ActingBanner />
      {slots.length === 0 ? <EmptyState text="近7天没有可预约的时段" /> : null}
      <View className="day-tabs">
        {days.map((d) => (
          <Text
            key={d}
            className={`day-tab ${d === currentDay ? 'active' : ''}`}
            onClick={() => (setDay(d), setStart(null))}
          >
            {dayLabel(d)}
          </Text>
        ))}
      </View>
      <View className="slot-grid">
        {slots
          .filter((s) => dayOf(s.start) === currentDay)
          .map((s) => {
            const full = s.remaining === 0;
            return (
              <View
                key={s.start}
                className={`slot slot-${s.kind} ${full ? 'full' : ''} ${s.start === start ? 'selected' : ''}`}
                aria-disabled={full}
                onClick={() => !full && setStart(s.start)}
              >
                <Text className="slot-time">
                  {timeOf(s.start)}–{timeOf(s.end)}
                </Text>
                <Text className={`slot-kind slot-kind-${s.kind}`}>{KIND_LABEL[s.kind]} </Text>
                <Text className="slot-remaining">{full ? '已约满' : `余 ${s.remaining}`}</Text>
              </View>
            );
          })}
      </View>
      <View className="footer-bar">
        <Button
          className="btn btn-primary slot-next"
          disabled={!chosen || saving}
          loading={saving}
          onClick={() => void next()}
        >
          {chosen ? `${rescheduleId ? '改约到' : '预约'} ${timeOf(chosen.start)}` : '请选择时段'}
        </Button>
      </View>
    </PageShell>
  );
}
