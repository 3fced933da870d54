// Sign-off: the approver's and supervisor's routes, the resend of decisions the core system
// has not answered, the sweep of unused signature images, and the deadline warnings.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import { every } from '../../scheduler';
import { signoffRoutes } from './routes';
import type { SignoffService } from './service';

export async function signoffModule(
  app: FastifyInstance,
  { service, config }: { service: SignoffService; config: Config },
): Promise<void> {
  await app.register(signoffRoutes, { service });
  every(app, config.signoff.retryMs, 'decision resend', async () => {
    const done = await service.resendPending();
    if (done.applied + done.refused > 0) app.log.info(done, 'decision resend');
  });
  every(app, config.upload.sweepMs, 'signature sweep', () => service.sweepSignatures());
  every(app, config.signoff.warningSweepMs, 'task warnings', () => service.notifyWarnings());
}
