import type { FastifyInstance } from 'fastify';
import { queueRoutes } from './routes';
import type { QueueService } from './service';

export async function queueModule(
  app: FastifyInstance,
  { service }: { service: QueueService },
): Promise<void> {
  await app.register(queueRoutes, { service });
}
