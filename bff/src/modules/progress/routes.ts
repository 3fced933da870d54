import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AcceptNoParams, CaseList, CaseProgress, DeliveryBody, LookupBody } from '@onewindow/shared-types';
import { AppError, errorResponses as errors } from '../../errors';
import { currentUser } from '../../plugins/auth';
import { addressKey } from '../../plugins/security';
import type { WebhookSignatureVerifier } from '../../plugins/core-signature';
import type { ProgressService } from './service';

const citizen = { roles: ['citizen'] as const };

const CaseEvent = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  type: Type.String({ minLength: 1, maxLength: 64 }),
  acceptNo: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' }),
  sequence: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  occurredAt: Type.String({ format: 'date-time' }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const progressRoutes: FastifyPluginAsyncTypebox<{
  service: ProgressService;
  lookupsPerIpPerMinute: number;
}> = async (app, { service, lookupsPerIpPerMinute }) => {
  // Per address whatever the token: three free accounts from one address share its limit.
  app.post(
    '/cases/lookup',
    {
      config: {
        rateLimit: { max: lookupsPerIpPerMinute, timeWindow: 60_000, keyGenerator: addressKey },
        personal: true,
      },
      schema: { tags: ['progress'], body: LookupBody, response: { 200: CaseProgress, ...errors } },
    },
    (request) => service.lookup(request.body.acceptNo, request.body.verifier),
  );
  app.get(
    '/cases',
    { config: citizen, schema: { tags: ['progress'], response: { 200: CaseList, ...errors } } },
    (request) => service.mine(currentUser(request).sub),
  );
  app.get(
    '/cases/:acceptNo',
    {
      config: citizen,
      schema: { tags: ['progress'], params: AcceptNoParams, response: { 200: CaseProgress, ...errors } },
    },
    (request) => service.detail(currentUser(request).sub, request.params.acceptNo),
  );
  app.put(
    '/cases/:acceptNo/delivery',
    {
      config: citizen,
      schema: {
        tags: ['progress'],
        params: AcceptNoParams,
        body: DeliveryBody,
        response: { 200: CaseProgress, ...errors },
      },
    },
    (request) => service.setDelivery(currentUser(request).sub, request.params.acceptNo, request.body),
  );
};

/**
 * The core system's webhook. Its own scope keeps the raw body, which the signature covers;
 * the event is stored before the 2xx (so the core system retries until we have it) and
 * applied after the answer, so a slow notification never holds the core system up.
 */
export const caseEventHook: FastifyPluginAsyncTypebox<{
  service: ProgressService;
  verifier: WebhookSignatureVerifier;
}> = async (app, { service, verifier }) => {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    (request as unknown as { rawBody: Buffer }).rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new AppError('INVALID_INPUT', '请求体不是合法的 JSON'), undefined);
    }
  });
  app.post(
    '/hooks/core/case-events',
    {
      schema: {
        tags: ['progress'],
        body: CaseEvent,
        response: { 200: Type.Object({ ok: Type.Boolean(), duplicate: Type.Boolean() }), ...errors },
      },
    },
    async (request) => {
      const raw = (request as unknown as { rawBody: Buffer }).rawBody;
      if (!(await verifier.verify(request.headers, request.method, new URL(request.url, 'http://bff'), raw)))
        throw new AppError('UNAUTHENTICATED', '签名校验失败');
      const outcome = await service.receive(request.body);
      void service
        .drain(request.body.acceptNo)
        .catch((error: unknown) =>
          request.log.warn(
            { err: error, acceptNo: request.body.acceptNo },
            'case event not applied yet; will retry',
          ),
        );
      return { ok: true, duplicate: outcome === 'duplicate' };
    },
  );
};
