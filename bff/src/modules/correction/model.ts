// Correction uploads and submissions. An upload is recorded when its policy is issued, so the
// BFF knows who may submit a key and the sweep can delete what was never submitted; a
// submission is claimed once per notice, so a retried or concurrent submit reaches the core
// system with one idempotency key.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  ORPHAN_SWEEP_INDEX,
  SWEPT_UPLOAD_STATES,
  uploadRecordFields,
  type UploadRecord,
} from '../../uploads/upload-record';

/**
 * issued → submitting → submitted, or back to issued when the core system refused; issued and
 * never submitted → deleting → deleted by the sweep.
 */
export const CORRECTION_UPLOAD_STATES = [...SWEPT_UPLOAD_STATES, 'submitting', 'submitted'] as const;

export interface UploadDoc extends UploadRecord<(typeof CORRECTION_UPLOAD_STATES)[number]> {
  _id: Types.ObjectId;
  userId: string;
  acceptNo: string;
  correctionId: string;
  materialCode: string;
  fileName: string;
  /** 代办: the agent who uploaded it in the citizen's name (X-Act-As). */
  actedBy?: { userId: string; name: string } | null;
}

export interface SubmittedFile {
  materialCode: string;
  key: string;
}

/** `sending` until the core system gave a definite answer; refused claims are deleted. */
export const SUBMISSION_STATES = ['sending', 'submitted'] as const;

export interface SubmissionDoc {
  _id: Types.ObjectId;
  acceptNo: string;
  correctionId: string;
  userId: string;
  idempotencyKey: string;
  files: SubmittedFile[];
  state: (typeof SUBMISSION_STATES)[number];
  createdAt: Date;
  submittedAt: Date | null;
  /** 代办: the agent who submitted it in the citizen's name (X-Act-As). */
  actedBy?: { userId: string; name: string } | null;
}

const uploadSchema = new Schema<UploadDoc>(
  {
    ...uploadRecordFields(CORRECTION_UPLOAD_STATES),
    userId: { type: String, required: true },
    acceptNo: { type: String, required: true },
    correctionId: { type: String, required: true },
    materialCode: { type: String, required: true },
    fileName: { type: String, required: true },
    actedBy: { type: { _id: false, userId: String, name: String }, default: null },
  },
  { versionKey: false },
);
uploadSchema.index({ userId: 1, correctionId: 1 });
uploadSchema.index(ORPHAN_SWEEP_INDEX);

const submissionSchema = new Schema<SubmissionDoc>(
  {
    acceptNo: { type: String, required: true },
    correctionId: { type: String, required: true },
    userId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    files: { type: [{ _id: false, materialCode: String, key: String }], required: true },
    state: { type: String, enum: SUBMISSION_STATES, required: true },
    createdAt: { type: Date, required: true },
    submittedAt: { type: Date, default: null },
    actedBy: { type: { _id: false, userId: String, name: String }, default: null },
  },
  { versionKey: false },
);
submissionSchema.index({ acceptNo: 1, correctionId: 1 }, { unique: true });
submissionSchema.index({ state: 1, createdAt: 1 });

export interface CorrectionModels {
  Upload: Model<UploadDoc>;
  Submission: Model<SubmissionDoc>;
}

export function correctionModels(db: Connection): CorrectionModels {
  return {
    Upload: db.model<UploadDoc>('CorrectionUpload', uploadSchema, 'correction_uploads'),
    Submission: db.model<SubmissionDoc>('CorrectionSubmission', submissionSchema, 'correction_submissions'),
  };
}
