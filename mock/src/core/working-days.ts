// Promised deadlines count working days in Asia/Shanghai: weekends and public holidays are
// skipped, and the official make-up working weekends (调休上班) count as working days.
import type { Warning } from './model';

export interface Calendar {
  /** YYYY-MM-DD days off that fall on weekdays. */
  holidays: string[];
  /** YYYY-MM-DD weekend days that are working days. */
  workdays: string[];
}

/** The State Council's 2026 schedule (国办发明电〔2025〕7号); configuration, not code, in a real system. */
export const DEFAULT_CALENDAR: Calendar = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-23',
    '2026-04-06',
    '2026-05-01',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-09-25',
    '2026-10-01',
    '2026-10-02',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
    '2027-01-01',
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The calendar date in Shanghai of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight in Shanghai at the start of a calendar date. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`));
}

function nextDate(date: string, days = 1): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: Calendar): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The deadline `days` working days after `from`: the end (24:00 Shanghai) of the
 * `days`-th working day after the day of `from` — the day of acceptance does not count.
 */
export function addWorkingDays(from: Date, days: number, calendar: Calendar): Date {
  let date = shanghaiDate(from);
  let left = days;
  while (left > 0) {
    date = nextDate(date);
    if (isWorkingDay(date, calendar)) left -= 1;
  }
  return startOfShanghaiDay(nextDate(date));
}

/** Working days that have begun after the day of `from` up to and including the day of `to`. */
export function workingDaysBetween(from: Date, to: Date, calendar: Calendar): number {
  const end = shanghaiDate(to);
  let date = shanghaiDate(from);
  let count = 0;
  while (date < end) {
    date = nextDate(date);
    if (isWorkingDay(date, calendar)) count += 1;
  }
  return count;
}

/** Green, yellow once `yellowShare` of the promised working days are used, red once overdue. */
export function warningFor(
  startedAt: Date,
  dueAt: Date,
  promisedDays: number,
  now: Date,
  calendar: Calendar,
  yellowShare: number,
): Warning {
  if (now.getTime() >= dueAt.getTime()) return 'red';
  if (promisedDays <= 0) return 'green';
  const used = workingDaysBetween(startedAt, now, calendar);
  return used / promisedDays >= yellowShare ? 'yellow' : 'green';
}

/** The day `days` working days before `to`, at the same time of day (to seed cases of a given age). */
export function subtractWorkingDays(to: Date, days: number, calendar: Calendar): Date {
  let instant = to.getTime();
  let left = days;
  while (left > 0) {
    instant -= DAY_MS;
    if (isWorkingDay(shanghaiDate(new Date(instant)), calendar)) left -= 1;
  }
  return new Date(instant);
}
