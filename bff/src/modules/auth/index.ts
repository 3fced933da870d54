import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import { authRoutes } from './routes';
import type { AuthService } from './service';

export async function authModule(app: FastifyInstance, { service, config }: { service: AuthService; config: Config }): Promise<void> {
  await app.register(authRoutes, { service, sensitivePerMinute: config.rateLimit.sensitivePerMinute });
}
