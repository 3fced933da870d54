// Rating links: a citizen asks for one to their own handling (the QR code on the ticket page
// and receipts), a window clerk for the last handling completed at their window (the window's
// QR code); anyone holding the link sees what it rates and rates it once, without login.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  LinkRatingBody,
  Rating,
  RatingLink,
  RatingLinkRequest,
  RatingLinkToken,
  RatingLinkView,
  WindowRatingLink,
} from '@onewindow/shared-types';
import { AppError, errorResponses as errors } from '../../errors';
import { currentUser } from '../../plugins/auth';
import type { RatingLinks } from './links';

const citizen = { roles: ['citizen'] as const };
const params = Type.Object({ token: RatingLinkToken });

export const ratingLinkRoutes: FastifyPluginAsyncTypebox<{ links: RatingLinks }> = async (app, { links }) => {
  app.post(
    '/ratings/links',
    {
      config: citizen,
      schema: { tags: ['rating'], body: RatingLinkRequest, response: { 201: RatingLink, ...errors } },
    },
    async (request, reply) => {
      const { acceptNo, ticketId } = request.body;
      if (Boolean(acceptNo) === Boolean(ticketId))
        throw new AppError('INVALID_INPUT', '请指定要评价的办件或排队号（二选一）');
      const target = acceptNo
        ? { kind: 'case' as const, id: acceptNo }
        : { kind: 'ticket' as const, id: ticketId! };
      return reply.status(201).send(await links.mint(currentUser(request).sub, target, 'qr'));
    },
  );
  app.post(
    '/staff/windows/:windowId/rating-link',
    {
      config: { roles: ['window'] as const },
      schema: {
        tags: ['rating'],
        params: Type.Object({
          windowId: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
        }),
        response: { 200: WindowRatingLink, ...errors },
      },
    },
    (request) => links.windowLink(currentUser(request), request.params.windowId),
  );
  app.get(
    '/rate/:token',
    { schema: { tags: ['rating'], params, response: { 200: RatingLinkView, ...errors } } },
    (request) => links.show(request.params.token),
  );
  app.post(
    '/rate/:token',
    { schema: { tags: ['rating'], params, body: LinkRatingBody, response: { 201: Rating, ...errors } } },
    async (request, reply) => reply.status(201).send(await links.rate(request.params.token, request.body)),
  );
};
