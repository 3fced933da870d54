import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import { authRoutes } from './routes';
import type { AuthService } from './service';

export async function authModule(
  app: FastifyInstance,
  {
    service,
    sensitivePerMinute,
    revocationSyncMs,
  }: { service: AuthService; sensitivePerMinute: number; revocationSyncMs: number },
): Promise<void> {
  await app.register(authRoutes, { service, sensitivePerMinute });
  // The whole list before the first request, then what other instances add.
  app.addHook('onReady', async () => {
    await service.revoked.sync();
  });
  every(app, revocationSyncMs, 'revoked sessions sync', () => service.revoked.sync());
}
