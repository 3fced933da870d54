// Dates and times as the hall keeps them: Asia/Shanghai, whatever the phone's time zone. Used
// by home (the next booking) and the booking subpackage.
import type { Static } from '@sinclair/typebox';
import type { Appointment, SlotKind } from '@onewindow/shared-types';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000);

export const KIND_LABEL: Record<Static<typeof SlotKind>, string> = {
  regular: '工作日',
  lunch: '午间',
  evening: '夜间',
  weekend: '周末',
};
export const STATUS_LABEL: Record<Appointment['status'], string> = {
  booked: '待办理',
  checked_in: '已签到',
  cancelled: '已取消',
  missed: '已爽约',
};

/** 2026-11-24 */
export function dayOf(iso: string): string {
  return shanghai(iso).toISOString().slice(0, 10);
}

/** 11月24日 周二 */
export function dayLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${date.getUTCMonth() + 1}月${date.getUTCDate()}日 ${WEEKDAYS[date.getUTCDay()]}`;
}

/** 18:00 */
export function timeOf(iso: string): string {
  return shanghai(iso).toISOString().slice(11, 16);
}

/** 11月24日 周二 18:00–18:30 */
export function slotLabel(start: string, end: string): string {
  return `${dayLabel(dayOf(start))} ${timeOf(start)}–${timeOf(end)}`;
}
