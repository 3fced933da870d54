// Times as the service centre keeps them: Asia/Shanghai (UTC+8, no daylight saving), whatever
// the phone's own time zone.
const OFFSET_MS = 8 * 3600_000;

/** 2026-11-24 18:00 */
export function shanghaiMinute(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today's date in Shanghai, 2026-11-24. */
export function shanghaiToday(): string {
  return new Date(Date.now() + OFFSET_MS).toISOString().slice(0, 10);
}
