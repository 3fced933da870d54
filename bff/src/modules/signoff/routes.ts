import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AuditQuery,
  AuditView,
  DecisionBody,
  Reminder,
  ReminderBody,
  DecisionResult,
  SignaturePolicyBody,
  SupervisionList,
  SupervisionQuery,
  TaskDetail,
  TaskList,
  TaskParams,
  TaskQuery,
  UploadPolicy,
} from '@onewindow/shared-types';
import { Type } from '@sinclair/typebox';
import { currentUser } from '../../plugins/auth';
import type { SignoffService } from './service';
import { DECIDING_ROLES } from './model';
import { errorResponses as errors } from '../../errors';

const approver = { roles: DECIDING_ROLES };
const supervisor = { roles: ['supervisor'] as const };

export const signoffRoutes: FastifyPluginAsyncTypebox<{ service: SignoffService }> = async (
  app,
  { service },
) => {
  app.get(
    '/staff/tasks',
    {
      config: approver,
      schema: { tags: ['approval'], querystring: TaskQuery, response: { 200: TaskList, ...errors } },
    },
    (request) => service.tasks(currentUser(request), request.query.status),
  );
  app.get(
    '/staff/tasks/:id',
    {
      config: approver,
      schema: { tags: ['approval'], params: TaskParams, response: { 200: TaskDetail, ...errors } },
    },
    (request) => service.task(currentUser(request), request.params.id),
  );
  app.post(
    '/staff/tasks/:id/signature-policy',
    {
      config: { ...approver, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['approval'],
        params: TaskParams,
        body: SignaturePolicyBody,
        response: { 200: UploadPolicy, ...errors },
      },
    },
    (request) => service.signaturePolicy(currentUser(request), request.params.id, request.body),
  );
  app.post(
    '/staff/tasks/:id/decision',
    {
      config: approver,
      schema: {
        tags: ['approval'],
        params: TaskParams,
        body: DecisionBody,
        response: { 200: DecisionResult, 202: DecisionResult, ...errors },
      },
    },
    async (request, reply) => {
      const { pending, ...result } = await service.decide(
        currentUser(request),
        request.params.id,
        request.body,
        request.id,
      );
      // Recorded but not yet answered by the core system: accepted, the resend finishes it.
      return reply.status(pending ? 202 : 200).send(result);
    },
  );
  app.get(
    '/staff/supervision',
    {
      config: supervisor,
      schema: {
        tags: ['approval'],
        querystring: SupervisionQuery,
        response: { 200: SupervisionList, ...errors },
      },
    },
    (request) => service.supervision(currentUser(request), request.query),
  );
  app.post(
    '/staff/supervision/:acceptNo/remind',
    {
      config: supervisor,
      schema: {
        tags: ['approval'],
        params: Type.Object({
          acceptNo: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
        }),
        body: ReminderBody,
        response: { 201: Reminder, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.remind(currentUser(request), request.params.acceptNo, request.body)),
  );
  app.get(
    '/staff/audit',
    {
      config: supervisor,
      schema: { tags: ['approval'], querystring: AuditQuery, response: { 200: AuditView, ...errors } },
    },
    (request) => service.auditLog(currentUser(request), request.query),
  );
};
