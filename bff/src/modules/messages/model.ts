import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { NOTICE_KINDS, type NoticeKind } from '@onewindow/shared-types';
import type { SmsTemplateName, TemplateName } from '../../config';

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

/**
 * The SMS copy of a notice. `waiting`: held until the WeChat push is settled (the fallback
 * kinds); `pending`: to send at `nextAt` (also while quiet hours or a gateway outage hold it);
 * `sent`: the gateway took it (`bizId`); `delivered`/`undelivered`: the phone network's receipt;
 * `skipped`: WeChat reached the citizen, so no SMS; `limited`: over the phone's daily limit (ours
 * or the gateway's); `opted_out`, `no_phone`, `failed` (the gateway refused it for good).
 * `quotaTaken` marks that the phone's daily allowance was spent on it, so a retry spends no more.
 */
export interface SmsState {
  template: SmsTemplateName;
  params: Record<string, string>;
  urgent: boolean;
  state:
    | 'waiting'
    | 'pending'
    | 'sent'
    | 'delivered'
    | 'undelivered'
    | 'skipped'
    | 'limited'
    | 'opted_out'
    | 'no_phone'
    | 'failed';
  attempts: number;
  nextAt: Date;
  quotaTaken: boolean;
  bizId: string | null;
  lastError: string | null;
}

export interface MessageDoc {
  _id: Types.ObjectId;
  userId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  link: string | null;
  /** Same key, same message: an event seen twice (a retried job, a redelivered webhook) notifies once. */
  dedupeKey: string;
  readAt: Date | null;
  createdAt: Date;
  push: PushState | null;
  sms: SmsState | null;
}

/** SMS sent to one phone (by keyed hash) on one Shanghai day: `_id` is `hash|YYYY-MM-DD`. */
export interface SmsQuotaDoc {
  _id: string;
  count: number;
}

/** A delivery receipt as it arrived, kept so one that comes before the send is recorded still applies. */
export interface SmsReceiptDoc {
  _id: string; // bizId
  delivered: boolean;
  errCode: string;
  receivedAt: Date;
}

/** The citizen's SMS opt-out (退订). */
export interface SmsPreferenceDoc {
  _id: string; // userId
  optedOut: boolean;
  updatedAt: Date;
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
    kind: { type: String, enum: NOTICE_KINDS, required: true },
    title: String,
    body: String,
    link: { type: String, default: null },
    dedupeKey: { type: String, required: true, unique: true },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    push: { type: Schema.Types.Mixed, default: null },
    sms: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);
messageSchema.index({ userId: 1, createdAt: -1 });
messageSchema.index({ 'push.state': 1, 'push.nextAt': 1 });
messageSchema.index({ 'sms.state': 1, 'sms.nextAt': 1 });
messageSchema.index({ 'sms.bizId': 1 }, { sparse: true });

const consentSchema = new Schema<ConsentDoc>(
  { userId: String, template: String, count: Number },
  { versionKey: false },
);
consentSchema.index({ userId: 1, template: 1 }, { unique: true });

const smsQuotaSchema = new Schema<SmsQuotaDoc>({ _id: String, count: Number }, { versionKey: false });
const smsReceiptSchema = new Schema<SmsReceiptDoc>(
  { _id: String, delivered: Boolean, errCode: String, receivedAt: Date },
  { versionKey: false },
);
const smsPreferenceSchema = new Schema<SmsPreferenceDoc>(
  { _id: String, optedOut: Boolean, updatedAt: Date },
  { versionKey: false },
);

export interface MessageModels {
  Message: Model<MessageDoc>;
  Consent: Model<ConsentDoc>;
  SmsQuota: Model<SmsQuotaDoc>;
  SmsReceipt: Model<SmsReceiptDoc>;
  SmsPreference: Model<SmsPreferenceDoc>;
}

export function messageModels(db: Connection): MessageModels {
  return {
    Message: db.model<MessageDoc>('Message', messageSchema, 'messages'),
    Consent: db.model<ConsentDoc>('SubscribeConsent', consentSchema, 'subscribe_consents'),
    SmsQuota: db.model<SmsQuotaDoc>('SmsQuota', smsQuotaSchema, 'sms_quotas'),
    SmsReceipt: db.model<SmsReceiptDoc>('SmsReceipt', smsReceiptSchema, 'sms_receipts'),
    SmsPreference: db.model<SmsPreferenceDoc>('SmsPreference', smsPreferenceSchema, 'sms_preferences'),
  };
}
