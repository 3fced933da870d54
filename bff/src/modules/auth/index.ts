import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import { every } from '../../scheduler';
import { authRoutes } from './routes';
import type { AuthService } from './service';

export async function authModule(
  app: FastifyInstance,
  { service, config }: { service: AuthService; config: Config },
): Promise<void> {
  await app.register(authRoutes, { service, sensitivePerMinute: config.rateLimit.sensitivePerMinute });
  // The whole list before the first request, then what other instances add.
  app.addHook('onReady', async () => {
    await service.revoked.sync();
  });
  every(app, config.jwt.revocationSyncMs, 'revoked sessions sync', () => service.revoked.sync());
}
