// The supervisors' daily reconciliation of the provincial reporting (reports made,
// acknowledged, and those still unmatched, listed).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProvinceReconciliation } from '@onewindow/shared-types';
import type { ProvinceReporter } from './province-reporter';
import { errorResponses as errors } from '../../errors';

const supervisor = { roles: ['supervisor'] as const };

export const provinceRoutes: FastifyPluginAsyncTypebox<{ reporter: ProvinceReporter }> = async (
  app,
  { reporter },
) => {
  app.get(
    '/staff/ratings/province-reconciliation',
    {
      config: supervisor,
      schema: {
        tags: ['rating'],
        querystring: Type.Object({ date: Type.String({ format: 'date' }) }, { additionalProperties: false }),
        response: { 200: ProvinceReconciliation, ...errors },
      },
    },
    (request) => reporter.reconciliation(request.query.date),
  );
};
