// Liveness says the process answers; readiness says it can do its work (database and core system reachable).
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

// A probe answers within this, whatever hangs behind it: an orchestrator gives a readiness probe
// a second or two, and a check stuck on a half-dead connection must read as "down", not as a
// probe that never answers (then the next probe finds the state as it is).
const CHECK_LIMIT_MS = 2_000;

async function check(work: Promise<unknown>): Promise<'ok' | 'down'> {
  const limit = new AbortController();
  try {
    return await Promise.race([
      work.then(() => 'ok' as const),
      sleep(CHECK_LIMIT_MS, 'down' as const, { signal: limit.signal }),
    ]);
  } catch {
    return 'down';
  } finally {
    limit.abort();
  }
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Probes are not counted by admission control: an overloaded process still says it is alive.
  app.get('/healthz', { config: { unbounded: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { config: { unbounded: true }, schema: { hide: true } }, async (_request, reply) => {
    const [database, core] = await Promise.all([
      check(app.db.db!.admin().ping()),
      check(app.core.call('GET', '/api/health', { idempotent: false })),
    ]);
    const ready = database === 'ok' && core === 'ok';
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: { database, core } });
  });
}
