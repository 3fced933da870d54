// Step 3: what, where, when, and the materials to bring (一次性告知) as a checklist; then book.
// The Idempotency-Key is made once per visit to this page, so a double tap or a retry on a
// bad connection books once.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Appointment, HallDetail, ItemDetail, SlotList } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { loginWithWechat } from '../../../api/login';
import { loadSession } from '../../../api/session-store';
import { ErrorState, Loading, PageShell, Button } from '../../../components/PageShell';
import { ActingBanner } from '../../../components/ActingBanner';
import { actingHeaders } from '../../../lib/acting';
import { useRequest } from '../../../hooks/useRequest';
import { interruptFor } from '../../../lib/resume';
import { askConsent, templateIds } from '../../../lib/subscribe';
import { KIND_LABEL, slotLabel } from '../format';
import '../booking.css';

export default function ConfirmBooking() {
  const { hallId = '', itemCode = '', start = '' } = Taro.getCurrentInstance().router?.params ?? {};
  const startIso = decodeURIComponent(start);
  const data = useRequest(
    () =>
      Promise.all([
        request<Static<typeof ItemDetail>>('GET', `/items/${encodeURIComponent(itemCode)}`, { silent: true }),
        request<Static<typeof HallDetail>>('GET', `/halls/${encodeURIComponent(hallId)}`, { silent: true }),
        request<Static<typeof SlotList>>('GET', `/halls/${encodeURIComponent(hallId)}/slots`, {
          query: { itemCode },
          silent: true,
        }),
      ]),
    [hallId, itemCode],
  );
  const [key] = useState(() => `bk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`);
  const [ready, setReady] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [reminderTemplate, setReminderTemplate] = useState<string | undefined>();
  useEffect(() => {
    void templateIds().then((ids) => setReminderTemplate(ids.bookingReminder));
  }, []);

  if (data.loading)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );
  if (data.error || !data.data)
    return (
      <PageShell>
        <ErrorState error={data.error!} onRetry={data.reload} />
      </PageShell>
    );
  const [{ item }, { hall }, { slots }] = data.data;
  const slot = slots.find((s) => s.start === startIso);

  const book = async () => {
    setSaving(true);
    try {
      await askConsent(reminderTemplate ? [reminderTemplate] : []);
      if (!loadSession()) await loginWithWechat();
      const appointment = await request<Appointment>('POST', '/appointments', {
        body: { hallId, itemCode, start: startIso },
        headers: { 'Idempotency-Key': key, ...actingHeaders() },
        silent: true,
      });
      void Taro.redirectTo({ url: `/packages/booking/detail/index?id=${appointment.id}&created=1` });
    } catch (error) {
      const problem =
        error instanceof ApiError ? error : new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
      if (problem.code === 'REALNAME_REQUIRED') {
        const { confirm } = await Taro.showModal({
          title: '需要实名认证',
          content: '预约需要先完成实名认证，认证后会回到这里，您选的时段不变。',
          confirmText: '去认证',
        });
        if (confirm) interruptFor('realname');
      } else {
        await Taro.showModal({ title: '预约未成功', content: problem.message, showCancel: false });
        if (problem.code === 'SLOT_FULL' || problem.code === 'SLOT_UNAVAILABLE') void Taro.navigateBack();
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageShell>
      <ActingBanner />
      <View className="card summary">
        <Text className="title">{item.name}</Text>
        <Text className="block">地点：{hall.name}</Text>
        <Text className="muted block">{hall.address}</Text>
        <Text className="summary-time block">
          时间：{slot ? slotLabel(slot.start, slot.end) : '该时段已不可预约'}
        </Text>
        {slot ? (
          <Text className="tag">
            {KIND_LABEL[slot.kind]}时段 · 余 {slot.remaining} 个号
          </Text>
        ) : null}
      </View>
      <View className="card checklist">
        <Text className="title">请带齐以下材料（共 {item.materials.length} 项）</Text>
        {item.materials.map((m) => (
          // A row that is the checkbox: a <Label> around a <Checkbox> gets two clicks per tap on
          // h5 (the label forwards its click to the input), which toggled the mark back off.
          <View
            key={m.code}
            className={`checklist-item ${ready.includes(m.code) ? 'checked' : ''}`}
            role="checkbox"
            aria-checked={ready.includes(m.code)}
            onClick={() =>
              setReady((r) => (r.includes(m.code) ? r.filter((c) => c !== m.code) : [...r, m.code]))
            }
          >
            <Text className="check-box" aria-hidden>
              {ready.includes(m.code) ? '✓' : ''}
            </Text>
            <Text>
              {m.name}
              {m.required ? '' : '（非必需）'}
            </Text>
          </View>
        ))}
        <Text className="muted">
          已准备 {ready.length}/{item.materials.length}；勾选只为帮您核对，不影响预约
        </Text>
      </View>
      <Text className="muted block">
        预约开始前30分钟可取消或改约；开始前30分钟至开始后15分钟内可在手机上签到，优先叫号。
      </Text>
      <Button
        className="btn btn-primary confirm-button"
        disabled={!slot || saving}
        loading={saving}
        onClick={() => void book()}
      >
        确认预约
      </Button>
    </PageShell>
  );
}
