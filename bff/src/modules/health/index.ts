// Health: the liveness and readiness probes.
import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './routes';

export async function healthModule(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
}
