// Ratings, with a bad rating's follow-up kept on the rating itself: one document, so the
// statistics read one collection and a follow-up can never lose its rating.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface FollowUpEntryDoc {
  at: Date;
  by: string;
  note: string;
}

export interface FollowUpDoc {
  /** The close deadline; `contactDueAt` and `rectifyDueAt` are the earlier stages (absent on follow-ups opened before stages). */
  dueAt: Date;
  contactDueAt?: Date;
  rectifyDueAt?: Date;
  status: 'open' | 'closed';
  callbacks: FollowUpEntryDoc[];
  rectifications: FollowUpEntryDoc[];
  closedAt: Date | null;
  closedBy: string | null;
  closeNote: string | null;
  /** The citizen's verdict on the rectification, once, after a supervisor closed the follow-up. */
  review?: { satisfied: boolean; comment: string; at: Date } | null;
}

export interface AppealDoc {
  status: 'pending' | 'upheld' | 'rejected';
  reason: string;
  filedBy: string;
  filedAt: Date;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface RatingDoc {
  _id: Types.ObjectId;
  userId: string;
  target: { kind: 'case' | 'ticket'; id: string; label: string };
  /** 1 for the rating, 2 for the one re-rating after completion: unique per target. */
  sequence: number;
  /** Only the latest rating of a handling counts in statistics; the earlier one is kept. */
  effective: boolean;
  channel: 'online' | 'offline';
  level: number;
  indicators: Record<string, number>;
  comment: string;
  tags: string[];
  stage: string;
  hallId: string | null;
  district: string | null;
  windowId: string | null;
  staffId: string | null;
  departmentCode: string | null;
  department: string | null;
  itemCode: string | null;
  /** The version of the item's guide (实施清单) the handling followed: 事项版本 in the national data. */
  itemVersion?: string | null;
  itemName: string | null;
  ratedAt: Date;
  /** How the citizen reached the rate page: the app signed in, a scanned QR code (扫码评价) or an SMS link (短信评价). */
  via?: 'app' | 'qr' | 'sms';
  /** 代办: the agent who rated in the citizen's name (X-Act-As). */
  actedBy?: { userId: string; name: string } | null;
  appeal?: AppealDoc | null;
  followUp: FollowUpDoc | null;
  /** Set by the repair for a rating stored out of range (repair.ts): it no longer counts anywhere. */
  quarantine?: { reason: string; level: string; indicators: string; at: Date };
}

const entry = new Schema<FollowUpEntryDoc>({ at: Date, by: String, note: String }, { _id: false });

const ratingSchema = new Schema<RatingDoc>(
  {
    userId: { type: String, required: true, index: true },
    target: {
      kind: { type: String, required: true },
      id: { type: String, required: true },
      label: { type: String, required: true },
    },
    sequence: { type: Number, required: true },
    effective: { type: Boolean, required: true },
    channel: { type: String, required: true },
    // Last line of defence behind the request schema: a level is an integer 1–5 (0 only for a rating the repair retired).
    level: {
      type: Number,
      required: true,
      min: 0,
      max: 5,
      validate: { validator: Number.isInteger, message: 'level must be an integer' },
    },
    indicators: { type: Schema.Types.Mixed, required: true },
    comment: { type: String, default: '' },
    tags: { type: [String], default: [] },
    stage: { type: String, required: true },
    hallId: { type: String, default: null },
    district: { type: String, default: null },
    windowId: { type: String, default: null },
    staffId: { type: String, default: null },
    departmentCode: { type: String, default: null },
    department: { type: String, default: null },
    itemCode: { type: String, default: null },
    itemVersion: { type: String, default: null },
    itemName: { type: String, default: null },
    ratedAt: { type: Date, required: true },
    via: { type: String, default: 'app' },
    actedBy: { type: { _id: false, userId: String, name: String }, default: null },
    appeal: { type: Schema.Types.Mixed, default: null },
    followUp: {
      type: new Schema<FollowUpDoc>(
        {
          dueAt: Date,
          contactDueAt: Date,
          rectifyDueAt: Date,
          status: String,
          callbacks: { type: [entry], default: [] },
          rectifications: { type: [entry], default: [] },
          closedAt: { type: Date, default: null },
          closedBy: { type: String, default: null },
          closeNote: { type: String, default: null },
          review: {
            type: new Schema({ satisfied: Boolean, comment: String, at: Date }, { _id: false }),
            default: null,
          },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { versionKey: false, minimize: false },
);
ratingSchema.index({ 'target.kind': 1, 'target.id': 1, sequence: 1 }, { unique: true });
ratingSchema.index({ effective: 1, ratedAt: 1 });
ratingSchema.index({ 'followUp.status': 1, 'followUp.dueAt': 1 });

export interface RatingModels {
  Rating: Model<RatingDoc>;
}

export function ratingModels(db: Connection): RatingModels {
  return { Rating: db.model<RatingDoc>('Rating', ratingSchema, 'ratings') };
}

/**
 * A rating link (扫码评价 / 短信评价): `_id` is the token's random part; it names one handling
 * and its owner, works until `expiresAt`, once (`usedAt`).
 */
export interface RatingLinkDoc {
  _id: string;
  userId: string;
  target: { kind: 'case' | 'ticket'; id: string };
  via: 'qr' | 'sms';
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const ratingLinkSchema = new Schema<RatingLinkDoc>(
  {
    _id: String,
    userId: String,
    target: { kind: String, id: String },
    via: String,
    createdAt: Date,
    expiresAt: Date,
    usedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export function ratingLinkModel(db: Connection): Model<RatingLinkDoc> {
  return db.model<RatingLinkDoc>('RatingLink', ratingLinkSchema, 'rating_links');
}
