// Online application drafts and their uploads. A draft is open (one per citizen and item) until
// its submission is settled; it keeps a copy of the item's form so a resumed draft checks against
// the rules it was started with. Uploads follow the correction module's record (shared fields,
// the orphan sweep's index).
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { LicenceView, MaterialVia } from '@onewindow/shared-types';
import { ORPHAN_SWEEP_INDEX, uploadRecordFields, type UploadRecord } from '../../uploads/upload-record';
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
  userId: string;
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

/** issued → used (chosen for a material) → submitted; issued and never used → deleted by the sweep. */
export interface ApplicationUploadDoc extends UploadRecord {
  _id: Types.ObjectId;
  userId: string;
  draftId: string;
  materialCode: string;
  fileName: string;
}

const draftSchema = new Schema<DraftDoc>(
  {
    userId: { type: String, required: true },
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
// One open draft per citizen and item: two phones starting the same item share it.
draftSchema.index({ userId: 1, itemCode: 1 }, { unique: true, partialFilterExpression: { open: true } });
draftSchema.index({ userId: 1, updatedAt: -1 });
draftSchema.index({ state: 1, claimedAt: 1 });
draftSchema.index({ state: 1, expiresAt: 1 });

const uploadSchema = new Schema<ApplicationUploadDoc>(
  {
    ...uploadRecordFields,
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

export interface ApplicationModels {
  Draft: Model<DraftDoc>;
  Upload: Model<ApplicationUploadDoc>;
  Precheck: Model<PrecheckDoc>;
}

export function applicationModels(db: Connection): ApplicationModels {
  return {
    Draft: db.model<DraftDoc>('ApplicationDraft', draftSchema, 'application_drafts'),
    Upload: db.model<ApplicationUploadDoc>('ApplicationUpload', uploadSchema, 'application_uploads'),
    Precheck: db.model<PrecheckDoc>('ApplicationPrecheck', precheckSchema, 'application_prechecks'),
  };
}
