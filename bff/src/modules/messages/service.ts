// The citizen's message centre and the subscribe-message consents they grant.
import type { ConsentBody, Message } from '@onewindow/shared-types';
import { TEMPLATE_NAMES, type Config, type TemplateName } from '../../config';
import { AppError } from '../../errors';
import { timingSafeEqual } from 'node:crypto';
import type { MessageDoc, MessageModels } from './model';
import type { SmsSender } from './sms-sender';
import { isDocumentId } from '../../document-id';

function view(message: MessageDoc): Message {
  return {
    id: String(message._id),
    kind: message.kind,
    title: message.title,
    body: message.body,
    link: message.link,
    createdAt: message.createdAt.toISOString(),
    read: message.readAt !== null,
    delivery: { wechat: message.push?.state ?? null, sms: message.sms?.state ?? null },
  };
}

export class MessageService {
  constructor(
    private readonly models: MessageModels,
    private readonly templates: Config['wechat']['templates'],
    private readonly sms: SmsSender,
    private readonly receiptToken: string,
    private readonly now: () => Date,
  ) {}

  async list(userId: string, page = 1, pageSize = 20) {
    const [messages, total, unread] = await Promise.all([
      this.models.Message.find({ userId })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<MessageDoc[]>(),
      this.models.Message.countDocuments({ userId }),
      this.models.Message.countDocuments({ userId, readAt: null }),
    ]);
    return { messages: messages.map(view), total, unread, page, pageSize };
  }

  async markRead(userId: string, id: string): Promise<Message> {
    if (!isDocumentId(id)) throw new AppError('NOT_FOUND', '消息不存在');
    await this.models.Message.updateOne({ _id: id, userId, readAt: null }, { $set: { readAt: this.now() } });
    const message = await this.models.Message.findOne({ _id: id, userId }).lean<MessageDoc>();
    if (!message) throw new AppError('NOT_FOUND', '消息不存在');
    return view(message);
  }

  async subscriptions(userId: string) {
    const consents = await this.models.Consent.find({ userId }).lean();
    const templates = Object.fromEntries(
      TEMPLATE_NAMES.filter((name) => this.templates[name]).map((name) => [name, this.templates[name]]),
    );
    return { templates, consents: Object.fromEntries(consents.map((c) => [c.template, c.count])) };
  }

  /** Each accepted template allows one message, as WeChat counts it. */
  async recordConsent(userId: string, body: ConsentBody) {
    const names = body.templateIds.map((id) => {
      const name = TEMPLATE_NAMES.find((n) => this.templates[n] === id);
      if (!name) throw new AppError('INVALID_INPUT', `未知的订阅消息模板：${id}`);
      return name;
    });
    for (const template of new Set<TemplateName>(names))
      await this.models.Consent.updateOne({ userId, template }, { $inc: { count: 1 } }, { upsert: true });
    return this.subscriptions(userId);
  }

  async smsPreference(userId: string) {
    return { optedOut: await this.sms.optedOut(userId) };
  }

  async setSmsPreference(userId: string, optedOut: boolean) {
    await this.sms.setOptOut(userId, optedOut);
    return { optedOut };
  }

  /** Aliyun's receipt push carries no signature; the secret in the configured URL stands for it. */
  async receipts(
    token: string,
    batch: { biz_id: string; success: boolean; err_code: string }[],
  ): Promise<void> {
    const given = Buffer.from(token);
    const expected = Buffer.from(this.receiptToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AppError('NOT_FOUND');
    for (const receipt of batch)
      await this.sms.applyReceipt(receipt.biz_id, receipt.success, receipt.err_code);
  }
}
