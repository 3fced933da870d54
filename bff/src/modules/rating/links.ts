// Rating links (扫码评价 and 短信评价): a short token bound to one handling opens the h5 rate
// page without a WeChat login. The token is a random id (12 characters) and its HMAC (10), so a
// forged one is refused without a database read; the stored link says whose handling it is,
// until when it works, and whether it was used: one rating per link, claimed atomically before
// the rating is written (and given back if the rating fails for another reason than "rated").
// The rating itself goes through RatingService.rate, so one rating per handling holds across
// every channel.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Model } from 'mongoose';
import type {
  LinkRatingBody,
  Rating,
  RatingLink,
  RatingLinkView,
  WindowRatingLink,
} from '@onewindow/shared-types';
import { AppError } from '../../errors';
import type { RatingLinkDoc } from './model';
import type { AccessClaims } from '../../plugins/auth';
import type { QueueService } from '../queue/service';
import type { RatingService } from './service';

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

export class RatingLinks {
  constructor(
    private readonly links: Model<RatingLinkDoc>,
    private readonly rating: RatingService,
    private readonly queue: QueueService,
    private readonly config: { linkBase: string; linkTtlHours: number; secret: string },
    private readonly now: () => Date,
  ) {}

  /** A link to the caller's own handling (refused as not found for anyone else's). */
  async mint(
    userId: string,
    target: { kind: 'case' | 'ticket'; id: string },
    via: 'qr' | 'sms',
  ): Promise<RatingLink> {
    await this.rating.describe(userId, target);
    const id = randomBytes(9).toString('base64url');
    const createdAt = this.now();
    const expiresAt = new Date(createdAt.getTime() + this.config.linkTtlHours * 3600_000);
    await this.links.create({ _id: id, userId, target, via, createdAt, expiresAt, usedAt: null });
    const token = `${id}${this.sign(id)}`;
    return {
      token,
      url: `${this.config.linkBase}/#/packages/rating/rate/index?t=${token}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * The window's QR code (扫码评价 at the window): a link to the last ticket the clerk completed
   * at their window today, bound to that handling and its owner like any other link.
   */
  async windowLink(staff: AccessClaims, windowId: string): Promise<WindowRatingLink> {
    const last = await this.queue.lastCompletedAt(staff, windowId);
    if (!last) throw new AppError('NOT_FOUND', '本窗口今天还没有办结的号码');
    const target = { kind: 'ticket' as const, id: last.ticketId };
    const { rated } = await this.rating.describe(last.userId, target);
    return {
      ticketId: last.ticketId,
      number: last.number,
      completedAt: last.completedAt.toISOString(),
      rated,
      link: rated ? null : await this.mint(last.userId, target, 'qr'),
    };
  }

  /** The link a completed case's SMS carries (短信评价). */
  async smsLink(userId: string, acceptNo: string): Promise<string> {
    return (await this.mint(userId, { kind: 'case', id: acceptNo }, 'sms')).url;
  }

  async show(token: string): Promise<RatingLinkView> {
    const link = await this.open(token);
    return {
      ...(await this.rating.describe(link.userId, link.target)),
      expiresAt: link.expiresAt.toISOString(),
    };
  }

  async rate(token: string, body: LinkRatingBody): Promise<Rating> {
    const link = await this.open(token);
    const at = this.now();
    const claimed = await this.links.findOneAndUpdate(
      { _id: link._id, usedAt: null, expiresAt: { $gt: at } },
      { $set: { usedAt: at } },
    );
    if (!claimed) {
      await this.open(token); // says which: used (a concurrent use won) or expired meanwhile
      throw new AppError('RATING_LINK_USED');
    }
    const handling =
      link.target.kind === 'case' ? { acceptNo: link.target.id } : { ticketId: link.target.id };
    try {
      return await this.rating.rate(link.userId, { ...body, ...handling }, link.via);
    } catch (error) {
      // A bad body or an upstream failure leaves the link usable; a handling rated elsewhere does not.
      if (!(error instanceof AppError && error.code === 'ALREADY_RATED'))
        await this.links.updateOne({ _id: link._id, usedAt: at }, { $set: { usedAt: null } });
      throw error;
    }
  }

  private sign(id: string): string {
    return createHmac('sha256', this.config.secret)
      .update(`rating-link:${id}`)
      .digest('base64url')
      .slice(0, 10);
  }

  private async open(token: string): Promise<RatingLinkDoc> {
    if (!TOKEN.test(token)) throw new AppError('RATING_LINK_INVALID');
    const id = token.slice(0, 12);
    const signature = Buffer.from(token.slice(12));
    if (!timingSafeEqual(signature, Buffer.from(this.sign(id)))) throw new AppError('RATING_LINK_INVALID');
    const link = await this.links.findById(id).lean<RatingLinkDoc>();
    if (!link) throw new AppError('RATING_LINK_INVALID');
    if (link.usedAt) throw new AppError('RATING_LINK_USED');
    if (link.expiresAt <= this.now()) throw new AppError('RATING_LINK_EXPIRED');
    return link;
  }
}
