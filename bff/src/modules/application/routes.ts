import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  AgencyActionList,
  Assisted,
  AssistedList,
  AssistedParams,
  AssistBody,
  AssistConsentBody,
  Grant,
  GrantBody,
  GrantList,
  GrantParams,
  PrecheckCase,
  PrecheckDecisionBody,
  PrecheckList,
  PrecheckOutcome,
  PrecheckParams,
  ApplicationDraft,
  ApplicationList,
  ApplicationUploadPolicyBody,
  ChooseMaterialBody,
  CreateDraftBody,
  DraftMaterialParams,
  DraftParams,
  LicenceList,
  SaveValuesBody,
  UploadPolicy,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import type { ActAsRoute } from '../../plugins/acting';
import type { AgencyService } from './agency';
import { staffKeeper, type AssistedService } from './assisted';
import type { PrecheckService } from './precheck';
import type { AgentStep, ApplicationService } from './service';
import { errorResponses as errors } from '../../errors';

const citizen = { roles: ['citizen'] as const };
const windowStaff = { roles: ['window'] as const };
/** Drafts are kept by a citizen, or by a clerk applying for a walk-in citizen (帮办). */
const keeper = { roles: ['citizen', 'window'] as const };
/** Under X-Act-As `user.sub` is already the principal: the agent works on her draft, as on her bookings. */
const keeperOf = (request: FastifyRequest) => {
  const user = currentUser(request);
  return user.role === 'window' ? staffKeeper(user.sub) : user.sub;
};
/** The agent acting in the principal's name on this request (X-Act-As), for the draft, the case and the log. */
const agentOf = (request: FastifyRequest): AgentStep => request.acting ?? null;
/** A signature PNG from the window's pad, base64: more than the default body limit allows. */
const SIGNATURE_BODY_LIMIT = 600 * 1024;
const tags = ['application'];
/** As for correction uploads: a phone picking files needs a few a minute. */
const POLICIES_PER_MINUTE = 30;

export const applicationRoutes: FastifyPluginAsyncTypebox<{
  service: ApplicationService;
  prechecks: PrecheckService;
  agency: AgencyService;
  assisted: AssistedService;
}> = async (app, { service, prechecks, agency, assisted }) => {
  // 代办 (X-Act-As): the grant must cover the item applied for, or the item of the principal's draft
  // (found with her as owner: another person's draft is 404 to the agent as to anyone). The service
  // writes the agency log itself: a resumed draft is no new start, and the sweep may settle a submit.
  const onItem: ActAsRoute = {
    target: (request) => Promise.resolve({ itemCode: (request.body as CreateDraftBody).itemCode }),
  };
  const onDraft: ActAsRoute = {
    target: async (request, owner) => ({
      itemCode: await service.itemOf(
        owner,
        ({ ...(request.body as object), ...(request.params as object) } as { draftId: string }).draftId,
      ),
    }),
  };
  const keeperOrAgent = (actAs: ActAsRoute) => ({ ...keeper, actAs });

  app.post(
    '/agency/grants',
    { config: citizen, schema: { tags, body: GrantBody, response: { 200: Grant, ...errors } } },
    (request) => agency.grant(currentUser(request).sub, request.body),
  );
  app.get(
    '/agency/grants',
    { config: citizen, schema: { tags, response: { 200: GrantList, ...errors } } },
    (request) => agency.list(currentUser(request).sub),
  );
  app.post(
    '/agency/grants/:grantId/accept',
    { config: citizen, schema: { tags, params: GrantParams, response: { 200: Grant, ...errors } } },
    (request) => agency.accept(currentUser(request).sub, request.params.grantId),
  );
  app.post(
    '/agency/grants/:grantId/revoke',
    { config: citizen, schema: { tags, params: GrantParams, response: { 200: Grant, ...errors } } },
    (request) => agency.revoke(currentUser(request).sub, request.params.grantId),
  );
  app.get(
    '/agency/actions',
    { config: citizen, schema: { tags, response: { 200: AgencyActionList, ...errors } } },
    (request) => agency.actions(currentUser(request).sub),
  );

  app.post(
    '/staff/assisted',
    { config: windowStaff, schema: { tags, body: AssistBody, response: { 200: Assisted, ...errors } } },
    (request) => assisted.start(currentUser(request), request.body),
  );
  app.get(
    '/staff/assisted',
    { config: windowStaff, schema: { tags, response: { 200: AssistedList, ...errors } } },
    (request) => assisted.list(currentUser(request)),
  );
  app.post(
    '/staff/assisted/:assistedId/consent',
    {
      config: windowStaff,
      bodyLimit: SIGNATURE_BODY_LIMIT,
      schema: {
        tags,
        params: AssistedParams,
        body: AssistConsentBody,
        response: { 200: Assisted, ...errors },
      },
    },
    (request) => assisted.consent(currentUser(request), request.params.assistedId, request.body.signaturePng),
  );

  app.get(
    '/staff/prechecks',
    { config: windowStaff, schema: { tags, response: { 200: PrecheckList, ...errors } } },
    (request) => prechecks.queue(currentUser(request)),
  );
  app.get(
    '/staff/prechecks/:acceptNo',
    {
      config: windowStaff,
      schema: { tags, params: PrecheckParams, response: { 200: PrecheckCase, ...errors } },
    },
    (request) => prechecks.one(currentUser(request), request.params.acceptNo),
  );
  app.post(
    '/staff/prechecks/:acceptNo/decision',
    {
      config: windowStaff,
      schema: {
        tags,
        params: PrecheckParams,
        body: PrecheckDecisionBody,
        response: { 200: PrecheckOutcome, ...errors },
      },
    },
    (request) => prechecks.decide(currentUser(request), request.params.acceptNo, request.body),
  );

  app.get(
    '/applications',
    { config: citizen, schema: { tags, response: { 200: ApplicationList, ...errors } } },
    (request) => service.list(currentUser(request).sub),
  );
  app.post(
    '/applications/drafts',
    {
      config: keeperOrAgent(onItem),
      schema: { tags, body: CreateDraftBody, response: { 200: ApplicationDraft, ...errors } },
    },
    (request) =>
      service.start(keeperOf(request), request.body.itemCode, agentOf(request), request.body.assistedId),
  );
  app.get(
    '/applications/drafts/:draftId',
    {
      config: keeperOrAgent(onDraft),
      schema: { tags, params: DraftParams, response: { 200: ApplicationDraft, ...errors } },
    },
    (request) => service.get(keeperOf(request), request.params.draftId, agentOf(request)),
  );
  app.delete(
    '/applications/drafts/:draftId',
    {
      config: keeperOrAgent(onDraft),
      schema: {
        tags,
        params: DraftParams,
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors },
      },
    },
    async (request) => {
      await service.discard(keeperOf(request), request.params.draftId);
      return { ok: true };
    },
  );
  app.put(
    '/applications/drafts/:draftId/values',
    {
      config: keeperOrAgent(onDraft),
      schema: {
        tags,
        params: DraftParams,
        body: SaveValuesBody,
        response: { 200: ApplicationDraft, ...errors },
      },
    },
    (request) =>
      service.saveValues(keeperOf(request), request.params.draftId, request.body.values, agentOf(request)),
  );
  app.get(
    '/applications/drafts/:draftId/materials/:materialCode/licences',
    {
      config: keeperOrAgent(onDraft),
      schema: { tags, params: DraftMaterialParams, response: { 200: LicenceList, ...errors } },
    },
    (request) =>
      service.licences(
        keeperOf(request),
        request.params.draftId,
        request.params.materialCode,
        agentOf(request),
      ),
  );
  app.put(
    '/applications/drafts/:draftId/materials/:materialCode',
    {
      config: keeperOrAgent(onDraft),
      schema: {
        tags,
        params: DraftMaterialParams,
        body: ChooseMaterialBody,
        response: { 200: ApplicationDraft, ...errors },
      },
    },
    (request) =>
      service.chooseMaterial(
        keeperOf(request),
        request.params.draftId,
        request.params.materialCode,
        request.body,
        agentOf(request),
      ),
  );
  app.delete(
    '/applications/drafts/:draftId/materials/:materialCode',
    {
      config: keeperOrAgent(onDraft),
      schema: { tags, params: DraftMaterialParams, response: { 200: ApplicationDraft, ...errors } },
    },
    (request) =>
      service.clearMaterial(
        keeperOf(request),
        request.params.draftId,
        request.params.materialCode,
        agentOf(request),
      ),
  );
  app.post(
    '/applications/uploads/policy',
    {
      config: {
        ...keeperOrAgent(onDraft),
        rateLimit: { max: POLICIES_PER_MINUTE, timeWindow: 60_000 },
      },
      schema: { tags, body: ApplicationUploadPolicyBody, response: { 200: UploadPolicy, ...errors } },
    },
    (request) => service.policy(keeperOf(request), request.body),
  );
  app.post(
    '/applications/drafts/:draftId/submit',
    {
      config: keeperOrAgent(onDraft),
      schema: { tags, params: DraftParams, response: { 200: ApplicationDraft, ...errors } },
    },
    (request) => service.submit(keeperOf(request), request.params.draftId, agentOf(request)),
  );
};
