// The SMS side of the notifier: each notice whose kind the policy routes to SMS carries an SMS
// state on its message-centre entry, sent by lease like the WeChat push, so two instances or a
// retry never send it twice. Order of checks at send time: opt-out, a bound phone, quiet hours
// (non-urgent kinds wait for their end), the phone's daily allowance (claimed once per message),
// then the gateway. A gateway outage keeps the SMS pending and retried with back-off until the
// gateway answers; its refusal (bad number, its own flow control) ends it, visible on the entry.
import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { MessageDoc, MessageModels, SmsState } from './model';
import type { SmsGateway } from './sms-gateway';
import { inQuietHours, quietHoursEnd, shanghaiDay, SMS_POLICY, type SmsNotice } from './sms-policy';
import { nextAttemptAt } from '../../outbox-backoff';

export class SmsSender {
  /** Mints a rating link for a citizen's case (set by the rating feature, which depends on this one). */
  private ratingLink: ((userId: string, acceptNo: string) => Promise<string>) | null = null;

  constructor(
    private readonly models: MessageModels,
    private readonly gateway: SmsGateway,
    private readonly phoneOf: (userId: string) => Promise<string | null>,
    private readonly config: Config['sms'],
    private readonly hashKey: Buffer,
    private readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {}

  useRatingLinks(mint: (userId: string, acceptNo: string) => Promise<string>): void {
    this.ratingLink = mint;
  }

  /** The SMS state a new notice starts with, or null when its kind (or an unset template) means no SMS. */
  initial(notice: SmsNotice, wechatPush: boolean): SmsState | null {
    const route = SMS_POLICY[notice.kind];
    if (!route || !this.config.templates[route.template] || (route.applies && !route.applies(notice)))
      return null;
    const waitForWechat = route.channel === 'fallback' && wechatPush;
    return {
      template: route.template,
      params: route.params(notice),
      urgent: route.urgent,
      state: waitForWechat ? 'waiting' : 'pending',
      attempts: 0,
      nextAt: this.now(),
      quotaTaken: false,
      bizId: null,
      lastError: null,
    };
  }

  /** The WeChat push settled: reached the citizen (no SMS) or not (the SMS goes now). */
  async wechatSettled(messageId: string, reached: boolean): Promise<void> {
    const changed = await this.models.Message.updateOne(
      { _id: messageId, 'sms.state': 'waiting' },
      { $set: { 'sms.state': reached ? 'skipped' : 'pending', 'sms.nextAt': this.now() } },
    );
    if (!reached && changed.modifiedCount === 1) this.start(messageId);
  }

  /** Sends without waiting for the gateway; a failure is retried by `retryDue`. */
  start(messageId: string): void {
    void this.send(messageId).catch((error: unknown) =>
      this.log.warn({ err: error }, 'sms send failed; will retry'),
    );
  }

  async retryDue(): Promise<void> {
    const due = await this.models.Message.find(
      { 'sms.state': 'pending', 'sms.nextAt': { $lte: this.now() } },
      { _id: 1 },
    )
      .limit(100)
      .lean();
    for (const { _id } of due) await this.send(String(_id));
  }

  async send(messageId: string): Promise<void> {
    const now = this.now();
    // The lease outlasts the gateway's time-out, so the retry timer never sends it alongside.
    const leaseUntil = new Date(now.getTime() + Math.max(this.config.retryMs, 3 * this.config.timeoutMs));
    const message = await this.models.Message.findOneAndUpdate(
      { _id: messageId, 'sms.state': 'pending', 'sms.nextAt': { $lte: now } },
      { $set: { 'sms.nextAt': leaseUntil }, $inc: { 'sms.attempts': 1 } },
      { returnDocument: 'after' },
    ).lean<MessageDoc>();
    if (!message?.sms) return;
    const sms = message.sms;
    if (await this.optedOut(message.userId)) return this.finish(messageId, 'opted_out', null);
    const phone = await this.phoneOf(message.userId);
    if (!phone) return this.finish(messageId, 'no_phone', null);
    if (!sms.urgent && inQuietHours(now, this.config.quietHours)) {
      await this.models.Message.updateOne(
        { _id: messageId },
        {
          $set: { 'sms.nextAt': quietHoursEnd(now, this.config.quietHours), 'sms.lastError': 'quiet_hours' },
          $inc: { 'sms.attempts': -1 },
        },
      );
      return;
    }
    const quotaKey = `${createHmac('sha256', this.hashKey).update(phone).digest('hex').slice(0, 32)}|${shanghaiDay(now)}`;
    if (!sms.quotaTaken) {
      if (!(await this.claimQuota(quotaKey))) return this.finish(messageId, 'limited', 'daily_limit');
      await this.models.Message.updateOne({ _id: messageId }, { $set: { 'sms.quotaTaken': true } });
    }
    if (sms.template === 'ratingInvite' && !sms.params.link) {
      // Minted once, when the SMS first goes, and kept: a retried SMS carries the same link.
      if (!this.ratingLink) return this.finish(messageId, 'failed', 'no rating links');
      sms.params.link = await this.ratingLink(message.userId, sms.params.acceptNo);
      await this.models.Message.updateOne(
        { _id: messageId },
        { $set: { 'sms.params.link': sms.params.link } },
      );
    }
    const outcome = await this.gateway.send(
      phone,
      this.config.templates[sms.template],
      sms.params,
      messageId,
    );
    if (outcome.kind === 'accepted') {
      await this.models.Message.updateOne(
        { _id: messageId },
        { $set: { 'sms.state': 'sent', 'sms.bizId': outcome.bizId, 'sms.lastError': null } },
      );
      // The receipt may have come before this write; it was kept, and applies now.
      const early = await this.models.SmsReceipt.findById(outcome.bizId).lean();
      if (early) await this.applyReceipt(outcome.bizId, early.delivered, early.errCode);
      return;
    }
    if (outcome.kind === 'refused') {
      // Nothing reached the phone: the allowance goes back for the next notice.
      await this.models.SmsQuota.updateOne({ _id: quotaKey, count: { $gt: 0 } }, { $inc: { count: -1 } });
      if (outcome.code !== 'isv.BUSINESS_LIMIT_CONTROL' && outcome.code !== 'isv.MOBILE_NUMBER_ILLEGAL')
        this.log.error(
          { code: outcome.code, template: sms.template },
          'SMS gateway refused a message (template, sign name or parameters)',
        );
      return this.finish(
        messageId,
        outcome.code === 'isv.BUSINESS_LIMIT_CONTROL' ? 'limited' : 'failed',
        outcome.code,
      );
    }
    await this.models.Message.updateOne(
      { _id: messageId },
      {
        $set: {
          'sms.nextAt': nextAttemptAt(now, this.config.retryMs, message.sms.attempts),
          'sms.lastError': outcome.reason,
        },
      },
    );
  }

  /** A delivery receipt (状态报告): kept, and applied to the message that has its BizId. */
  async applyReceipt(bizId: string, delivered: boolean, errCode: string): Promise<void> {
    await this.models.SmsReceipt.updateOne(
      { _id: bizId },
      { $setOnInsert: { delivered, errCode, receivedAt: this.now() } },
      { upsert: true },
    ).catch((error: { code?: number }) => {
      if (error.code !== 11000) throw error;
    });
    await this.models.Message.updateOne(
      { 'sms.bizId': bizId, 'sms.state': 'sent' },
      {
        $set: {
          'sms.state': delivered ? 'delivered' : 'undelivered',
          'sms.lastError': delivered ? null : errCode,
        },
      },
    );
  }

  async optedOut(userId: string): Promise<boolean> {
    return Boolean((await this.models.SmsPreference.findById(userId).lean())?.optedOut);
  }

  async setOptOut(userId: string, optedOut: boolean): Promise<void> {
    await this.models.SmsPreference.updateOne(
      { _id: userId },
      { $set: { optedOut, updatedAt: this.now() } },
      { upsert: true },
    );
  }

  /** One SMS of the phone's daily allowance; false when it is used up. */
  private async claimQuota(key: string): Promise<boolean> {
    const limit = this.config.dailyLimitPerPhone;
    try {
      return Boolean(
        await this.models.SmsQuota.findOneAndUpdate(
          { _id: key, count: { $lt: limit } },
          { $inc: { count: 1 } },
          { upsert: true, returnDocument: 'after' },
        ),
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // Either the day's record is full (the upsert tried to insert beside it) or a concurrent
      // first claim inserted it: one plain conditional increment tells which.
      return Boolean(
        await this.models.SmsQuota.findOneAndUpdate(
          { _id: key, count: { $lt: limit } },
          { $inc: { count: 1 } },
        ),
      );
    }
  }

  private async finish(messageId: string, state: SmsState['state'], lastError: string | null): Promise<void> {
    await this.models.Message.updateOne(
      { _id: messageId },
      { $set: { 'sms.state': state, 'sms.lastError': lastError } },
    );
  }
}
