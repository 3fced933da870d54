// Online application (在线申报): the item's form, the draft kept server-side, how each material
// is satisfied (an e-licence from the library, an upload, or a signed commitment), and the one
// submission that yields an acceptance number.
import { Type, type Static } from '@sinclair/typebox';
import { DOCUMENT_ID_PATTERN, UPLOAD_TYPES } from './constants';

const ItemCode = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const MaterialCode = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const ObjectId = Type.String({ pattern: DOCUMENT_ID_PATTERN });
/** A form field's name: letters and digits only, so a value's key can never be an operator or a path. */
const FieldName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,39}$' });

export const FieldType = Type.Union([
  Type.Literal('text'),
  Type.Literal('textarea'),
  Type.Literal('idNumber'),
  Type.Literal('phone'),
  Type.Literal('number'),
  Type.Literal('date'),
  Type.Literal('select'),
]);
export type FieldType = Static<typeof FieldType>;

/** Why a field's value is not accepted; one code per rule, so the phone can mark the field. */
export const FieldProblemCode = Type.Union([
  Type.Literal('FIELD_REQUIRED'),
  Type.Literal('FIELD_TOO_SHORT'),
  Type.Literal('FIELD_TOO_LONG'),
  Type.Literal('FIELD_PATTERN'),
  Type.Literal('FIELD_ID_NUMBER'),
  Type.Literal('FIELD_PHONE'),
  Type.Literal('FIELD_NOT_NUMBER'),
  Type.Literal('FIELD_OUT_OF_RANGE'),
  Type.Literal('FIELD_NOT_OPTION'),
  Type.Literal('FIELD_DATE'),
  Type.Literal('FIELD_UNKNOWN'),
  Type.Literal('FIELD_LOCKED'),
]);
export type FieldProblemCode = Static<typeof FieldProblemCode>;

export const FieldProblem = Type.Object({
  field: Type.String(),
  code: FieldProblemCode,
  message: Type.String(),
});
export type FieldProblem = Static<typeof FieldProblem>;

export const FormFieldView = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: FieldType,
  required: Type.Boolean(),
  /** Filled from real-name facts (name, identity number, phone). */
  prefill: Type.Optional(Type.String()),
  /** Taken from the real-name binding; shown, never typed (the identity number masked). */
  locked: Type.Boolean(),
  minLength: Type.Optional(Type.Integer()),
  maxLength: Type.Optional(Type.Integer()),
  pattern: Type.Optional(Type.String()),
  patternHint: Type.Optional(Type.String()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  options: Type.Optional(Type.Array(Type.String())),
  value: Type.String(),
});
export type FormFieldView = Static<typeof FormFieldView>;

export const LicenceType = Type.Union([
  Type.Literal('id_card'),
  Type.Literal('household'),
  Type.Literal('marriage'),
  Type.Literal('business_licence'),
  Type.Literal('real_estate'),
]);

/** An e-licence as the citizen sees it: shown with issuer and validity, never uploaded. */
export const LicenceView = Type.Object({
  licenceNo: Type.String(),
  type: LicenceType,
  name: Type.String(),
  /** The certificate's number; an identity card's is masked. */
  number: Type.String(),
  issuer: Type.String(),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  valid: Type.Boolean(),
});
export type LicenceView = Static<typeof LicenceView>;

export const MaterialVia = Type.Union([
  Type.Literal('licence'),
  Type.Literal('upload'),
  Type.Literal('commitment'),
]);
export type MaterialVia = Static<typeof MaterialVia>;

export const MaterialView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  required: Type.Boolean(),
  /** The e-licence type that can stand in for it, or null. */
  licenceType: Type.Union([LicenceType, Type.Null()]),
  /** The text of the commitment the guide allows instead, or null. */
  commitment: Type.Union([Type.String(), Type.Null()]),
  chosen: Type.Union([
    Type.Object({
      via: MaterialVia,
      licence: Type.Optional(LicenceView),
      upload: Type.Optional(Type.Object({ key: Type.String(), fileName: Type.String() })),
      signedAt: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
});
export type MaterialView = Static<typeof MaterialView>;

export const DraftState = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitting'),
  Type.Literal('submitted'),
]);
export type DraftState = Static<typeof DraftState>;

export const ApplicationDraft = Type.Object({
  id: Type.String(),
  /** Set when an agent acts on it for someone else (X-Act-As): the grant, and whose application it is. */
  grantId: Type.Union([Type.String(), Type.Null()]),
  principalName: Type.Union([Type.String(), Type.Null()]),
  itemCode: Type.String(),
  itemName: Type.String(),
  state: DraftState,
  fields: Type.Array(FormFieldView),
  materials: Type.Array(MaterialView),
  /** Every field problem at once (一次性告知); empty when the form is complete. */
  problems: Type.Array(FieldProblem),
  /** Codes of required materials not yet satisfied. */
  missingMaterials: Type.Array(Type.String()),
  updatedAt: Type.String(),
  /** A draft not changed for 30 days is deleted; null once submitted. */
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  acceptNo: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ApplicationDraft = Static<typeof ApplicationDraft>;

export const ApplicationSummary = Type.Object({
  id: Type.String(),
  /** 代办: to the agent, the grant it was done under and whose it is; to the principal, the agent who acted; null for one's own. */
  grantId: Type.Union([Type.String(), Type.Null()]),
  principalName: Type.Union([Type.String(), Type.Null()]),
  agentName: Type.Union([Type.String(), Type.Null()]),
  itemCode: Type.String(),
  itemName: Type.String(),
  state: DraftState,
  updatedAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  acceptNo: Type.Union([Type.String(), Type.Null()]),
});
export const ApplicationList = Type.Object({ applications: Type.Array(ApplicationSummary) });
export type ApplicationList = Static<typeof ApplicationList>;

export const CreateDraftBody = Type.Object(
  {
    itemCode: ItemCode,
    /** Window staff only (帮办): apply for this walk-in citizen, whose consent is recorded. */
    assistedId: Type.Optional(ObjectId),
  },
  { additionalProperties: false },
);
export type CreateDraftBody = Static<typeof CreateDraftBody>;

export const DraftParams = Type.Object({ draftId: ObjectId });
export const DraftMaterialParams = Type.Object({ draftId: ObjectId, materialCode: MaterialCode });

/** Values of editable fields; a field left out keeps its saved value, an empty string clears it. */
export const SaveValuesBody = Type.Object(
  {
    values: Type.Record(FieldName, Type.String({ maxLength: 1000 }), {
      additionalProperties: false,
      maxProperties: 40,
    }),
  },
  { additionalProperties: false },
);
export type SaveValuesBody = Static<typeof SaveValuesBody>;

export const ChooseMaterialBody = Type.Union([
  Type.Object(
    { via: Type.Literal('licence'), licenceNo: Type.String({ pattern: '^[A-Z0-9]{4,40}$' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { via: Type.Literal('upload'), key: Type.String({ minLength: 1, maxLength: 300 }) },
    { additionalProperties: false },
  ),
  /** The citizen signs the commitment text shown with the material. */
  Type.Object(
    { via: Type.Literal('commitment'), agree: Type.Literal(true) },
    { additionalProperties: false },
  ),
]);
export type ChooseMaterialBody = Static<typeof ChooseMaterialBody>;

export const LicenceList = Type.Object({ licences: Type.Array(LicenceView) });
export type LicenceList = Static<typeof LicenceList>;

export const ApplicationUploadPolicyBody = Type.Object(
  {
    draftId: ObjectId,
    materialCode: MaterialCode,
    fileName: Type.String({ minLength: 1, maxLength: 120 }),
    contentType: Type.Union(Object.keys(UPLOAD_TYPES).map((t) => Type.Literal(t))),
    size: Type.Integer({ minimum: 1, maximum: 1024 ** 3 }),
  },
  { additionalProperties: false },
);
export type ApplicationUploadPolicyBody = Static<typeof ApplicationUploadPolicyBody>;

// ---- pre-check (预审) by window staff ----

const AcceptNo = Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' });
export const PrecheckParams = Type.Object({ acceptNo: AcceptNo });

/** An online application waiting for pre-check, as window staff see it: the applicant masked, every material openable. */
export const PrecheckCase = Type.Object({
  acceptNo: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  department: Type.String(),
  status: Type.String(),
  applicantName: Type.String(),
  applicantIdMasked: Type.String(),
  submittedAt: Type.String(),
  /** How many times it was returned and answered before (0 the first time). */
  corrections: Type.Integer(),
  /** The form as filled in, by field label. */
  values: Type.Record(Type.String(), Type.String()),
  materials: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      source: Type.String(),
      /** A short-lived signed URL to the PDF or image. */
      url: Type.String(),
    }),
  ),
});
export type PrecheckCase = Static<typeof PrecheckCase>;
export const PrecheckList = Type.Object({ cases: Type.Array(PrecheckCase) });
export type PrecheckList = Static<typeof PrecheckList>;

export const PrecheckDecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('accept'), Type.Literal('return')]),
    opinion: Type.Optional(Type.String({ maxLength: 500 })),
    /** Every deficiency at once (一次性告知); required to return. */
    deficiencies: Type.Optional(
      Type.Array(
        Type.Object(
          { materialCode: MaterialCode, reason: Type.String({ minLength: 2, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PrecheckDecisionBody = Static<typeof PrecheckDecisionBody>;

export const PrecheckOutcome = Type.Object({
  acceptNo: Type.String(),
  decision: Type.Union([Type.Literal('accept'), Type.Literal('return')]),
  status: Type.String(),
});
export type PrecheckOutcome = Static<typeof PrecheckOutcome>;

// ---- applying for someone else (亲友代办) ----

export const GrantBody = Type.Object(
  {
    /** The agent as on their identity card; they must have bound the same real name to accept. */
    agentName: Type.String({ minLength: 2, maxLength: 30, pattern: '^[\\u4e00-\\u9fa5·A-Za-z ]+$' }),
    agentIdNumber: Type.String({ pattern: '^\\d{17}[\\dXx]$' }),
    /** The items the agent may act on; null for every item. */
    itemCodes: Type.Union([Type.Array(ItemCode, { minItems: 1, maxItems: 50 }), Type.Null()]),
    days: Type.Integer({ minimum: 1, maximum: 365 }),
  },
  { additionalProperties: false },
);
export type GrantBody = Static<typeof GrantBody>;

export const GrantState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('active'),
  Type.Literal('revoked'),
  Type.Literal('expired'),
]);
export const Grant = Type.Object({
  id: Type.String(),
  /** Whether the caller gave it (principal) or received it (agent). */
  role: Type.Union([Type.Literal('principal'), Type.Literal('agent')]),
  principalName: Type.String(),
  agentName: Type.String(),
  agentIdMasked: Type.String(),
  itemCodes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  state: GrantState,
  validUntil: Type.String(),
  createdAt: Type.String(),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type Grant = Static<typeof Grant>;
export const GrantList = Type.Object({ grants: Type.Array(Grant) });
export const GrantParams = Type.Object({ grantId: ObjectId });

/** Something done under a grant, shown to both: who acted, for whom, what. */
export const AgencyAction = Type.Object({
  at: Type.String(),
  grantId: Type.String(),
  action: Type.Union([
    Type.Literal('grant'),
    Type.Literal('accept'),
    Type.Literal('revoke'),
    Type.Literal('start_draft'),
    Type.Literal('submit'),
    // Done through `X-Act-As` (ACT_AS_HEADER in constants): the agent acting in the principal's name.
    Type.Literal('book'),
    Type.Literal('reschedule_booking'),
    Type.Literal('cancel_booking'),
    Type.Literal('check_in'),
    Type.Literal('take_number'),
    Type.Literal('cancel_ticket'),
    Type.Literal('correction_upload'),
    Type.Literal('correction_submit'),
    Type.Literal('rate'),
  ]),
  actorName: Type.String(),
  principalName: Type.String(),
  itemCode: Type.Union([Type.String(), Type.Null()]),
  acceptNo: Type.Union([Type.String(), Type.Null()]),
  /** What was made or changed, for the principal to find it: a booking code or a ticket number. */
  ref: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** The appointment or ticket it concerns (the principal owns it and can open it). */
  targetId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** Whether the reader is the principal (the one it was done for), rather than the agent. */
  forMe: Type.Optional(Type.Boolean()),
});
export type AgencyAction = Static<typeof AgencyAction>;
export const AgencyActionList = Type.Object({ actions: Type.Array(AgencyAction) });

// ---- 帮办: window or community staff apply for a walk-in citizen ----

export const AssistBody = Type.Object(
  {
    /** As on the identity card the citizen shows; checked with the phone against the population register. */
    name: Type.String({ minLength: 2, maxLength: 30, pattern: '^[\\u4e00-\\u9fa5·A-Za-z ]+$' }),
    idNumber: Type.String({ pattern: '^\\d{17}[\\dXx]$' }),
    phone: Type.String({ pattern: '^1\\d{10}$' }),
    itemCode: ItemCode,
  },
  { additionalProperties: false },
);
export type AssistBody = Static<typeof AssistBody>;

/** The citizen's handwritten signature under the consent statement, on the window's pad: a PNG, base64. */
export const AssistConsentBody = Type.Object(
  { signaturePng: Type.String({ minLength: 1, maxLength: 400_000, pattern: '^[A-Za-z0-9+/=]+$' }) },
  { additionalProperties: false },
);
export type AssistConsentBody = Static<typeof AssistConsentBody>;
export const AssistedParams = Type.Object({ assistedId: ObjectId });

export const Assisted = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idMasked: Type.String(),
  phoneMasked: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  /** What the citizen signs: who applies for them, for which item. */
  statement: Type.String(),
  consent: Type.Union([
    Type.Object({
      method: Type.Literal('signature'),
      at: Type.String(),
      staffId: Type.String(),
      /** SHA-256 of the signature image as stored. */
      sha256: Type.String(),
    }),
    Type.Null(),
  ]),
  draftId: Type.Union([Type.String(), Type.Null()]),
  acceptNo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type Assisted = Static<typeof Assisted>;
export const AssistedList = Type.Object({ assisted: Type.Array(Assisted) });
