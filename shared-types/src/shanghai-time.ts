// Everything a citizen sees is Asia/Shanghai time (UTC+8, no daylight saving). One copy for the
// BFF and the core simulator, importable as `@onewindow/shared-types/shanghai-time`.
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Whether a YYYY-MM-DD text names a real calendar day (2026-02-30 and 2026-13-01 do not). */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const instant = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(instant) && new Date(instant).toISOString().slice(0, 10) === date;
}

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Shanghai wall-clock time such as 2026-11-23 09:30 (also the form WeChat's `time` values take). */
export function shanghaiClock(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The instant of a Shanghai wall-clock time on a date. */
export function shanghaiInstant(date: string, hhmm: string): Date {
  return new Date(Date.parse(`${date}T${hhmm}:00+08:00`));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
