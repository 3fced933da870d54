// Ratings, with a bad rating's follow-up kept on the rating itself: one document, so the
// statistics read one collection and a follow-up can never lose its rating.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  APPEAL_STATUSES,
  FOLLOW_UP_STATUSES,
  RATING_CHANNELS,
  RATING_STAGES,
  RATING_TARGET_KINDS,
  RATING_VIAS,
} from '@onewindow/shared-types';

type Of<T extends readonly string[]> = T[number];

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
  status: Of<typeof FOLLOW_UP_STATUSES>;
  callbacks: FollowUpEntryDoc[];
  rectifications: FollowUpEntryDoc[];
  closedAt: Date | null;
  closedBy: string | null;
  closeNote: string | null;
  /** The citizen's verdict on the rectification, once, after a supervisor closed the follow-up. */
  review?: { satisfied: boolean; comment: string; at: Date } | null;
}

export interface AppealDoc {
  status: Of<typeof APPEAL_STATUSES>;
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
  target: { kind: Of<typeof RATING_TARGET_KINDS>; id: string; label: string };
  /** 1 for the rating, 2 for the one re-rating after completion: unique per target. */
  sequence: number;
  /** Only the latest rating of a handling counts in statistics; the earlier one is kept. */
  effective: boolean;
  channel: Of<typeof RATING_CHANNELS>;
  level: number;
  indicators: Record<string, number>;
  comment: string;
  tags: string[];
  stage: Of<typeof RATING_STAGES>;
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
  via?: Of<typeof RATING_VIAS>;
  /** 代办: the agent who rated in the citizen's name (X-Act-As). */
  actedBy?: { userId: string; name: string } | null;
  appeal?: AppealDoc | null;
  followUp: FollowUpDoc | null;
  /** Set by the repair for a rating stored out of range (repair.ts): it no longer counts anywhere. */
  quarantine?: { reason: string; level: string; indicators: string; at: Date };
}

const entry = new Schema<FollowUpEntryDoc>({ at: Date, by: String, note: String }, { _id: false });
const appealSchema = new Schema<AppealDoc>(
  {
    status: { type: String, enum: APPEAL_STATUSES, required: true },
    reason: { type: String, required: true },
    filedBy: { type: String, required: true },
    filedAt: { type: Date, required: true },
    decisionReason: { type: String, default: null },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
  },
  { _id: false },
);

const ratingSchema = new Schema<RatingDoc>(
  {
    userId: { type: String, required: true, index: true },
    target: {
      kind: { type: String, enum: RATING_TARGET_KINDS, required: true },
      id: { type: String, required: true },
      label: { type: String, required: true },
    },
    sequence: { type: Number, required: true },
    effective: { type: Boolean, required: true },
    channel: { type: String, enum: RATING_CHANNELS, required: true },
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
    stage: { type: String, enum: RATING_STAGES, required: true },
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
    via: { type: String, enum: RATING_VIAS, default: 'app' },
    actedBy: { type: { _id: false, userId: String, name: String }, default: null },
    appeal: { type: appealSchema, default: null },
    followUp: {
      type: new Schema<FollowUpDoc>(
        {
          dueAt: Date,
          contactDueAt: Date,
          rectifyDueAt: Date,
          status: { type: String, enum: FOLLOW_UP_STATUSES, required: true },
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

/** The ways in that a link is: every one but the signed-in app. */
export const LINK_VIAS = ['qr', 'sms'] as const satisfies readonly Of<typeof RATING_VIAS>[];

/**
 * A rating link (扫码评价 / 短信评价): `_id` is the token's random part; it names one handling
 * and its owner, works until `expiresAt`, once (`usedAt`).
 */
export interface RatingLinkDoc {
  _id: string;
  userId: string;
  target: { kind: Of<typeof RATING_TARGET_KINDS>; id: string };
  via: Of<typeof LINK_VIAS>;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const ratingLinkSchema = new Schema<RatingLinkDoc>(
  {
    _id: String,
    userId: String,
    target: { kind: { type: String, enum: RATING_TARGET_KINDS }, id: String },
    via: { type: String, enum: LINK_VIAS },
    createdAt: Date,
    expiresAt: Date,
    usedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export function ratingLinkModel(db: Connection): Model<RatingLinkDoc> {
  return db.model<RatingLinkDoc>('RatingLink', ratingLinkSchema, 'rating_links');
}
