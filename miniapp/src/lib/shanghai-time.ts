// Times as the service centre keeps them (Asia/Shanghai, whatever the phone's own time zone),
// through the one copy of the rule the BFF and the core simulator also use.
import { shanghaiClock, shanghaiDate } from '@onewindow/shared-types/shanghai-time';

/** 2026-11-24 18:00 */
export function shanghaiMinute(iso: string): string {
  return shanghaiClock(new Date(iso));
}

/** Today's date in Shanghai, 2026-11-24. */
export function shanghaiToday(): string {
  return shanghaiDate(new Date());
}
