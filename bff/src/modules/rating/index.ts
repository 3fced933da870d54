// Rating (好差评): the citizen's and staff's routes, rating links (扫码/短信评价), guide and app
// feedback, the provincial reporting with its retry timer, and the start-up repair of ratings
// stored before input types were strict.
import type { FastifyInstance } from 'fastify';
import { every } from '../../scheduler';
import { feedbackRoutes, type FeedbackService } from './feedback';
import { ratingLinkRoutes } from './link-routes';
import type { RatingLinks } from './links';
import type { ProvinceReporter } from './province-reporter';
import { provinceRoutes } from './province-routes';
import { repairRatingLevels } from './repair';
import { ratingRoutes } from './routes';
import type { RatingService } from './service';

export async function ratingModule(
  app: FastifyInstance,
  {
    service,
    links,
    feedback,
    province,
    provinceRetryMs,
  }: {
    service: RatingService;
    links: RatingLinks;
    feedback: FeedbackService;
    province: ProvinceReporter;
    provinceRetryMs: number;
  },
): Promise<void> {
  await app.register(ratingRoutes, { service });
  await app.register(ratingLinkRoutes, { links });
  await app.register(feedbackRoutes, { service: feedback });
  await app.register(provinceRoutes, { reporter: province });
  every(app, provinceRetryMs, 'province report retry', () => province.flushDue());
  // Repaired at every start (idempotent), so a bad record cannot break a page; what was retired
  // is reported in the log.
  app.addHook('onReady', async () => {
    const report = await repairRatingLevels(app.db);
    if (report.found > 0)
      app.log.warn(
        { ratings: report.ids },
        `${report.found} rating(s) with a level outside 1–5 retired (see quarantine on each)`,
      );
  });
}
