// Working days in Asia/Shanghai: weekends and public holidays are skipped, the official
// make-up working weekends (调休上班) count. One calendar for the BFF and the core simulator
// (`@onewindow/shared-types/working-days`); the BFF takes the schedule from configuration
// (HOLIDAYS, MAKEUP_WORKDAYS) since the State Council publishes it each year.
import { addDays, isoWeekday, shanghaiDate } from './shanghai-time';

/** The State Council's 2026 schedule (国办发明电〔2025〕7号) and New Year's Day 2027. */
export const DEFAULT_HOLIDAYS = [
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
];
export const DEFAULT_MAKEUP_WORKDAYS = [
  '2026-01-04',
  '2026-02-14',
  '2026-02-28',
  '2026-05-09',
  '2026-09-20',
  '2026-10-10',
];

export class WorkingCalendar {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;

  constructor(holidays: string[] = DEFAULT_HOLIDAYS, makeupWorkdays: string[] = DEFAULT_MAKEUP_WORKDAYS) {
    this.holidays = new Set(holidays);
    this.workdays = new Set(makeupWorkdays);
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return isoWeekday(date) <= 5;
  }

  /**
   * The end (24:00 Shanghai) of the `days`-th working day after the day of `from`; the day
   * itself does not count, as with promised deadlines (承诺时限).
   */
  deadline(from: Date, days: number): Date {
    let date = shanghaiDate(from);
    for (let left = days; left > 0;) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left -= 1;
    }
    return new Date(Date.parse(`${addDays(date, 1)}T00:00:00+08:00`));
  }

  /** Working days that have begun after the day of `from`, up to and including the day of `to`. */
  between(from: Date, to: Date): number {
    const end = shanghaiDate(to);
    let count = 0;
    for (let date = shanghaiDate(from); date < end;) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) count += 1;
    }
    return count;
  }

  /**
   * Working days left before `dueAt` (the day of `now` counts while it is a working day), or,
   * once overdue, minus the working days begun since.
   */
  left(now: Date, dueAt: Date): number {
    const dueDay = shanghaiDate(new Date(dueAt.getTime() - 1));
    if (now.getTime() < dueAt.getTime())
      return this.between(
        new Date(now.getTime() - 86_400_000),
        new Date(Date.parse(`${dueDay}T12:00:00+08:00`)),
      );
    return -this.between(new Date(Date.parse(`${dueDay}T12:00:00+08:00`)), now);
  }

  /**
   * Green, yellow once `yellowShare` of the promised working days are used (counted from
   * acceptance, as the core system counts them), red once `dueAt` has passed.
   */
  warning(
    acceptedAt: Date,
    dueAt: Date,
    promisedDays: number,
    now: Date,
    yellowShare: number,
  ): 'green' | 'yellow' | 'red' {
    if (now.getTime() >= dueAt.getTime()) return 'red';
    if (promisedDays <= 0) return 'green';
    return this.between(acceptedAt, now) / promisedDays >= yellowShare ? 'yellow' : 'green';
  }

  /** The instant `days` working days before `to`, at the same time of day (to seed cases of a given age). */
  before(to: Date, days: number): Date {
    let instant = to.getTime();
    for (let left = days; left > 0;) {
      instant -= 86_400_000;
      if (this.isWorkingDay(shanghaiDate(new Date(instant)))) left -= 1;
    }
    return new Date(instant);
  }
}
