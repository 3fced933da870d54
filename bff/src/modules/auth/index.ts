import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import { authModels } from './model';
import { authRoutes } from './routes';
import { AuthService } from './service';

export async function authModule(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const service = new AuthService(authModels(app.db), app.accessTokens, app.core, app.wechat, config);
  await app.register(authRoutes, { service, sensitivePerMinute: config.rateLimit.sensitivePerMinute });
}
