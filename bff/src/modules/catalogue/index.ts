// The catalogue feature: its models, the service over them, the routes, and the scheduled refresh.
import type { FastifyInstance } from 'fastify';
import { catalogueModels } from './model';
import { catalogueRoutes } from './routes';
import { CatalogueService } from './service';

export async function catalogueModule(app: FastifyInstance, { refreshMs }: { refreshMs: number }): Promise<void> {
  const service = new CatalogueService(catalogueModels(app.db), app.core, refreshMs);
  await app.register(catalogueRoutes, { service });
  const timer = setInterval(() => {
    service.refresh().catch((error: unknown) => app.log.warn({ err: error }, 'catalogue refresh failed; serving the cached copy'));
  }, refreshMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
