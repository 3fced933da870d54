// Sign-off: the approver's and supervisor's routes, the resend of decisions the core system
// has not answered, the sweep of unused signature images, and the deadline warnings.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import { signoffRoutes } from './routes';
import type { SignoffService } from './service';

export async function signoffModule(
  app: FastifyInstance,
  {
    service,
    resendMs,
    signatureSweepMs,
    warningSweepMs,
  }: { service: SignoffService; resendMs: number; signatureSweepMs: number; warningSweepMs: number },
): Promise<void> {
  await app.register(signoffRoutes, { service });
  every(app, resendMs, 'decision resend', async () => {
    const done = await service.resendPending();
    if (done.applied + done.refused > 0) app.log.info(done, 'decision resend');
  });
  every(app, signatureSweepMs, 'signature sweep', () => service.sweepSignatures());
  every(app, warningSweepMs, 'task warnings', () => service.notifyWarnings());
}
