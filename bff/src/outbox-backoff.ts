// When an outbox entry (an SMS, a report to the province) is tried next after a failure. These
// retries are durable — `nextAt` in the entry's own document, claimed by whichever instance's
// sweep comes first — so they survive a restart and run once across instances; an in-memory
// retry policy (cockatiel, p-retry), as the core client uses for one call, cannot hold them.
const MAX_BACKOFF_MS = 10 * 60_000;

/** Doubling from `firstMs` after each failed attempt (attempts counts from 1), at most ten minutes. */
export function nextAttemptAt(now: Date, firstMs: number, attempts: number): Date {
  return new Date(now.getTime() + Math.min(firstMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS));
}
