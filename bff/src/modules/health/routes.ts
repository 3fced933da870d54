// Liveness says the process answers; readiness says it can do its work (database and core system reachable).
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Probes are not counted by admission control: an overloaded process still says it is alive.
  app.get('/healthz', { config: { unbounded: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { config: { unbounded: true }, schema: { hide: true } }, async (_request, reply) => {
    const [database, core] = await Promise.all([
      app.db
        .db!.admin()
        .ping()
        .then(
          () => 'ok',
          () => 'down',
        ),
      app.core.call('GET', '/api/health', { idempotent: false }).then(
        () => 'ok',
        () => 'down',
      ),
    ]);
    const ready = database === 'ok' && core === 'ok';
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: { database, core } });
  });
}
