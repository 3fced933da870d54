// Correction: the citizen's routes, and the sweep that deletes uploads never submitted and
// settles submissions a crash or an unanswered call left open.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import { correctionRoutes } from './routes';
import type { CorrectionService } from './service';

export async function correctionModule(
  app: FastifyInstance,
  { service, sweepMs }: { service: CorrectionService; sweepMs: number },
): Promise<void> {
  await app.register(correctionRoutes, { service });
  every(app, sweepMs, 'upload sweep', async () => {
    const done = await service.sweep();
    if (done.deleted + done.settled > 0) app.log.info(done, 'upload sweep');
  });
}
