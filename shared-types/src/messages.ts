// The message centre and subscribe-message consent.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

/**
 * What a message-centre entry tells: case progress, the case's result, a correction notice, a
 * booking reminder, the queue approaching and calling, a rating invitation, a closed follow-up's
 * rectification to review, and an approver's task reminder and deadline warning (督办 included).
 */
export const NOTICE_KINDS = [
  'case_progress',
  'case_result',
  'case_correction',
  'booking_reminder',
  'queue_approach',
  'queue_called',
  'rating_prompt',
  'rectification_review',
  'task_reminder',
  'task_warning',
] as const;
export const NoticeKind = literalUnion(NOTICE_KINDS);
export type NoticeKind = Static<typeof NoticeKind>;

export const Message = Type.Object({
  id: Type.String(),
  kind: NoticeKind,
  title: Type.String(),
  body: Type.String(),
  /** A mini-program page the message opens, e.g. /packages/booking/detail?id=… */
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
  /**
   * How the notice left the message centre: the WeChat push's state (pending, sent, no_consent,
   * failed) and the SMS's (waiting, pending, sent, delivered, undelivered, skipped, limited,
   * opted_out, no_phone, failed); null where that channel was not used.
   */
  delivery: Type.Object({
    wechat: Type.Union([Type.String(), Type.Null()]),
    sms: Type.Union([Type.String(), Type.Null()]),
  }),
});
export type Message = Static<typeof Message>;

export const MessageQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export const MessagePage = Type.Object({
  messages: Type.Array(Message),
  total: Type.Integer(),
  unread: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const TEMPLATE_NAMES = [
  'caseProgress',
  'correctionNotice',
  'bookingReminder',
  'queueCalled',
  'taskWarning',
] as const;
/** The subscribe-message templates the mini-program asks consent for (mock/docs/wechat.md). */
export const TemplateName = literalUnion(TEMPLATE_NAMES);
export type TemplateName = Static<typeof TemplateName>;

/** What `wx.requestSubscribeMessage` returned as accepted. */
export const ConsentBody = Type.Object(
  {
    templateIds: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), {
      minItems: 1,
      maxItems: 3,
    }),
  },
  { additionalProperties: false },
);
export type ConsentBody = Static<typeof ConsentBody>;

/** Template ids by name (what to pass to `wx.requestSubscribeMessage`) and the consents held. */
export const Subscriptions = Type.Object({
  templates: Type.Record(Type.String(), Type.String()),
  consents: Type.Record(Type.String(), Type.Integer()),
});

/** The citizen's SMS choice (退订 under 我的): opted out, no notice goes by SMS. */
export const SmsPreference = Type.Object({ optedOut: Type.Boolean() }, { additionalProperties: false });
export type SmsPreference = Static<typeof SmsPreference>;

/** One delivery receipt in Aliyun SMS's HTTP-batch push (状态报告). */
export const SmsReceipt = Type.Object(
  {
    phone_number: Type.String({ maxLength: 20 }),
    send_time: Type.Optional(Type.String({ maxLength: 30 })),
    report_time: Type.Optional(Type.String({ maxLength: 30 })),
    success: Type.Boolean(),
    err_code: Type.String({ maxLength: 64 }),
    err_msg: Type.Optional(Type.String({ maxLength: 200 })),
    sms_size: Type.Optional(Type.String({ maxLength: 8 })),
    biz_id: Type.String({ minLength: 1, maxLength: 64 }),
    out_id: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const SmsReceiptBatch = Type.Array(SmsReceipt, { maxItems: 1000 });
