// Remote correction (远程补正): the open notice, the upload policy the phone posts to OSS with,
// and the one submission of every corrected material.
import { Type, type Static } from '@sinclair/typebox';

import { UPLOAD_TYPES } from './constants';

export { UPLOAD_TYPES, type UploadContentType } from './constants';

const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const AcceptNo = Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' });

export const CorrectionItem = Type.Object({
  materialCode: Type.String(),
  name: Type.String(),
  reason: Type.String(),
  required: Type.Boolean(),
});

export const CorrectionNotice = Type.Object({
  id: Type.String(),
  acceptNo: Type.String(),
  issuedAt: Type.String(),
  deadline: Type.String(),
  status: Type.String(),
  /** True once the deadline has passed: nothing can be uploaded or submitted any more. */
  expired: Type.Boolean(),
  items: Type.Array(CorrectionItem),
});
export type CorrectionNotice = Static<typeof CorrectionNotice>;

/** The open notice (null when there is none) and the limits an upload must keep to. */
export const CorrectionView = Type.Object({
  correction: Type.Union([CorrectionNotice, Type.Null()]),
  maxBytes: Type.Integer(),
  contentTypes: Type.Array(Type.String()),
});
export type CorrectionView = Static<typeof CorrectionView>;

export const CorrectionParams = Type.Object({ acceptNo: AcceptNo, correctionId: Code });

export const UploadPolicyBody = Type.Object(
  {
    acceptNo: AcceptNo,
    correctionId: Code,
    materialCode: Code,
    /** Shown back to the citizen only; the object key never contains it. */
    fileName: Type.String({ minLength: 1, maxLength: 120 }),
    contentType: Type.Union(Object.keys(UPLOAD_TYPES).map((t) => Type.Literal(t))),
    size: Type.Integer({ minimum: 1, maximum: 1024 ** 3 }),
  },
  { additionalProperties: false },
);
export type UploadPolicyBody = Static<typeof UploadPolicyBody>;

/** A PostObject policy for one object: post `formData` and then the file to `host`, before `expire`. */
export const UploadPolicy = Type.Object({
  uploadId: Type.String(),
  host: Type.String(),
  key: Type.String(),
  policy: Type.String(),
  signature: Type.String(),
  accessKeyId: Type.String(),
  expire: Type.String(),
  successActionStatus: Type.String(),
  contentType: Type.String(),
  maxBytes: Type.Integer(),
  /** The whole form to post with the file (the fields above in OSS's names, plus `x-oss-forbid-overwrite`). */
  formData: Type.Record(Type.String(), Type.String()),
});
export type UploadPolicy = Static<typeof UploadPolicy>;

export const SubmitCorrectionBody = Type.Object(
  {
    files: Type.Array(
      Type.Object(
        { materialCode: Code, key: Type.String({ minLength: 1, maxLength: 300 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type SubmitCorrectionBody = Static<typeof SubmitCorrectionBody>;
