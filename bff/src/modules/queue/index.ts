import type { FastifyInstance } from 'fastify';
import { queueRoutes } from './routes';
import type { QueueService } from './service';
import type { OperatingFigures } from './figures';

export async function queueModule(
  app: FastifyInstance,
  { service, figures }: { service: QueueService; figures: OperatingFigures },
): Promise<void> {
  await app.register(queueRoutes, { service, figures });
}
