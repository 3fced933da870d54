// The catalogue feature: its routes and the scheduled refresh.
import type { FastifyInstance } from 'fastify';
import { every } from '../../services';
import { catalogueRoutes } from './routes';
import type { CatalogueService } from './service';

export async function catalogueModule(app: FastifyInstance, { service, refreshMs }: { service: CatalogueService; refreshMs: number }): Promise<void> {
  await app.register(catalogueRoutes, { service });
  every(app, refreshMs, 'catalogue refresh (serving the cached copy)', () => service.refresh());
}
