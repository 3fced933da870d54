import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ConsentBody,
  Message,
  MessagePage,
  MessageQuery,
  SmsPreference,
  SmsReceiptBatch,
  Subscriptions,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import type { MessageService } from './service';
import { errorResponses as errors } from '../../errors';

const citizen = { roles: ['citizen'] as const };
/** Staff get notices too (an approver's deadline warnings); subscriptions are WeChat's, so citizens' only. */
const anyone = { roles: ['citizen', 'window', 'approver', 'supervisor'] as const };

export const messageRoutes: FastifyPluginAsyncTypebox<{ service: MessageService }> = async (
  app,
  { service },
) => {
  app.get(
    '/messages',
    {
      config: anyone,
      schema: { tags: ['messages'], querystring: MessageQuery, response: { 200: MessagePage, ...errors } },
    },
    (request) => service.list(currentUser(request).sub, request.query.page, request.query.pageSize),
  );
  app.post(
    '/messages/:id/read',
    {
      config: anyone,
      schema: {
        tags: ['messages'],
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        response: { 200: Type.Object({ message: Message }), ...errors },
      },
    },
    async (request) => ({
      message: await service.markRead(currentUser(request).sub, request.params.id),
    }),
  );
  app.get(
    '/subscriptions',
    { config: citizen, schema: { tags: ['messages'], response: { 200: Subscriptions, ...errors } } },
    (request) => service.subscriptions(currentUser(request).sub),
  );
  app.post(
    '/subscriptions',
    {
      config: citizen,
      schema: { tags: ['messages'], body: ConsentBody, response: { 200: Subscriptions, ...errors } },
    },
    (request) => service.recordConsent(currentUser(request).sub, request.body),
  );
  app.get(
    '/me/sms',
    { config: citizen, schema: { tags: ['messages'], response: { 200: SmsPreference, ...errors } } },
    (request) => service.smsPreference(currentUser(request).sub),
  );
  app.put(
    '/me/sms',
    {
      config: citizen,
      schema: { tags: ['messages'], body: SmsPreference, response: { 200: SmsPreference, ...errors } },
    },
    (request) => service.setSmsPreference(currentUser(request).sub, request.body.optedOut),
  );
  // Aliyun answers `{"code":0}` as received; anything else makes it push the batch again.
  app.post(
    '/hooks/sms/receipts/:token',
    {
      schema: {
        tags: ['messages'],
        params: Type.Object({ token: Type.String({ maxLength: 128 }) }),
        body: SmsReceiptBatch,
        response: { 200: Type.Object({ code: Type.Integer(), msg: Type.String() }), ...errors },
      },
    },
    async (request) => {
      await service.receipts(request.params.token, request.body);
      return { code: 0, msg: '成功' };
    },
  );
};
