// Online application: the citizen's and the pre-checking clerk's routes, and the sweep that
// settles submissions and pre-check decisions a crash or an unanswered call left open, deletes
// drafts past their 30 days and uploads never used.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import { applicationRoutes } from './routes';
import type { AgencyService } from './agency';
import type { AssistedService } from './assisted';
import type { PrecheckService } from './precheck';
import type { ApplicationService } from './service';

export async function applicationModule(
  app: FastifyInstance,
  {
    service,
    prechecks,
    agency,
    assisted,
    sweepMs,
  }: {
    service: ApplicationService;
    prechecks: PrecheckService;
    agency: AgencyService;
    assisted: AssistedService;
    sweepMs: number;
  },
): Promise<void> {
  await app.register(applicationRoutes, { service, prechecks, agency, assisted });
  every(app, sweepMs, 'application sweep', async () => {
    const done = { ...(await service.sweep()), prechecks: await prechecks.sweep() };
    if (done.settled + done.expired + done.deleted + done.prechecks > 0)
      app.log.info(done, 'application sweep');
  });
}
