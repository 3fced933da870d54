import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CacheInfo,
  HallDetail,
  HallList,
  HallListQuery,
  ItemDetail,
  ItemPage,
  ItemSearchQuery,
  SampleFormLink,
} from '@onewindow/shared-types';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogueService } from './service';
import { SerialisedAnswers } from './serialised-answers';
import { errorResponses as errors } from '../../errors';

const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });

export const catalogueRoutes: FastifyPluginAsyncTypebox<{ service: CatalogueService }> = async (
  app,
  { service },
) => {
  const answers = new SerialisedAnswers();
  const kept = async (request: FastifyRequest, reply: FastifyReply, produce: () => Promise<unknown>) =>
    answers.answer(request, reply, await service.version(), produce);
  app.get(
    '/halls',
    {
      schema: {
        tags: ['catalogue'],
        querystring: HallListQuery,
        response: { 200: HallList, ...errors },
      },
    },
    (request, reply) => kept(request, reply, () => service.halls(request.query)),
  );
  app.get(
    '/halls/:hallId',
    {
      schema: {
        tags: ['catalogue'],
        params: Type.Object({ hallId: Id }),
        response: { 200: HallDetail, ...errors },
      },
    },
    (request, reply) => kept(request, reply, () => service.hall(request.params.hallId)),
  );
  app.get(
    '/items',
    {
      schema: {
        tags: ['catalogue'],
        querystring: ItemSearchQuery,
        response: { 200: ItemPage, ...errors },
      },
    },
    (request, reply) => kept(request, reply, () => service.search(request.query)),
  );
  // On-demand refresh, for when the centre changes a guide and cannot wait for the schedule.
  app.post(
    '/staff/catalogue/refresh',
    {
      config: { roles: ['supervisor'] },
      schema: {
        tags: ['catalogue'],
        response: { 200: Type.Object({ cache: CacheInfo }), ...errors },
      },
    },
    async () => ({ cache: await service.refreshNow() }),
  );
  app.get(
    '/items/:code/materials/:materialCode/sample',
    {
      schema: {
        tags: ['catalogue'],
        params: Type.Object({ code: Id, materialCode: Id }),
        response: { 200: SampleFormLink, ...errors },
      },
    },
    (request) => service.sampleForm(request.params.code, request.params.materialCode),
  );
  app.get(
    '/items/:code',
    {
      schema: {
        tags: ['catalogue'],
        params: Type.Object({ code: Id }),
        response: { 200: ItemDetail, ...errors },
      },
    },
    (request, reply) => kept(request, reply, () => service.item(request.params.code)),
  );
};
