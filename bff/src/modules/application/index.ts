// Online application: the citizen's routes, and the sweep that settles submissions a crash or an
// unanswered call left open, deletes drafts past their 30 days and uploads never used.
import type { FastifyInstance } from 'fastify';
import { every } from '../../services';
import { applicationRoutes } from './routes';
import type { ApplicationService } from './service';

export async function applicationModule(app: FastifyInstance, { service, sweepMs }: { service: ApplicationService; sweepMs: number }): Promise<void> {
  await app.register(applicationRoutes, { service });
  every(app, sweepMs, 'application sweep', async () => {
    const done = await service.sweep();
    if (done.settled + done.expired + done.deleted > 0) app.log.info(done, 'application sweep');
  });
}
