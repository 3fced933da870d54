// buildApp(config): external plugins first (security, docs), then ours (errors, input
// hygiene, database, upstream clients), then the feature modules under /api/v1.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config';
import { AccessLog, loggerOptions } from './logger';
import { ERRORS } from '@onewindow/shared-types';
import { clientErrorHandler, errorBody, errorsPlugin } from './plugins/errors';
import { strictValidatorCompiler } from './plugins/strict-validation';
import { SECURE_HEADERS, securityPlugin } from './plugins/security';
import { admissionPlugin } from './plugins/admission';
import { docsPlugin } from './plugins/docs';
import { inputHygienePlugin } from './plugins/input-hygiene';
import { databasePlugin } from './plugins/database';
import { coreClientPlugin } from './plugins/core-client';
import { wechatClientPlugin } from './plugins/wechat-client';
import { ossClientPlugin } from './plugins/oss-client';
import { authPlugin } from './plugins/auth';
import { actingPlugin } from './plugins/acting';
import { authModule } from './modules/auth';
import { healthModule } from './modules/health';
import { catalogueModule } from './modules/catalogue';
import { messagesModule } from './modules/messages';
import { bookingModule } from './modules/booking';
import { queueModule } from './modules/queue';
import { progressModule } from './modules/progress';
import { correctionModule } from './modules/correction';
import { signoffModule } from './modules/signoff';
import { applicationModule } from './modules/application';
import { ratingModule } from './modules/rating';
import { createServices } from './services';

export type { AppDecorations } from './plugins/decorations';

export interface BuildOptions {
  /** Where logs go instead of stdout (tests read them to prove secrets are redacted). */
  logStream?: NodeJS.WritableStream;
  /** The clock the features read (tests move it to reach check-in windows and no-show dates). */
  now?: () => Date;
  /** Emit the driver's command events on `app.db.getClient()` (the fuzz suite proves a refused request writes nothing). */
  monitorCommands?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.env, config.logLevel, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    logController: new AccessLog(),
    requestIdHeader: false,
    // Only the configured proxies may say who the client is (X-Forwarded-For); never `true`,
    // which would let any caller pick the address the rate limits and the lockout key on.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // A request must arrive within 30 s; idle keep-alive connections outlive the balancer's 60 s
    // idle timeout, so it never reuses one we are closing. Live ticket streams are responses, not
    // requests, and are unaffected.
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    // A URL Fastify cannot even route (`/items/%ZZ`) is answered in the one error shape too.
    frameworkErrors: (_error, request, reply: FastifyReply) => {
      void reply
        .headers(SECURE_HEADERS)
        .code(400)
        .send(errorBody(request.id, 'INVALID_INPUT', `${ERRORS.INVALID_INPUT.message}：地址格式不正确`));
    },
    // …and so is a request Node's HTTP parser refuses before Fastify sees it.
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(strictValidatorCompiler());

  await app.register(errorsPlugin);
  // Admission first: a request beyond capacity is refused before any other hook does work for it.
  await app.register(admissionPlugin, config.admission);
  // Auth identifies the caller before rate limiting, so limits can key on the user.
  await app.register(authPlugin, { config: config.jwt });
  await app.register(securityPlugin, { config });
  await app.register(docsPlugin);
  await app.register(inputHygienePlugin);
  await app.register(databasePlugin, { uri: config.mongodbUri, monitorCommands: options.monitorCommands });
  await app.register(coreClientPlugin, { config: config.core });
  await app.register(wechatClientPlugin, { config: config.wechat });
  await app.register(ossClientPlugin, { config: config.oss });

  // At the root for probes on the BFF itself, and under /api/v1 for probes through a gateway that forwards only /api.
  await app.register(healthModule);
  const services = createServices(app, config, options.now ?? (() => new Date()));
  await app.register(
    async (api) => {
      // Before the features: its hook applies to every route registered after it (代办, X-Act-As).
      await api.register(actingPlugin, { resolver: services.agency });
      await api.register(healthModule);
      await api.register(authModule, {
        service: services.auth,
        sensitivePerMinute: config.rateLimit.sensitivePerMinute,
        revocationSyncMs: config.jwt.revocationSyncMs,
      });
      await api.register(catalogueModule, {
        service: services.catalogue,
        refreshMs: config.catalogueRefreshMs,
      });
      await api.register(messagesModule, {
        service: services.messages,
        notifier: services.notifier,
        retryMs: config.notify.retryMs,
      });
      await api.register(bookingModule, {
        service: services.booking,
        idempotency: services.idempotency,
        notifier: services.notifier,
        sweepMs: config.booking.sweepMs,
      });
      await api.register(queueModule, { service: services.queue, figures: services.queueFigures });
      await api.register(progressModule, {
        service: services.progress,
        lookupsPerIpPerMinute: config.progress.lookupsPerIpPerMinute,
        retryMs: config.progress.retryMs,
        core: config.core,
      });
      await api.register(correctionModule, { service: services.correction, sweepMs: config.upload.sweepMs });
      await api.register(ratingModule, {
        service: services.rating,
        links: services.ratingLinks,
        feedback: services.feedback,
        province: services.province,
        provinceRetryMs: config.province.retryMs,
      });
      await api.register(signoffModule, {
        service: services.signoff,
        resendMs: config.signoff.retryMs,
        signatureSweepMs: config.upload.sweepMs,
        warningSweepMs: config.signoff.warningSweepMs,
      });
      await api.register(applicationModule, {
        service: services.application,
        prechecks: services.prechecks,
        agency: services.agency,
        assisted: services.assisted,
        sweepMs: config.application.sweepMs,
      });
    },
    { prefix: '/api/v1' },
  );
  return app;
}
