import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { TemplateName } from '../../config';

/**
 * A WeChat subscribe message riding on a message-centre entry. `consentTaken` marks that one
 * consent was spent on it, so a retried send does not spend another.
 */
export interface PushState {
  template: TemplateName;
  data: Record<string, { value: string }>;
  page: string | null;
  state: 'pending' | 'sent' | 'no_consent' | 'failed';
  attempts: number;
  nextAt: Date;
  consentTaken: boolean;
  lastError: string | null;
}

export interface MessageDoc {
  _id: Types.ObjectId;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  /** Same key, same message: an event seen twice (a retried job, a redelivered webhook) notifies once. */
  dedupeKey: string;
  readAt: Date | null;
  createdAt: Date;
  push: PushState | null;
}

/** Subscribe-message consents a citizen has granted and not yet used, per template. */
export interface ConsentDoc {
  userId: string;
  template: TemplateName;
  count: number;
}

const messageSchema = new Schema<MessageDoc>(
  {
    userId: { type: String, required: true },
    kind: String,
    title: String,
    body: String,
    link: { type: String, default: null },
    dedupeKey: { type: String, required: true, unique: true },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    push: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);
messageSchema.index({ userId: 1, createdAt: -1 });
messageSchema.index({ 'push.state': 1, 'push.nextAt': 1 });

const consentSchema = new Schema<ConsentDoc>({ userId: String, template: String, count: Number }, { versionKey: false });
consentSchema.index({ userId: 1, template: 1 }, { unique: true });

export interface MessageModels {
  Message: Model<MessageDoc>;
  Consent: Model<ConsentDoc>;
}

export function messageModels(db: Connection): MessageModels {
  return {
    Message: db.model<MessageDoc>('Message', messageSchema, 'messages'),
    Consent: db.model<ConsentDoc>('SubscribeConsent', consentSchema, 'subscribe_consents'),
  };
}
