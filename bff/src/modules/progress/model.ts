// The BFF's copy of cases from the core system (with the lookup's guesses per acceptance
// number), and the case events it has received. Personal data is never copied in clear: the
// applicant is kept as keyed hashes (to match the citizen and the lookup verifier), an express
// address encrypted.
import { Schema, type Connection, type Model } from 'mongoose';
import type { CoreCase } from '../../core-contract';

/** The core system's case without `applicant`, and with the delivery address removed. */
export type CaseData = Omit<CoreCase, 'applicant' | 'delivery'> & {
  delivery: { method: string; hallId?: string; tracking?: string } | null;
};

export interface CaseSnapshotDoc {
  acceptNo: string;
  data: CaseData;
  /** Keyed hashes: the applicant's identity number, its last 4 characters, the phone on file. */
  applicantKey: string;
  idLast4Key: string;
  phoneKey: string;
  fetchedAt: Date;
  /** The last webhook event applied, by the core system's per-case sequence. */
  appliedSequence: number;
  /** The express address the citizen gave, AES-GCM encrypted. */
  addressCipher: string | null;
}

export interface CaseEventDoc {
  eventId: string;
  type: string;
  acceptNo: string;
  sequence: number;
  occurredAt: Date;
  data: Record<string, unknown>;
  receivedAt: Date;
  appliedAt: Date | null;
}

/**
 * A case's copy as stored, with the public lookup's count of wrong guesses on its number this
 * hour (counted with a conditional pipeline update below the limit, see ProgressService). A
 * number looked up before any copy exists (unknown, or not yet read) has a placeholder: the
 * count alone, `placeholder: true`, no copy fields, removed by a TTL index once its hour is over.
 */
export type CaseSnapshotRecord = Partial<CaseSnapshotDoc> & {
  acceptNo: string;
  /** Wrong guesses this hour (a try is counted before its answer is known). */
  guessCount?: number;
  guessResetAt?: Date;
  /** What the last try got, as the claim that counted it reads it back. */
  guessClaimed?: boolean;
  guessMatched?: boolean;
  placeholder?: boolean;
};

/** The copy a record holds, or null for a placeholder. */
export function copyIn(record: CaseSnapshotRecord | null): CaseSnapshotDoc | null {
  return record?.fetchedAt ? (record as CaseSnapshotDoc) : null;
}

const snapshotSchema = new Schema<CaseSnapshotRecord>(
  {
    acceptNo: { type: String, required: true, unique: true },
    data: { type: Schema.Types.Mixed, required: true },
    applicantKey: { type: String, index: true },
    idLast4Key: String,
    phoneKey: String,
    fetchedAt: Date,
    appliedSequence: { type: Number, default: 0 },
    addressCipher: { type: String, default: null },
    guessCount: { type: Number, min: 0 },
    guessResetAt: Date,
    guessClaimed: Boolean,
    guessMatched: Boolean,
    placeholder: Boolean,
  },
  { versionKey: false, minimize: false },
);
// A placeholder's count ends with its hour; a copy's stays (its hour is checked by the claim).
snapshotSchema.index(
  { guessResetAt: 1 },
  { expireAfterSeconds: 0, partialFilterExpression: { placeholder: true } },
);

const eventSchema = new Schema<CaseEventDoc>(
  {
    eventId: { type: String, required: true, unique: true },
    type: String,
    acceptNo: String,
    sequence: Number,
    occurredAt: Date,
    data: Schema.Types.Mixed,
    receivedAt: Date,
    appliedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
eventSchema.index({ acceptNo: 1, sequence: 1 });
eventSchema.index({ appliedAt: 1, receivedAt: 1 });

export interface ProgressModels {
  Snapshot: Model<CaseSnapshotRecord>;
  Event: Model<CaseEventDoc>;
}

export function progressModels(db: Connection): ProgressModels {
  return {
    Snapshot: db.model<CaseSnapshotRecord>('CaseSnapshot', snapshotSchema, 'case_snapshots'),
    Event: db.model<CaseEventDoc>('CaseEvent', eventSchema, 'case_events'),
  };
}
