// The message centre and subscribe-message consent.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

export const Message = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  /** A mini-program page the message opens, e.g. /packages/booking/detail?id=… */
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});
export type Message = Static<typeof Message>;

export const MessageQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
  { additionalProperties: false },
);
export const MessagePage = Type.Object({ messages: Type.Array(Message), total: Type.Integer(), unread: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const TEMPLATE_NAMES = ['caseProgress', 'correctionNotice', 'bookingReminder', 'queueCalled', 'taskWarning'] as const;
/** The subscribe-message templates the mini-program asks consent for (mock/docs/wechat.md). */
export const TemplateName = literalUnion(TEMPLATE_NAMES);
export type TemplateName = Static<typeof TemplateName>;

/** What `wx.requestSubscribeMessage` returned as accepted. */
export const ConsentBody = Type.Object(
  { templateIds: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), { minItems: 1, maxItems: 3 }) },
  { additionalProperties: false },
);
export type ConsentBody = Static<typeof ConsentBody>;

/** Template ids by name (what to pass to `wx.requestSubscribeMessage`) and the consents held. */
export const Subscriptions = Type.Object({ templates: Type.Record(Type.String(), Type.String()), consents: Type.Record(Type.String(), Type.Integer()) });
