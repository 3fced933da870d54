// Sign-off's own records: the signature images approvers upload, the decisions on their way
// to the core system, and the append-only, hash-chained audit log of every decision applied.
import { DECISION_KINDS, DECISION_STATES } from '@onewindow/shared-types';
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  ORPHAN_SWEEP_INDEX,
  SWEPT_UPLOAD_STATES,
  uploadRecordFields,
  type UploadRecord,
} from '../../uploads/upload-record';

/** issued → used by a decision (back to issued if the core system refuses it); never used → deleting → deleted. */
export const SIGNATURE_STATES = [...SWEPT_UPLOAD_STATES, 'used'] as const;

export interface SignatureUploadDoc extends UploadRecord<(typeof SIGNATURE_STATES)[number]> {
  _id: Types.ObjectId;
  staffId: string;
  taskId: string;
}

/** Who decides a task: the approver (the decision routes admit no other role). */
export const DECIDING_ROLES = ['approver'] as const;
type DecidingRole = (typeof DECIDING_ROLES)[number];
type DecisionKind = (typeof DECISION_KINDS)[number];

export interface DeficiencyDoc {
  materialCode: string;
  reason: string;
}

/**
 * One decision on one task. `claim` is the task id while the decision is pending or applied,
 * and a unique index on it makes that one decision per task across every BFF instance; a
 * refused decision gives the claim up so the approver can decide again.
 */
export interface DecisionDoc {
  _id: Types.ObjectId;
  claim: string;
  taskId: string;
  acceptNo: string;
  approverId: string;
  role: DecidingRole;
  decision: DecisionKind;
  opinion: string;
  signatureKey: string | null;
  deficiencies: DeficiencyDoc[];
  version: number;
  idempotencyKey: string;
  requestId: string;
  state: 'pending' | 'applied' | 'refused';
  attempts: number;
  submittedAt: Date;
  lastTriedAt: Date;
  appliedAt: Date | null;
  refusal: string | null;
}

/** An audit entry: `_id` is its place in the chain, `hash` covers every field and the previous entry's hash. */
export interface AuditEntryDoc {
  _id: number;
  at: Date;
  actorId: string;
  role: DecidingRole;
  taskId: string;
  acceptNo: string;
  hallId: string;
  district: string;
  departmentCode: string;
  decision: DecisionKind;
  opinion: string;
  signatureKey: string | null;
  deficiencies: DeficiencyDoc[];
  requestId: string;
  decisionId: string;
  prevHash: string;
  hash: string;
}

const signatureSchema = new Schema<SignatureUploadDoc>(
  {
    ...uploadRecordFields(SIGNATURE_STATES),
    staffId: { type: String, required: true },
    taskId: { type: String, required: true },
  },
  { versionKey: false },
);
signatureSchema.index(ORPHAN_SWEEP_INDEX);
signatureSchema.index({ staffId: 1, createdAt: 1 });

const deficiency = { _id: false, materialCode: String, reason: String };

const decisionSchema = new Schema<DecisionDoc>(
  {
    claim: { type: String, required: true, unique: true },
    taskId: { type: String, required: true },
    acceptNo: { type: String, required: true },
    approverId: { type: String, required: true },
    role: { type: String, enum: DECIDING_ROLES, required: true },
    decision: { type: String, enum: DECISION_KINDS, required: true },
    opinion: { type: String, default: '' },
    signatureKey: { type: String, default: null },
    deficiencies: { type: [deficiency], default: [] },
    version: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    requestId: { type: String, required: true },
    state: { type: String, enum: DECISION_STATES, required: true },
    attempts: { type: Number, required: true },
    submittedAt: { type: Date, required: true },
    lastTriedAt: { type: Date, required: true },
    appliedAt: { type: Date, default: null },
    refusal: { type: String, default: null },
  },
  { versionKey: false },
);
decisionSchema.index({ taskId: 1, submittedAt: -1 });
decisionSchema.index({ state: 1, lastTriedAt: 1 });

const auditSchema = new Schema<AuditEntryDoc>(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    role: { type: String, enum: DECIDING_ROLES, required: true },
    taskId: { type: String, required: true },
    acceptNo: { type: String, required: true },
    hallId: { type: String, required: true },
    district: { type: String, required: true },
    departmentCode: { type: String, required: true },
    decision: { type: String, enum: DECISION_KINDS, required: true },
    opinion: { type: String, default: '' },
    signatureKey: { type: String, default: null },
    deficiencies: { type: [deficiency], default: [] },
    requestId: { type: String, required: true },
    decisionId: { type: String, required: true, unique: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false },
);
auditSchema.index({ taskId: 1 });
auditSchema.index({ acceptNo: 1 });

/** 督办: a supervisor's reminder to the approver of a yellow or red case (append-only). */
export interface ReminderDoc {
  _id: Types.ObjectId;
  at: Date;
  acceptNo: string;
  /** The case's place, so a reminder is read in the same jurisdiction as the audit log. */
  hallId: string;
  district: string;
  departmentCode: string;
  approverId: string;
  supervisorId: string;
  warning: 'yellow' | 'red';
  note: string;
}

const reminderSchema = new Schema<ReminderDoc>(
  {
    at: Date,
    acceptNo: { type: String, index: true },
    hallId: String,
    district: String,
    departmentCode: String,
    approverId: String,
    supervisorId: String,
    warning: String,
    note: String,
  },
  { versionKey: false },
);

export interface SignoffModels {
  SignatureUpload: Model<SignatureUploadDoc>;
  Decision: Model<DecisionDoc>;
  AuditEntry: Model<AuditEntryDoc>;
  Reminder: Model<ReminderDoc>;
}

export function signoffModels(db: Connection): SignoffModels {
  return {
    SignatureUpload: db.model<SignatureUploadDoc>('SignatureUpload', signatureSchema, 'signature_uploads'),
    Decision: db.model<DecisionDoc>('TaskDecision', decisionSchema, 'task_decisions'),
    AuditEntry: db.model<AuditEntryDoc>('AuditEntry', auditSchema, 'audit_log'),
    Reminder: db.model<ReminderDoc>('SupervisionReminder', reminderSchema, 'supervision_reminders'),
  };
}
