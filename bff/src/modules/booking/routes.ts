import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  Appointment,
  AppointmentList,
  BookBody,
  RescheduleBody,
  SlotList,
  SlotQuery,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import { actedBy, type ActAsRoute } from '../../plugins/acting';
import type { IdempotentWrites } from '../../plugins/idempotency';
import type { BookingService } from './service';
import { errorResponses as errors } from '../../errors';

const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const citizen = { roles: ['citizen'] as const };
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 100 })) });

export interface BookingRouteOptions {
  service: BookingService;
  idempotency: IdempotentWrites;
}

export const bookingRoutes: FastifyPluginAsyncTypebox<BookingRouteOptions> = async (
  app,
  { service, idempotency },
) => {
  // 代办 (X-Act-As): on a booking, the grant must cover the booked item.
  const onBooking = (action?: ActAsRoute['action']): ActAsRoute => ({
    action,
    target: async (request, owner) => ({
      itemCode: await service.itemOf(owner, (request.params as { id: string }).id),
    }),
    ref: 'bookingCode',
  });

  app.get(
    '/halls/:hallId/slots',
    {
      schema: {
        tags: ['booking'],
        params: Type.Object({ hallId: Id }),
        querystring: SlotQuery,
        response: { 200: SlotList, ...errors },
      },
    },
    (request) =>
      service.slots(request.params.hallId, request.query.itemCode, request.query.from, request.query.to),
  );

  app.post(
    '/appointments',
    {
      config: {
        ...citizen,
        actAs: {
          action: 'book',
          target: (request) => Promise.resolve({ itemCode: (request.body as BookBody).itemCode }),
          ref: 'bookingCode',
        },
      },
      schema: {
        tags: ['booking'],
        body: BookBody,
        headers: IdempotencyHeaders,
        response: { 201: Appointment, ...errors },
      },
    },
    async (request, reply) => {
      const userId = currentUser(request).sub;
      const result = await idempotency.run(
        userId,
        request.headers['idempotency-key'],
        { route: 'book', body: request.body },
        async () => ({
          status: 201,
          body: await service.book({ userId, actedBy: actedBy(request) }, request.body),
        }),
      );
      return reply.status(result.status).send(result.body);
    },
  );

  app.get(
    '/appointments',
    { config: citizen, schema: { tags: ['booking'], response: { 200: AppointmentList, ...errors } } },
    async (request) => ({ appointments: await service.list(currentUser(request).sub) }),
  );

  const byId = { params: Type.Object({ id: Type.String({ maxLength: 40 }) }) };
  app.get(
    '/appointments/:id',
    {
      config: { ...citizen, actAs: onBooking() },
      schema: { tags: ['booking'], ...byId, response: { 200: Appointment, ...errors } },
    },
    (request) => service.get(currentUser(request).sub, request.params.id),
  );
  app.post(
    '/appointments/:id/cancel',
    {
      config: { ...citizen, actAs: onBooking('cancel_booking') },
      schema: { tags: ['booking'], ...byId, response: { 200: Appointment, ...errors } },
    },
    (request) => service.cancel(currentUser(request).sub, request.params.id),
  );
  app.post(
    '/appointments/:id/reschedule',
    {
      config: { ...citizen, actAs: onBooking('reschedule_booking') },
      schema: { tags: ['booking'], ...byId, body: RescheduleBody, response: { 200: Appointment, ...errors } },
    },
    (request) => service.reschedule(currentUser(request).sub, request.params.id, request.body.start),
  );
  app.post(
    '/appointments/:id/check-in',
    {
      config: { ...citizen, actAs: onBooking('check_in') },
      schema: { tags: ['booking'], ...byId, response: { 200: Appointment, ...errors } },
    },
    (request) => service.checkIn(currentUser(request).sub, request.params.id, actedBy(request)),
  );
};
