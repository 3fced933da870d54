// The one notifier every feature uses: each notice is a message-centre entry, and where the
// citizen has a subscribe-message consent for its template, also a WeChat message. The
// message is stored first and pushed after, so a WeChat outage never loses or blocks a notice;
// failed pushes are retried with backoff by `retryDue`. Kinds the SMS policy names also go by
// SMS (sms-policy.ts): after the WeChat push settles for the fallback kinds, at once otherwise.
import type { FastifyBaseLogger } from 'fastify';
import type { NoticeKind } from '@onewindow/shared-types';
import type { Config, TemplateName } from '../../config';
import { AppError } from '../../errors';
import type { WechatClient } from '../../plugins/wechat-client';
import type { MessageDoc, MessageModels } from './model';
import type { SmsSender } from './sms-sender';

export interface Notice {
  userId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  link?: string;
  dedupeKey: string;
  push?: { template: TemplateName; data: Record<string, string>; page?: string };
}

const LEASE_MS = 25_000;

/** WeChat answers that retrying cannot fix. */
const PERMANENT = new Map([
  [43101, 'no_consent'],
  [40003, 'failed'],
  [40037, 'failed'],
  [47003, 'failed'],
] as const);

export class Notifier {
  constructor(
    private readonly models: MessageModels,
    private readonly wechat: WechatClient,
    private readonly openidOf: (userId: string) => Promise<string | null>,
    private readonly config: Config['wechat'] & Config['notify'],
    private readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
    private readonly sms: SmsSender | null = null,
  ) {}

  /**
   * Stores the notice (once per dedupe key) and starts its push without waiting for WeChat.
   * True when this call stored it, false when the notice was already there.
   */
  async notify(notice: Notice): Promise<boolean> {
    const templateId = notice.push ? this.config.templates[notice.push.template] : '';
    const now = this.now();
    const push =
      notice.push && templateId
        ? {
            template: notice.push.template,
            data: Object.fromEntries(Object.entries(notice.push.data).map(([k, value]) => [k, { value }])),
            page: notice.push.page ?? null,
            state: 'pending',
            attempts: 0,
            nextAt: now,
            consentTaken: false,
            lastError: null,
          }
        : null;
    const sms = this.sms?.initial(notice, push !== null) ?? null;
    const { userId, kind, title, body, dedupeKey } = notice;
    const result = await this.models.Message.updateOne(
      { dedupeKey },
      {
        $setOnInsert: {
          userId,
          kind,
          title,
          body,
          link: notice.link ?? null,
          dedupeKey,
          readAt: null,
          createdAt: now,
          push,
          sms,
        },
      },
      // The kind is held to its list on this insert too (update validators are off by default).
      { upsert: true, runValidators: true },
    ).catch((error: { code?: number }) => {
      if (error.code === 11000) return { upsertedId: null }; // a concurrent notify of the same event won
      throw error;
    });
    if (push && result.upsertedId)
      void this.send(String(result.upsertedId)).catch((error: unknown) =>
        this.log.warn({ err: error }, 'subscribe message send failed; will retry'),
      );
    if (sms?.state === 'pending' && result.upsertedId) this.sms!.start(String(result.upsertedId));
    return Boolean(result.upsertedId);
  }

  /** Retries every push whose time has come; called on a timer. */
  async retryDue(): Promise<void> {
    const due = await this.models.Message.find(
      { 'push.state': 'pending', 'push.nextAt': { $lte: this.now() } },
      { _id: 1 },
    )
      .limit(100)
      .lean();
    for (const { _id } of due) await this.send(String(_id));
    await this.sms?.retryDue();
  }

  private async send(messageId: string): Promise<void> {
    const now = this.now();
    // Lease the push so two senders (the immediate one and the retry timer) never both send it.
    // The lease outlasts a whole send (a token fetch and the send, 5 s each, once more after an
    // expired token): a lease of only `retryMs` let a slow send be sent again by the timer, and
    // that second send, finding the consent used, overwrote "sent" with "no_consent". A failed
    // send sets its own retry time below, so the lease only delays recovery from a crash.
    const leaseUntil = new Date(now.getTime() + Math.max(this.config.retryMs, LEASE_MS));
    const message = await this.models.Message.findOneAndUpdate(
      { _id: messageId, 'push.state': 'pending', 'push.nextAt': { $lte: now } },
      { $set: { 'push.nextAt': leaseUntil }, $inc: { 'push.attempts': 1 } },
      { returnDocument: 'after' },
    ).lean<MessageDoc>();
    if (!message?.push) return;
    const push = message.push;
    if (!push.consentTaken) {
      const consent = await this.models.Consent.findOneAndUpdate(
        { userId: message.userId, template: push.template, count: { $gt: 0 } },
        { $inc: { count: -1 } },
      );
      if (!consent) return this.finish(messageId, 'no_consent', null);
      await this.models.Message.updateOne({ _id: messageId }, { $set: { 'push.consentTaken': true } });
    }
    const openid = await this.openidOf(message.userId);
    if (!openid) return this.finish(messageId, 'failed', 'no openid');
    let errcode: number | undefined;
    let reason: string;
    try {
      const answer = await this.wechat.post('/cgi-bin/message/subscribe/send', {
        touser: openid,
        template_id: this.config.templates[push.template],
        page: push.page ?? undefined,
        data: push.data,
      });
      errcode = answer.errcode ?? 0;
      reason = `${errcode} ${answer.errmsg ?? ''}`.trim();
    } catch (error) {
      reason = error instanceof AppError ? error.code : String(error);
    }
    if (errcode === 0) return this.finish(messageId, 'sent', null);
    const permanent = errcode === undefined ? undefined : PERMANENT.get(errcode as 43101);
    if (permanent) return this.finish(messageId, permanent, reason);
    if (message.push.attempts >= this.config.pushAttempts) {
      // WeChat never took it, so the consent was not used: give it back for the next notice.
      await this.models.Consent.updateOne(
        { userId: message.userId, template: push.template },
        { $inc: { count: 1 } },
      );
      return this.finish(messageId, 'failed', reason);
    }
    const backoff = this.config.retryMs * 2 ** (message.push.attempts - 1);
    await this.models.Message.updateOne(
      { _id: messageId },
      {
        $set: {
          'push.nextAt': new Date(now.getTime() + backoff),
          'push.lastError': reason,
          'push.consentTaken': true,
        },
      },
    );
  }

  private async finish(
    messageId: string,
    state: 'sent' | 'no_consent' | 'failed',
    lastError: string | null,
  ): Promise<void> {
    await this.models.Message.updateOne(
      { _id: messageId },
      { $set: { 'push.state': state, 'push.lastError': lastError } },
    );
    await this.sms?.wechatSettled(messageId, state === 'sent');
  }
}
