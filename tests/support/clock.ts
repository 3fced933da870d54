// A clock for journeys and benchmarks that need the halls open whenever they run: it reads
// next Monday at the given Shanghai time, then runs on in real time.
import { addDays } from '@onewindow/shared-types/shanghai-time';

/** Next Monday's date in Shanghai (YYYY-MM-DD): a week whose days the suites know. */
export function nextShanghaiMonday(): string {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const daysToMonday = (8 - shanghaiNow.getUTCDay()) % 7 || 7;
  return addDays(shanghaiNow.toISOString().slice(0, 10), daysToMonday);
}

export function nextMondayAt(hhmm: string): () => Date {
  const offset = Date.parse(`${nextShanghaiMonday()}T${hhmm}:00+08:00`) - Date.now();
  return () => new Date(Date.now() + offset);
}

/** Milliseconds from now to `hour`:00 today, Shanghai wall clock (a suite's clock set to that hour). */
export function offsetToShanghaiHour(hour: number): number {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  return (
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate(), hour) -
    8 * 3600_000 -
    Date.now()
  );
}

/**
 * The date in Shanghai of the given weekday (0 = Sunday … 6 = Saturday) 7 to 13 days from today:
 * a whole week ahead, so the days before it are free for a suite's clock to move through.
 */
export function shanghaiWeekdayAWeekAhead(weekday: number): string {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  return addDays(shanghaiNow.toISOString().slice(0, 10), ((weekday - shanghaiNow.getUTCDay() + 7) % 7) + 7);
}
