// When a hall is open, in Shanghai wall-clock time, and when it next opens: the BFF's own rule
// for 取号 (shared-types/src/hall-hours.ts), so the app can say
// "下次开放 明天 08:30" instead of letting the citizen try. Public holidays are the BFF's
// call; the queue list's `open` stays the authority.
import type { Hall } from '@onewindow/shared-types';
import { openPeriods } from '@onewindow/shared-types/hall-hours';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function local(now: Date): { weekday: number; minute: number } {
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const day = shanghai.getUTCDay();
  return { weekday: day === 0 ? 7 : day, minute: shanghai.getUTCHours() * 60 + shanghai.getUTCMinutes() };
}

export function isOpenNow(hall: Hall, now = new Date()): boolean {
  const { weekday, minute } = local(now);
  return openPeriods(hall, weekday).some(([start, end]) => minute >= start && minute < end);
}

/** "今天 13:30", "明天 08:30", "周一 08:30"; null when the hall never opens in the next week. */
export function nextOpening(hall: Hall, now = new Date()): string | null {
  const { weekday, minute } = local(now);
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = ((weekday - 1 + ahead) % 7) + 1;
    const start = openPeriods(hall, day)
      .map(([s]) => s)
      .filter((s) => ahead > 0 || s > minute)
      .sort((a, b) => a - b)[0];
    if (start !== undefined)
      return `${ahead === 0 ? '今天' : ahead === 1 ? '明天' : WEEKDAYS[day % 7]} ${hhmm(start)}`;
  }
  return null;
}

/** Today's hours in words, for a hall card. */
export function todayHours(hall: Hall, now = new Date()): string {
  const periods = openPeriods(hall, local(now).weekday);
  return periods.length === 0 ? '今日休息' : periods.map(([s, e]) => `${hhmm(s)}–${hhmm(e)}`).join('，');
}

/** Great-circle distance in metres. */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export function distanceLabel(metres: number): string {
  return metres < 1000 ? `${Math.round(metres / 10) * 10} 米` : `${(metres / 1000).toFixed(1)} 公里`;
}
