// Progress: the citizen's routes, the core system's webhook, and the retry of events that
// could not be applied (the core system was down when they arrived).
import type { FastifyInstance } from 'fastify';
import { WebhookSignatureVerifier } from '../../plugins/core-signature';
import { every } from '../../scheduler';
import { caseEventHook, progressRoutes } from './routes';
import type { ProgressService } from './service';

export async function progressModule(
  app: FastifyInstance,
  {
    service,
    lookupsPerIpPerMinute,
    retryMs,
    core,
  }: {
    service: ProgressService;
    lookupsPerIpPerMinute: number;
    retryMs: number;
    /** The core system's app key and secret, which sign its webhook calls. */
    core: { appKey: string; appSecret: string };
  },
): Promise<void> {
  await app.register(progressRoutes, {
    service,
    lookupsPerIpPerMinute,
  });
  await app.register(caseEventHook, {
    service,
    verifier: new WebhookSignatureVerifier(core.appKey, core.appSecret, app.db),
  });
  every(app, retryMs, 'case event retry', () => service.drainAll());
}
