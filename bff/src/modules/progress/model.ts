// The BFF's copy of cases from the core system, the case events it has received, and lookup
// attempts per acceptance number. Personal data is never copied in clear: the applicant is
// kept as keyed hashes (to match the citizen and the lookup verifier), an express address
// encrypted.
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

/** Failed lookups (wrong verifier or unknown number) of one acceptance number in the current hour, counted with a conditional `$inc` below the limit. */
export interface LookupAttemptDoc {
  _id: string;
  /** Wrong guesses this hour (a try is counted before its answer is known, see ProgressService). */
  count: number;
  resetAt: Date;
  /**
   * The case's verifier keys as last seen by a lookup, so the claim itself can tell a right
   * verifier (not counted) from a guess. Keyed hashes, as on the case copy; gone with the hour.
   */
  idLast4Key?: string;
  phoneKey?: string;
  /** What the last try got, as the claim that counted it reads it back. */
  claimed?: boolean;
  matched?: boolean;
}

const snapshotSchema = new Schema<CaseSnapshotDoc>(
  {
    acceptNo: { type: String, required: true, unique: true },
    data: { type: Schema.Types.Mixed, required: true },
    applicantKey: { type: String, index: true },
    idLast4Key: String,
    phoneKey: String,
    fetchedAt: Date,
    appliedSequence: { type: Number, default: 0 },
    addressCipher: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
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

const attemptSchema = new Schema<LookupAttemptDoc>(
  {
    _id: String,
    count: { type: Number, required: true, min: 0 },
    resetAt: { type: Date, required: true, expires: 0 },
    idLast4Key: String,
    phoneKey: String,
    claimed: Boolean,
    matched: Boolean,
  },
  { versionKey: false },
);

export interface ProgressModels {
  Snapshot: Model<CaseSnapshotDoc>;
  Event: Model<CaseEventDoc>;
  Attempt: Model<LookupAttemptDoc>;
}

export function progressModels(db: Connection): ProgressModels {
  return {
    Snapshot: db.model<CaseSnapshotDoc>('CaseSnapshot', snapshotSchema, 'case_snapshots'),
    Event: db.model<CaseEventDoc>('CaseEvent', eventSchema, 'case_events'),
    Attempt: db.model<LookupAttemptDoc>('LookupAttempt', attemptSchema, 'case_lookup_counters'),
  };
}
