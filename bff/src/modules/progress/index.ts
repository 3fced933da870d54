// Progress: the citizen's routes, the core system's webhook, and the retry of events that
// could not be applied (the core system was down when they arrived).
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import { WebhookSignatureVerifier } from '../../plugins/core-signature';
import { every } from '../../scheduler';
import { caseEventHook, progressRoutes } from './routes';
import type { ProgressService } from './service';

export async function progressModule(
  app: FastifyInstance,
  { service, config }: { service: ProgressService; config: Config },
): Promise<void> {
  await app.register(progressRoutes, {
    service,
    lookupsPerIpPerMinute: config.progress.lookupsPerIpPerMinute,
  });
  await app.register(caseEventHook, {
    service,
    verifier: new WebhookSignatureVerifier(config.core.appKey, config.core.appSecret, app.db),
  });
  every(app, config.progress.retryMs, 'case event retry', () => service.drainAll());
}
