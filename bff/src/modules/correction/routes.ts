import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AcceptNoParams,
  CaseProgress,
  CorrectionParams,
  CorrectionView,
  SubmitCorrectionBody,
  UploadPolicy,
  UploadPolicyBody,
} from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import { actedBy, type ActAsRoute } from '../../plugins/acting';
import type { CorrectionService } from './service';
import { errorResponses as errors } from '../../errors';

const citizen = { roles: ['citizen'] as const };
/** A phone picking files one by one needs a few a minute; a script asking for thousands does not get them. */
const POLICIES_PER_MINUTE = 30;

export const correctionRoutes: FastifyPluginAsyncTypebox<{ service: CorrectionService }> = async (
  app,
  { service },
) => {
  // 代办 (X-Act-As): the grant must cover the case's item.
  const onCase = (action?: ActAsRoute['action']): ActAsRoute => ({
    action,
    target: async (request, owner) => {
      const { acceptNo } = { ...(request.body as object), ...(request.params as object) } as {
        acceptNo: string;
      };
      return { itemCode: await service.itemOf(owner, acceptNo) };
    },
  });

  app.get(
    '/cases/:acceptNo/corrections',
    {
      config: { ...citizen, actAs: onCase() },
      schema: { tags: ['correction'], params: AcceptNoParams, response: { 200: CorrectionView, ...errors } },
    },
    (request) => service.notice(currentUser(request).sub, request.params.acceptNo),
  );
  app.post(
    '/uploads/policy',
    {
      config: {
        ...citizen,
        rateLimit: { max: POLICIES_PER_MINUTE, timeWindow: 60_000 },
        actAs: onCase('correction_upload'),
      },
      schema: { tags: ['correction'], body: UploadPolicyBody, response: { 200: UploadPolicy, ...errors } },
    },
    (request) => service.policy(currentUser(request).sub, request.body, actedBy(request)),
  );
  app.post(
    '/cases/:acceptNo/corrections/:correctionId/submit',
    {
      config: { ...citizen, actAs: onCase('correction_submit') },
      schema: {
        tags: ['correction'],
        params: CorrectionParams,
        body: SubmitCorrectionBody,
        response: { 200: CaseProgress, ...errors },
      },
    },
    (request) =>
      service.submit(
        currentUser(request).sub,
        request.params.acceptNo,
        request.params.correctionId,
        request.body.files,
        actedBy(request),
      ),
  );
};
