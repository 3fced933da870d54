import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, FollowUp, FollowUpAction, FollowUpList, FollowUpQuery, Rating, RatingBody, RatingList, RatingStats, StatsQuery } from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import type { RatingService } from './service';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const citizen = { roles: ['citizen'] as const };
const supervisor = { roles: ['supervisor'] as const };

export const ratingRoutes: FastifyPluginAsyncTypebox<{ service: RatingService }> = async (app, { service }) => {
  app.post('/ratings', { config: citizen, schema: { tags: ['rating'], body: RatingBody, response: { 201: Rating, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await service.rate(currentUser(request).sub, request.body)),
  );
  app.get('/ratings/mine', { config: citizen, schema: { tags: ['rating'], response: { 200: RatingList, ...errors } } }, async (request) => ({ ratings: await service.mine(currentUser(request).sub) }));
  app.get('/staff/ratings/stats', { config: supervisor, schema: { tags: ['rating'], querystring: StatsQuery, response: { 200: RatingStats, ...errors } } }, (request) =>
    service.stats(currentUser(request), request.query),
  );
  app.get('/staff/follow-ups', { config: supervisor, schema: { tags: ['rating'], querystring: FollowUpQuery, response: { 200: FollowUpList, ...errors } } }, (request) =>
    service.followUps(currentUser(request), request.query.status),
  );
  app.post(
    '/staff/follow-ups/:id',
    { config: supervisor, schema: { tags: ['rating'], params: Type.Object({ id: Type.String({ maxLength: 40 }) }), body: FollowUpAction, response: { 200: FollowUp, ...errors } } },
    (request) => service.act(currentUser(request), request.params.id, request.body),
  );
};
