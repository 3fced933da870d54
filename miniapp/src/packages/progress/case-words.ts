// How a case reads to its applicant: the deadline as a day ("12月7日前办结"), and a badge that
// says what *they* must do, not how the approvers are doing against their own deadline.
import type { TagTone } from '../../components/PageShell';

/** A deadline at 00:00 is the end of the day before: "before 12-08 00:00" reads "12月7日前". */
export function dayBefore(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3600_000 - 60_000);
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

export interface CaseLike {
  status: string;
  statusLabel: string;
  correction?: { status: string } | null;
  delivery?: { method: string } | null;
  result?: string | null;
}

export function actionBadge(c: CaseLike): { text: string; tone: TagTone } {
  if (c.correction?.status === 'open') return { text: '待您补正材料', tone: 'warning' };
  if (c.status === 'completed' && !c.delivery) return { text: '已办结 · 请选择领取方式', tone: 'warning' };
  if (c.status === 'completed') return { text: '已办结 · 等待领取', tone: 'success' };
  if (c.status === 'delivered') return { text: '已送达', tone: 'success' };
  if (c.status === 'rejected' || c.result === 'rejected')
    return { text: '未通过 · 查看原因', tone: 'danger' };
  return { text: '办理中 · 您无需操作', tone: 'info' };
}

/** The stages every case goes through, so the timeline also shows what is still to come. */
export const STAGES = ['受理', '审查', '决定', '办结', '送达'] as const;
