import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AppealBody,
  AppealDecision,
  FollowUp,
  FollowUpAction,
  FollowUpList,
  FollowUpQuery,
  Rating,
  RatingBody,
  RatingList,
  RatingStats,
  RectificationReviewBody,
  StaffRatingList,
  StatsQuery,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import { actedBy } from '../../plugins/acting';
import type { RatingService } from './service';
import { errorResponses as errors } from '../../errors';

const citizen = { roles: ['citizen'] as const };
const supervisor = { roles: ['supervisor'] as const };
const rated = { roles: ['window', 'approver'] as const };
const idParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

export const ratingRoutes: FastifyPluginAsyncTypebox<{ service: RatingService }> = async (
  app,
  { service },
) => {
  app.post(
    '/staff/ratings/:id/appeal',
    {
      config: rated,
      schema: { tags: ['rating'], params: idParams, body: AppealBody, response: { 200: Rating, ...errors } },
    },
    (request) => service.appeal(currentUser(request), request.params.id, request.body.reason),
  );
  app.post(
    '/staff/ratings/:id/appeal/decision',
    {
      config: supervisor,
      schema: {
        tags: ['rating'],
        params: idParams,
        body: AppealDecision,
        response: { 200: Rating, ...errors },
      },
    },
    (request) =>
      service.decideAppeal(
        currentUser(request),
        request.params.id,
        request.body.decision,
        request.body.reason,
      ),
  );
  app.get(
    '/staff/ratings/mine',
    { config: rated, schema: { tags: ['rating'], response: { 200: StaffRatingList, ...errors } } },
    async (request) => ({ ratings: await service.ratedMine(currentUser(request)) }),
  );
  app.post(
    '/ratings/:id/rectification-review',
    {
      config: citizen,
      schema: {
        tags: ['rating'],
        params: idParams,
        body: RectificationReviewBody,
        response: { 200: Rating, ...errors },
      },
    },
    (request) => service.reviewRectification(currentUser(request).sub, request.params.id, request.body),
  );
  app.post(
    '/ratings',
    {
      config: {
        ...citizen,
        // 代办 (X-Act-As): the grant must cover the case's item or the ticket's line.
        actAs: {
          action: 'rate',
          target: (request, owner) => service.subjectOf(owner, request.body as RatingBody),
        },
      },
      schema: { tags: ['rating'], body: RatingBody, response: { 201: Rating, ...errors } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.rate(currentUser(request).sub, request.body, 'app', actedBy(request))),
  );
  app.get(
    '/ratings/mine',
    { config: citizen, schema: { tags: ['rating'], response: { 200: RatingList, ...errors } } },
    async (request) => ({ ratings: await service.mine(currentUser(request).sub) }),
  );
  app.get(
    '/staff/ratings/stats',
    {
      config: supervisor,
      schema: { tags: ['rating'], querystring: StatsQuery, response: { 200: RatingStats, ...errors } },
    },
    (request) => service.stats(currentUser(request), request.query),
  );
  app.get(
    '/staff/follow-ups',
    {
      config: supervisor,
      schema: { tags: ['rating'], querystring: FollowUpQuery, response: { 200: FollowUpList, ...errors } },
    },
    (request) => service.followUps(currentUser(request), request.query.status),
  );
  app.post(
    '/staff/follow-ups/:id',
    {
      config: supervisor,
      schema: {
        tags: ['rating'],
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: FollowUpAction,
        response: { 200: FollowUp, ...errors },
      },
    },
    (request) => service.act(currentUser(request), request.params.id, request.body),
  );
};
