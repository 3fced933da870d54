// Whether a hall is open at an instant, by the shared rule of its opening periods.
import type { Hall } from '@onewindow/shared-types';
import { openPeriods } from '@onewindow/shared-types/hall-hours';
import { isoWeekday, shanghaiDate } from '@onewindow/shared-types/shanghai-time';

export function isOpenAt(hall: Hall, instant: Date): boolean {
  const local = new Date(instant.getTime() + 8 * 3600_000);
  const now = local.getUTCHours() * 60 + local.getUTCMinutes();
  return openPeriods(hall, isoWeekday(shanghaiDate(instant))).some(
    ([start, end]) => now >= start && now < end,
  );
}
