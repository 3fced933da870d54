// buildApp(config): external plugins first (security, docs), then ours (errors, input
// hygiene, database, upstream clients), then the feature modules under /api/v1.
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config';
import { loggerOptions } from './logger';
import { errorsPlugin } from './plugins/errors';
import { securityPlugin } from './plugins/security';
import { docsPlugin } from './plugins/docs';
import { inputHygienePlugin } from './plugins/input-hygiene';
import { databasePlugin } from './plugins/database';
import { coreClientPlugin } from './plugins/core-client';
import { wechatClientPlugin } from './plugins/wechat-client';
import { ossClientPlugin } from './plugins/oss-client';
import { authPlugin } from './plugins/auth';
import { authModule } from './modules/auth';
import { healthRoutes } from './modules/health/routes';
import { catalogueModule } from './modules/catalogue';
import { messagesModule } from './modules/messages';
import { bookingModule } from './modules/booking';
import { queueModule } from './modules/queue';
import { progressModule } from './modules/progress';
import { correctionModule } from './modules/correction';
import { signoffModule } from './modules/signoff';
import { ratingRoutes } from './modules/rating/routes';
import { createServices } from './services';

export type { AppDecorations } from './plugins/decorations';

export interface BuildOptions {
  /** Where logs go instead of stdout (tests read them to prove secrets are redacted). */
  logStream?: NodeJS.WritableStream;
  /** The clock the features read (tests move it to reach check-in windows and no-show dates). */
  now?: () => Date;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.env, config.logLevel, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.env === 'production',
    // A request must arrive within 30 s; idle keep-alive connections outlive the balancer's 60 s
    // idle timeout, so it never reuses one we are closing. Live ticket streams are responses, not
    // requests, and are unaffected.
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(errorsPlugin);
  // Auth identifies the caller before rate limiting, so limits can key on the user.
  await app.register(authPlugin, { config: config.jwt });
  await app.register(securityPlugin, { config });
  await app.register(docsPlugin);
  await app.register(inputHygienePlugin);
  await app.register(databasePlugin, { uri: config.mongodbUri });
  await app.register(coreClientPlugin, { config: config.core });
  await app.register(wechatClientPlugin, { config: config.wechat });
  await app.register(ossClientPlugin, { config: config.oss });

  // At the root for probes on the BFF itself, and under /api/v1 for probes through a gateway that forwards only /api.
  await app.register(healthRoutes);
  const services = createServices(app, config, options.now ?? (() => new Date()));
  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(authModule, { service: services.auth, config });
      await api.register(catalogueModule, { service: services.catalogue, refreshMs: config.catalogueRefreshMs });
      await api.register(messagesModule, { service: services.messages, notifier: services.notifier, retryMs: config.notify.retryMs });
      await api.register(bookingModule, { services, sweepMs: config.booking.sweepMs });
      await api.register(queueModule, { service: services.queue });
      await api.register(progressModule, { service: services.progress, config });
      await api.register(correctionModule, { service: services.correction, config: config.upload });
      await api.register(ratingRoutes, { service: services.rating });
      await api.register(signoffModule, { service: services.signoff, config });
    },
    { prefix: '/api/v1' },
  );
  return app;
}
