// A clock for journeys and benchmarks that need the halls open whenever they run: it reads
// next Monday at the given Shanghai time, then runs on in real time.
const DAY = 86_400_000;

export function nextMondayAt(hhmm: string): () => Date {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const daysToMonday = (8 - shanghaiNow.getUTCDay()) % 7 || 7;
  const monday = new Date(
    Date.UTC(shanghaiNow.getUTCFullYear(), shanghaiNow.getUTCMonth(), shanghaiNow.getUTCDate()) +
      daysToMonday * DAY,
  )
    .toISOString()
    .slice(0, 10);
  const offset = Date.parse(`${monday}T${hhmm}:00+08:00`) - Date.now();
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
