// When a hall is open, in its own (Shanghai) wall-clock time.
import type { Hall } from '@onewindow/shared-types';
import { isoWeekday, shanghaiDate } from '../../shanghai-time';

/** The usual lunch break; a hall that offers 午间服务 (`hours.weekday.lunch`) stays open through it. */
export const LUNCH_BREAK = { start: '12:00', end: '13:30' };

export function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Open periods on a day of the week (1 = Monday), as [start, end) minutes after midnight. */
export function openPeriods(hall: Hall, weekday: number): [number, number][] {
  const { hours } = hall;
  const periods: [number, number][] = [];
  if (weekday <= 5) {
    const [open, close] = [minutes(hours.weekday.open), minutes(hours.weekday.close)];
    if (hours.weekday.lunch) periods.push([open, close]);
    else periods.push([open, minutes(LUNCH_BREAK.start)], [minutes(LUNCH_BREAK.end), close]);
    if (hours.evening?.days.includes(weekday)) periods.push([minutes(hours.evening.start), minutes(hours.evening.end)]);
  }
  if (hours.weekend?.days.includes(weekday)) periods.push([minutes(hours.weekend.open), minutes(hours.weekend.close)]);
  return periods;
}

export function isOpenAt(hall: Hall, instant: Date): boolean {
  const local = new Date(instant.getTime() + 8 * 3600_000);
  const now = local.getUTCHours() * 60 + local.getUTCMinutes();
  return openPeriods(hall, isoWeekday(shanghaiDate(instant))).some(([start, end]) => now >= start && now < end);
}
