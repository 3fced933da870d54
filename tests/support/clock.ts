// Clocks for suites, journeys and benchmarks that need known days (the halls open, a deadline
// passed) whenever they run.
import { addDays } from '@onewindow/shared-types/shanghai-time';

/** Next Monday's date in Shanghai (YYYY-MM-DD): a week whose days the suites know. */
export function nextShanghaiMonday(): string {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const daysToMonday = (8 - shanghaiNow.getUTCDay()) % 7 || 7;
  return addDays(shanghaiNow.toISOString().slice(0, 10), daysToMonday);
}

/**
 * A suite's clock: it reads a set instant and runs on in real time from there, so waits, timers
 * and TTLs inside the app behave as they would while the dates are ones the suite knows (a
 * weekday with the halls open, a deadline just passed). Pass `now` as the app's clock.
 */
export class MovableClock {
  private readonly startOffsetMs: number;
  private offsetMs: number;

  /** `at`: an ISO instant or epoch milliseconds; absent, the clock reads real time. */
  constructor(at?: string | number) {
    this.startOffsetMs = at === undefined ? 0 : instant(at) - Date.now();
    this.offsetMs = this.startOffsetMs;
  }

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /** Reads `at` from this moment, and runs on. */
  set(at: string | number): void {
    this.offsetMs = instant(at) - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /**
   * Back to where the clock was made to start, with the real time since: a test that moved it
   * leaves the next one the suite's own day.
   */
  reset(): void {
    this.offsetMs = this.startOffsetMs;
  }
}

function instant(at: string | number): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${at}`);
  return ms;
}

/** Next Monday at `hhmm` in Shanghai, running on: the halls open whenever a journey runs. */
export function nextMondayAt(hhmm: string): () => Date {
  return new MovableClock(`${nextShanghaiMonday()}T${hhmm}:00+08:00`).now;
}

/** `hour`:00 today on the Shanghai wall clock, in epoch milliseconds (past 24, a later day's). */
export function shanghaiHourToday(hour: number): number {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  return (
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate(), hour) - 8 * 3600_000
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
