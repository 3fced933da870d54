// The catalogue feature: its routes and the scheduled refresh.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import { catalogueRoutes } from './routes';
import type { CatalogueService } from './service';

// What other features use: whether a hall is open at an instant (取号 checks it).
export { isOpenAt } from './hall-hours';

export async function catalogueModule(
  app: FastifyInstance,
  { service, refreshMs }: { service: CatalogueService; refreshMs: number },
): Promise<void> {
  await app.register(catalogueRoutes, { service });
  every(app, refreshMs, 'catalogue refresh (serving the cached copy)', () => service.refresh());
}
