// Which channel each notice kind takes (issue 24), and the SMS template values made from the
// notice. A kind absent here never goes by SMS.
//   fallback: WeChat where the citizen consented (and WeChat took it), else SMS to the bound phone
//             (case progress, result ready, correction notice, booking reminder);
//   both:     WeChat and SMS — being called at the window must not be missed;
//   sms:      SMS only: a completed case's rating invitation (短信评价), whose link (minted when
//             the SMS goes) opens the h5 rate page without login. A served ticket's invitation
//             stays in the app: the citizen is at the hall, with the window's QR code.
// `urgent` kinds ignore quiet hours: a call to the window or a link asked for now.
import type { NoticeKind } from '@onewindow/shared-types';
import type { SmsTemplateName } from '../../config';

export interface SmsNotice {
  kind: NoticeKind;
  link?: string;
  push?: { data: Record<string, string> };
}

export interface SmsRoute {
  channel: 'fallback' | 'both' | 'sms';
  urgent: boolean;
  template: SmsTemplateName;
  /** Which notices of the kind it covers (all when absent). */
  applies?(notice: SmsNotice): boolean;
  params(notice: SmsNotice): Record<string, string>;
}

const value = (notice: SmsNotice, key: string) => notice.push?.data[key] ?? '';
const CASE_LINK = /[?&]acceptNo=([A-Za-z0-9-]+)/;

export const SMS_POLICY: Partial<Record<NoticeKind, SmsRoute>> = {
  case_progress: {
    channel: 'fallback',
    urgent: false,
    template: 'caseProgress',
    params: (n) => ({
      acceptNo: value(n, 'character_string2'),
      item: value(n, 'thing1'),
      status: value(n, 'phrase3'),
    }),
  },
  // 结果已出: the completion, told once with its result (the caseProgress template's status).
  case_result: {
    channel: 'fallback',
    urgent: false,
    template: 'caseProgress',
    params: (n) => ({
      acceptNo: value(n, 'character_string2'),
      item: value(n, 'thing1'),
      status: `${value(n, 'phrase3')}，${value(n, 'thing5')}`,
    }),
  },
  case_correction: {
    channel: 'fallback',
    urgent: false,
    template: 'correctionNotice',
    params: (n) => ({
      acceptNo: value(n, 'character_string2'),
      item: value(n, 'thing1'),
      deadline: value(n, 'time4'),
    }),
  },
  booking_reminder: {
    channel: 'fallback',
    urgent: false,
    template: 'bookingReminder',
    params: (n) => ({
      time: value(n, 'time3'),
      hall: value(n, 'thing2'),
      item: value(n, 'thing1'),
      code: value(n, 'character_string4'),
    }),
  },
  queue_called: {
    channel: 'both',
    urgent: true,
    template: 'queueCalled',
    params: (n) => ({ number: value(n, 'character_string1'), window: value(n, 'thing2') }),
  },
  rating_prompt: {
    channel: 'sms',
    urgent: false,
    template: 'ratingInvite',
    applies: (n) => CASE_LINK.test(n.link ?? ''),
    params: (n) => ({ acceptNo: CASE_LINK.exec(n.link ?? '')?.[1] ?? '' }),
  },
};

/** Is this Shanghai instant inside quiet hours [start, end)? Equal hours mean no quiet hours. */
export function inQuietHours(instant: Date, quiet: { start: number; end: number }): boolean {
  if (quiet.start === quiet.end) return false;
  const hour = new Date(instant.getTime() + 8 * 3600_000).getUTCHours();
  return quiet.start < quiet.end
    ? hour >= quiet.start && hour < quiet.end
    : hour >= quiet.start || hour < quiet.end;
}

/** The next instant quiet hours end (the next Shanghai `end:00`). */
export function quietHoursEnd(instant: Date, quiet: { start: number; end: number }): Date {
  const shanghai = new Date(instant.getTime() + 8 * 3600_000);
  let end =
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate(), quiet.end) -
    8 * 3600_000;
  if (end <= instant.getTime()) end += 24 * 3600_000;
  return new Date(end);
}

/** The Shanghai calendar day of an instant, for per-day limits. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
