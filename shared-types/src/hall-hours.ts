// When a hall is open, in Shanghai wall-clock time: one rule for the BFF (which refuses 取号 at
// a closed hall) and the mini-program (which says when it next opens), importable as
// `@onewindow/shared-types/hall-hours` without TypeBox.
import type { Hall } from './catalogue';

/** The usual lunch break; a hall that offers 午间服务 (`hours.weekday.lunch`) stays open through it. */
export const LUNCH_BREAK = { start: '12:00', end: '13:30' };

export function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Open periods on a day of the week (1 = Monday … 7 = Sunday), as [start, end) minutes after midnight. */
export function openPeriods(hall: Pick<Hall, 'hours'>, weekday: number): [number, number][] {
  const { hours } = hall;
  const periods: [number, number][] = [];
  if (weekday <= 5) {
    const [open, close] = [minutes(hours.weekday.open), minutes(hours.weekday.close)];
    if (hours.weekday.lunch) periods.push([open, close]);
    else periods.push([open, minutes(LUNCH_BREAK.start)], [minutes(LUNCH_BREAK.end), close]);
    if (hours.evening?.days.includes(weekday))
      periods.push([minutes(hours.evening.start), minutes(hours.evening.end)]);
  }
  if (hours.weekend?.days.includes(weekday))
    periods.push([minutes(hours.weekend.open), minutes(hours.weekend.close)]);
  return periods;
}
