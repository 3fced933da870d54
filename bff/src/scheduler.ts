// The BFF's timers (catalogue refresh, sweeps, resends). Hand-written rather than a scheduler
// library (toad-scheduler, node-cron, bree): what matters here is that a job runs on ONE instance
// at a time, which takes the database lease (job-lease.ts) on every tick; the libraries schedule
// in one process only, so the lease code would stay and the library would add only setInterval.
import type { FastifyInstance } from 'fastify';

/**
 * Runs `job` every `everyMs` until the app closes, on one instance at a time: each tick takes or
 * renews the job's lease first. The lease lasts two intervals (at least 5 s), so a dead holder
 * is replaced within that. A failing run is logged and the next one tried.
 */
export function every(
  app: FastifyInstance,
  everyMs: number,
  what: string,
  job: () => Promise<unknown>,
): void {
  const leaseMs = Math.max(2 * everyMs, 5_000);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    app.jobLeases
      .acquire(what, leaseMs)
      .then((holding) => (holding ? job() : undefined))
      .catch((error: unknown) => app.log.warn({ err: error }, `${what} failed; will try again`))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
