// Online application drafts and their uploads. A draft is open (one per citizen and item) until
// its submission is settled; it keeps a copy of the item's form so a resumed draft checks against
// the rules it was started with. Uploads follow the correction module's record (shared fields,
// the orphan sweep's index).
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { AgencyAction as AgencyActionView, LicenceView, MaterialVia } from '@onewindow/shared-types';
import {
  ORPHAN_SWEEP_INDEX,
  SWEPT_UPLOAD_STATES,
  uploadRecordFields,
  type UploadRecord,
} from '../../uploads/upload-record';
import type { FormField } from './form-rules';

export interface FormMaterial {
  code: string;
  name: string;
  required: boolean;
  licenceType: LicenceView['type'] | null;
  commitment: string | null;
}

export interface ApplicationForm {
  itemCode: string;
  itemName: string;
  fields: FormField[];
  materials: FormMaterial[];
}

export interface ChosenMaterial {
  materialCode: string;
  via: MaterialVia;
  licence?: LicenceView;
  uploadKey?: string;
  fileName?: string;
  /** The commitment text as signed, and when. */
  commitment?: string;
  signedAt?: Date;
}

/**
 * draft → submitting (claimed: one idempotency key for every send) → submitted, or back to draft
 * when the core system refused. `open` marks the one draft per citizen and item.
 */
export interface DraftDoc {
  _id: Types.ObjectId;
  /**
   * Whose draft it is: the applicant — also when an agent acts on it in her name (X-Act-As), as
   * with every other record done for someone else — or the clerk keeping it for a walk-in (帮办).
   */
  userId: string;
  /** 帮办: the walk-in citizen applied for (`assisted:<id>`); null when the keeper is the applicant. */
  principalUserId: string | null;
  /**
   * 代办: the agent who started the draft, or who claimed its submission (and the grant they
   * acted under); null when the applicant did it herself. The case names the submitting agent.
   */
  grantId: string | null;
  agentUserId: string | null;
  agentName: string | null;
  itemCode: string;
  form: ApplicationForm;
  values: Record<string, string>;
  materials: ChosenMaterial[];
  state: 'draft' | 'submitting' | 'submitted';
  open: boolean;
  /** Bumped by every change, so a submit checks exactly what it claims. */
  version: number;
  idempotencyKey: string;
  acceptNo: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  claimedAt: Date | null;
  submittedAt: Date | null;
}

/** issued → used (chosen for a material) → submitted; issued and never used → deleting → deleted by the sweep. */
export const APPLICATION_UPLOAD_STATES = [...SWEPT_UPLOAD_STATES, 'used', 'submitted'] as const;

export interface ApplicationUploadDoc extends UploadRecord<(typeof APPLICATION_UPLOAD_STATES)[number]> {
  _id: Types.ObjectId;
  userId: string;
  draftId: string;
  materialCode: string;
  fileName: string;
}

const draftSchema = new Schema<DraftDoc>(
  {
    userId: { type: String, required: true },
    principalUserId: { type: String, default: null },
    grantId: { type: String, default: null },
    agentUserId: { type: String, default: null },
    agentName: { type: String, default: null },
    itemCode: { type: String, required: true },
    form: { type: Schema.Types.Mixed, required: true },
    values: { type: Schema.Types.Mixed, default: {} },
    materials: { type: Schema.Types.Mixed, default: [] },
    state: { type: String, required: true, enum: ['draft', 'submitting', 'submitted'] },
    open: { type: Boolean, required: true },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    acceptNo: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
    claimedAt: { type: Date, default: null },
    submittedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
// One open draft per citizen, item and person applied for: two phones starting the same item share it.
draftSchema.index(
  { userId: 1, itemCode: 1, principalUserId: 1 },
  { unique: true, partialFilterExpression: { open: true } },
);
draftSchema.index({ userId: 1, updatedAt: -1 });
// What an agent did in others' names (代办), for the agent's list: partial, as most drafts have no agent.
draftSchema.index(
  { agentUserId: 1, updatedAt: -1 },
  { partialFilterExpression: { agentUserId: { $type: 'string' } } },
);
draftSchema.index({ state: 1, claimedAt: 1 });
draftSchema.index({ state: 1, expiresAt: 1 });

const uploadSchema = new Schema<ApplicationUploadDoc>(
  {
    ...uploadRecordFields(APPLICATION_UPLOAD_STATES),
    userId: { type: String, required: true },
    draftId: { type: String, required: true },
    materialCode: { type: String, required: true },
    fileName: { type: String, required: true },
  },
  { versionKey: false },
);
uploadSchema.index({ userId: 1, draftId: 1 });
uploadSchema.index(ORPHAN_SWEEP_INDEX);

/**
 * One pre-check decision per round of an online application (round: how many corrections it had
 * before), claimed before it is sent: a second decision on the same round is a conflict, the same
 * one repeated shares the outcome, and a claim whose answer was lost is sent again with its key.
 */
export interface PrecheckDoc {
  _id: Types.ObjectId;
  acceptNo: string;
  round: number;
  staffId: string;
  hallId: string;
  decision: 'accept' | 'return';
  opinion: string;
  deficiencies: { materialCode: string; reason: string }[];
  idempotencyKey: string;
  state: 'sending' | 'done';
  status: string | null;
  createdAt: Date;
  doneAt: Date | null;
}

const precheckSchema = new Schema<PrecheckDoc>(
  {
    acceptNo: { type: String, required: true },
    round: { type: Number, required: true },
    staffId: { type: String, required: true },
    hallId: { type: String, required: true },
    decision: { type: String, required: true, enum: ['accept', 'return'] },
    opinion: { type: String, default: '' },
    deficiencies: { type: [{ _id: false, materialCode: String, reason: String }], default: [] },
    idempotencyKey: { type: String, required: true },
    state: { type: String, required: true, enum: ['sending', 'done'] },
    status: { type: String, default: null },
    createdAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false },
);
precheckSchema.index({ acceptNo: 1, round: 1 }, { unique: true });
precheckSchema.index({ state: 1, createdAt: 1 });

/** pending until the agent accepts; active until it is revoked or its period ends. */
export interface GrantDoc {
  _id: Types.ObjectId;
  principalUserId: string;
  principalName: string;
  agentName: string;
  /** Keyed hash of the agent's identity number: matched against the person an account is bound to. */
  agentKey: string;
  agentIdMasked: string;
  agentUserId: string | null;
  itemCodes: string[] | null;
  state: 'pending' | 'active' | 'revoked';
  validUntil: Date;
  createdAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const grantSchema = new Schema<GrantDoc>(
  {
    principalUserId: { type: String, required: true },
    principalName: { type: String, required: true },
    agentName: { type: String, required: true },
    agentKey: { type: String, required: true },
    agentIdMasked: { type: String, required: true },
    agentUserId: { type: String, default: null },
    itemCodes: { type: [String], default: null },
    state: { type: String, required: true, enum: ['pending', 'active', 'revoked'] },
    validUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
grantSchema.index({ principalUserId: 1, createdAt: -1 });
grantSchema.index({ agentKey: 1, createdAt: -1 });
grantSchema.index({ agentUserId: 1 });

const AGENCY_ACTIONS: AgencyActionView['action'][] = [
  'grant',
  'accept',
  'revoke',
  'start_draft',
  'submit',
  'book',
  'reschedule_booking',
  'cancel_booking',
  'check_in',
  'take_number',
  'cancel_ticket',
  'correction_upload',
  'correction_submit',
  'rate',
];

/** Append-only: everything done under a grant, by whom and for whom. */
export interface AgencyActionDoc {
  _id: Types.ObjectId;
  at: Date;
  grantId: string;
  action: AgencyActionView['action'];
  actorUserId: string;
  actorName: string;
  principalUserId: string;
  principalName: string;
  itemCode: string | null;
  acceptNo: string | null;
  /** 代办 through X-Act-As: the booking code or ticket number, and the record's id. */
  ref?: string | null;
  targetId?: string | null;
  /** A number is taken for a hall's line, not an item. */
  line?: { hallId: string; category: string } | null;
}

const actionSchema = new Schema<AgencyActionDoc>(
  {
    at: { type: Date, required: true },
    grantId: { type: String, required: true },
    action: { type: String, required: true, enum: AGENCY_ACTIONS },
    actorUserId: { type: String, required: true },
    actorName: { type: String, required: true },
    principalUserId: { type: String, required: true },
    principalName: { type: String, required: true },
    itemCode: { type: String, default: null },
    acceptNo: { type: String, default: null },
    ref: { type: String, default: null },
    targetId: { type: String, default: null },
    line: { type: { _id: false, hallId: String, category: String }, default: null },
  },
  { versionKey: false },
);
actionSchema.index({ principalUserId: 1, at: -1 });
actionSchema.index({ actorUserId: 1, at: -1 });
actionSchema.index({ grantId: 1, at: -1 });

/**
 * 帮办: a walk-in citizen a clerk applies for. The identity was checked against the population
 * register (name, number and phone); the consent is the citizen's signature under `statement`,
 * on the window's pad, kept with its hash. Until then no draft can be started for them.
 */
export interface AssistedDoc {
  _id: Types.ObjectId;
  staffId: string;
  hallId: string | null;
  name: string;
  idCipher: string;
  phoneCipher: string;
  idMasked: string;
  phoneMasked: string;
  itemCode: string;
  itemName: string;
  statement: string;
  consent: { method: 'signature'; at: Date; staffId: string; sha256: string; signature: Buffer } | null;
  draftId: string | null;
  acceptNo: string | null;
  createdAt: Date;
}

const assistedSchema = new Schema<AssistedDoc>(
  {
    staffId: { type: String, required: true },
    hallId: { type: String, default: null },
    name: { type: String, required: true },
    idCipher: { type: String, required: true },
    phoneCipher: { type: String, required: true },
    idMasked: { type: String, required: true },
    phoneMasked: { type: String, required: true },
    itemCode: { type: String, required: true },
    itemName: { type: String, required: true },
    statement: { type: String, required: true },
    // Mixed: a nested object that is null until the citizen signs (a sub-schema would default to {}).
    consent: { type: Schema.Types.Mixed, default: null },
    draftId: { type: String, default: null },
    acceptNo: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
assistedSchema.index({ staffId: 1, createdAt: -1 });

export interface ApplicationModels {
  Assisted: Model<AssistedDoc>;
  Grant: Model<GrantDoc>;
  AgencyAction: Model<AgencyActionDoc>;
  Draft: Model<DraftDoc>;
  Upload: Model<ApplicationUploadDoc>;
  Precheck: Model<PrecheckDoc>;
}

export function applicationModels(db: Connection): ApplicationModels {
  return {
    Draft: db.model<DraftDoc>('ApplicationDraft', draftSchema, 'application_drafts'),
    Upload: db.model<ApplicationUploadDoc>('ApplicationUpload', uploadSchema, 'application_uploads'),
    Precheck: db.model<PrecheckDoc>('ApplicationPrecheck', precheckSchema, 'application_prechecks'),
    Grant: db.model<GrantDoc>('AgencyGrant', grantSchema, 'agency_grants'),
    AgencyAction: db.model<AgencyActionDoc>('AgencyAction', actionSchema, 'agency_actions'),
    Assisted: db.model<AssistedDoc>('AssistedApplicant', assistedSchema, 'assisted_applicants'),
  };
}
