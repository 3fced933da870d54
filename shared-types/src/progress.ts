// Case progress: the public lookup, the citizen's own cases, delivery of the result.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

const AcceptNo = Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' });

export const CASE_STATUSES = [
  'accepted',
  'reviewing',
  'deciding',
  'completed',
  'delivered',
  'correcting',
  'rejected',
] as const;
export const CaseStatus = literalUnion(CASE_STATUSES);
export const Warning = Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]);

export const TimelineEntry = Type.Object({
  stage: Type.String(),
  status: Type.String(),
  at: Type.String(),
  department: Type.String(),
  note: Type.Optional(Type.String()),
});

/** What anyone holding the number and the verifier may see: no personal data. */
export const CaseProgress = Type.Object({
  acceptNo: Type.String(),
  itemName: Type.String(),
  department: Type.String(),
  /** The hall that accepted the case (where the result can be picked up). */
  hallId: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  timeline: Type.Array(TimelineEntry),
  acceptedAt: Type.String(),
  dueAt: Type.String(),
  promisedDays: Type.Integer(),
  warning: Warning,
  correction: Type.Union([
    Type.Object({
      id: Type.String(),
      deadline: Type.String(),
      status: Type.String(),
      items: Type.Array(
        Type.Object({
          materialCode: Type.String(),
          name: Type.String(),
          reason: Type.String(),
          required: Type.Boolean(),
        }),
      ),
    }),
    Type.Null(),
  ]),
  delivery: Type.Union([
    Type.Object({
      method: Type.String(),
      hallId: Type.Optional(Type.String()),
      tracking: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
  /** When the BFF took this copy; `stale` when the core system could not be reached for a fresh one. */
  cachedAt: Type.String(),
  stale: Type.Boolean(),
});
export type CaseProgress = Static<typeof CaseProgress>;

export const LookupBody = Type.Object(
  {
    acceptNo: AcceptNo,
    /** The last 4 characters of the applicant's identity number, or the phone number on file. */
    verifier: Type.String({ pattern: '^(\\d{3}[\\dXx]|1\\d{10})$' }),
  },
  { additionalProperties: false },
);
export type LookupBody = Static<typeof LookupBody>;

export const CaseList = Type.Object({ cases: Type.Array(CaseProgress), stale: Type.Boolean() });

export const DeliveryBody = Type.Object(
  {
    method: Type.Union([Type.Literal('pickup'), Type.Literal('express')]),
    hallId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' })),
    address: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 2, maxLength: 30, pattern: '^[\\u4e00-\\u9fa5·A-Za-z ]+$' }),
          phone: Type.String({ pattern: '^1\\d{10}$' }),
          region: Type.String({ minLength: 2, maxLength: 60 }),
          detail: Type.String({ minLength: 4, maxLength: 120 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DeliveryBody = Static<typeof DeliveryBody>;
export const AcceptNoParams = Type.Object({ acceptNo: AcceptNo });
