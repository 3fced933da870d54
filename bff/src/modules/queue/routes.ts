import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  Display,
  FiguresQuery,
  PriorityBody,
  PriorityFlagList,
  QueueFigures,
  QueueList,
  TakeTicketBody,
  Ticket,
  TransferBody,
  WindowState,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import { actedBy, type ActAsRoute } from '../../plugins/acting';
import type { QueueService } from './service';
import { figuresCsv, type OperatingFigures } from './figures';
import { errorResponses as errors } from '../../errors';

const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const citizen = { roles: ['citizen'] as const };
const windowStaff = { roles: ['window'] as const };
const supervisor = { roles: ['supervisor'] as const };
const byId = { params: Type.Object({ id: Type.String({ maxLength: 40 }) }) };
const HEARTBEAT_MS = 15_000;

export const queueRoutes: FastifyPluginAsyncTypebox<{
  service: QueueService;
  figures: OperatingFigures;
}> = async (app, { service, figures }) => {
  // 代办 (X-Act-As): a number is for a hall's line, so the grant must cover an item served on it.
  const onTicket = (action?: ActAsRoute['action']): ActAsRoute => ({
    action,
    target: (request, owner) => service.lineOf(owner, (request.params as { id: string }).id),
    ref: 'number',
  });

  // Open event streams never end on their own: closing the app ends them, or it would wait forever.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
    await service.closeLive();
  });

  app.get(
    '/halls/:hallId/queues',
    {
      schema: {
        tags: ['queue'],
        params: Type.Object({ hallId: Id }),
        response: { 200: QueueList, ...errors },
      },
    },
    (request) => service.queues(request.params.hallId),
  );
  app.get(
    '/halls/:hallId/display',
    {
      schema: { tags: ['queue'], params: Type.Object({ hallId: Id }), response: { 200: Display, ...errors } },
    },
    (request) => service.display(request.params.hallId),
  );

  app.post(
    '/halls/:hallId/tickets',
    {
      config: {
        ...citizen,
        actAs: {
          action: 'take_number',
          target: (request) =>
            Promise.resolve({
              hallId: (request.params as { hallId: string }).hallId,
              category: (request.body as { category: string }).category,
            }),
          ref: 'number',
        },
      },
      schema: {
        tags: ['queue'],
        params: Type.Object({ hallId: Id }),
        body: TakeTicketBody,
        response: { 201: Ticket, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.take(
            currentUser(request).sub,
            request.params.hallId,
            request.body.category,
            actedBy(request),
          ),
        ),
  );
  app.get(
    '/tickets/:id',
    {
      config: { ...citizen, actAs: onTicket() },
      schema: { tags: ['queue'], ...byId, response: { 200: Ticket, ...errors } },
    },
    (request) => service.get(currentUser(request).sub, request.params.id),
  );
  app.post(
    '/tickets/:id/cancel',
    {
      config: { ...citizen, actAs: onTicket('cancel_ticket') },
      schema: { tags: ['queue'], ...byId, response: { 200: Ticket, ...errors } },
    },
    (request) => service.cancel(currentUser(request).sub, request.params.id),
  );
  app.post(
    '/tickets/:id/rejoin',
    { config: citizen, schema: { tags: ['queue'], ...byId, response: { 200: Ticket, ...errors } } },
    (request) => service.rejoin(currentUser(request).sub, request.params.id),
  );

  // Server-sent events: the ticket now, then again whenever it changes (position, call, status).
  // Open for as long as the citizen waits, so not counted by admission control.
  app.get(
    '/tickets/:id/events',
    { config: { ...citizen, unbounded: true, actAs: onTicket() }, schema: { tags: ['queue'], ...byId } },
    async (request, reply) => {
      const raw = reply.raw;
      const write = (ticket: Ticket) => raw.write(`event: ticket\ndata: ${JSON.stringify(ticket)}\n\n`);
      const { initial, stop: unfollow } = await service.follow(
        currentUser(request).sub,
        request.params.id,
        (ticket) => write(ticket),
      );
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      write(initial);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        unfollow();
        streams.delete(end);
      };
      const end = () => {
        stop();
        raw.end();
      };
      streams.add(end);
      request.raw.on('close', stop);
    },
  );

  app.get(
    '/staff/windows/:windowId',
    {
      config: windowStaff,
      schema: {
        tags: ['queue'],
        params: Type.Object({ windowId: Id }),
        response: { 200: WindowState, ...errors },
      },
    },
    (request) => service.window(currentUser(request), request.params.windowId),
  );
  app.post(
    '/staff/windows/:windowId/open',
    {
      config: windowStaff,
      schema: {
        tags: ['queue'],
        params: Type.Object({ windowId: Id }),
        response: { 200: WindowState, ...errors },
      },
    },
    (request) => service.setWindowOpen(currentUser(request), request.params.windowId, true),
  );
  app.post(
    '/staff/windows/:windowId/close',
    {
      config: windowStaff,
      schema: {
        tags: ['queue'],
        params: Type.Object({ windowId: Id }),
        response: { 200: WindowState, ...errors },
      },
    },
    (request) => service.setWindowOpen(currentUser(request), request.params.windowId, false),
  );
  app.post(
    '/staff/windows/:windowId/call-next',
    {
      config: windowStaff,
      schema: {
        tags: ['queue'],
        params: Type.Object({ windowId: Id }),
        response: { 200: WindowState, ...errors },
      },
    },
    (request) => service.callNext(currentUser(request), request.params.windowId),
  );
  for (const action of ['recall', 'skip', 'serve', 'complete'] as const) {
    app.post(
      `/staff/tickets/:id/${action}`,
      {
        config: windowStaff,
        schema: { tags: ['queue'], ...byId, response: { 200: WindowState, ...errors } },
      },
      (request) => service[action](currentUser(request), request.params.id),
    );
  }
  app.post(
    '/staff/tickets/:id/transfer',
    {
      config: windowStaff,
      schema: { tags: ['queue'], ...byId, body: TransferBody, response: { 200: WindowState, ...errors } },
    },
    (request) => service.transfer(currentUser(request), request.params.id, request.body.category),
  );
  app.post(
    '/staff/tickets/:id/priority',
    {
      config: windowStaff,
      schema: { tags: ['queue'], ...byId, body: PriorityBody, response: { 200: Ticket, ...errors } },
    },
    (request) => service.flagPriority(currentUser(request), request.params.id, request.body.reason),
  );
  app.get(
    '/staff/priority-flags',
    {
      config: windowStaff,
      schema: {
        tags: ['queue'],
        querystring: Type.Object({ ticketId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: PriorityFlagList, ...errors },
      },
    },
    async (request) => ({
      flags: await service.flags(currentUser(request), request.query.ticketId),
    }),
  );

  // The centre's operating figures (supervisors of the hall's district), as JSON and as a CSV file.
  app.get(
    '/staff/queue/figures',
    {
      config: supervisor,
      schema: { tags: ['queue'], querystring: FiguresQuery, response: { 200: QueueFigures, ...errors } },
    },
    (request) => figures.figures(currentUser(request), request.query),
  );
  app.get(
    '/staff/queue/figures.csv',
    {
      config: supervisor,
      schema: {
        tags: ['queue'],
        querystring: FiguresQuery,
        // Sent as it is (text/csv), never serialised as JSON.
        response: { 200: Type.String({ description: 'CSV, UTF-8 with BOM' }), ...errors },
      },
    },
    async (request, reply) => {
      const answer = await figures.figures(currentUser(request), request.query);
      const name = `运营数据-${answer.hallName}-${answer.from}-${answer.to}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="queue-figures-${answer.hallId}-${answer.from}-${answer.to}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header('cache-control', 'no-store')
        .send(figuresCsv(answer));
    },
  );
};
