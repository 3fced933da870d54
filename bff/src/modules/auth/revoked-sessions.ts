// Logins ended by logout (or by a leaked refresh token): the truth is the `revoked_sessions`
// collection, shared by every instance, each entry removed by its TTL index once the last access
// token of that login would have expired. Every authenticated request asks whether its login was
// ended, so each instance keeps a mirror of the (small) list and reads the collection for new
// entries every `syncMs`, instead of one database read per request: the instance that ended a
// login refuses its tokens at once, the others within `syncMs`.
import type { Model } from 'mongoose';
import type { RevokedSessions } from '../../plugins/auth';
import type { RevokedSessionDoc } from './model';

/** Entries written this long before the last one seen are read again: clocks of instances differ a little. */
const CLOCK_SKEW_MS = 5_000;

export class RevokedSessionList implements RevokedSessions {
  private readonly ended = new Map<string, number>();
  private seenUntil = 0;

  constructor(private readonly model: Model<RevokedSessionDoc>) {}

  async isRevoked(family: string): Promise<boolean> {
    const until = this.ended.get(family);
    return until !== undefined && until > Date.now();
  }

  async revoke(family: string, expiresAt: Date): Promise<void> {
    const revokedAt = new Date();
    await this.model.updateOne({ _id: family }, { $set: { expiresAt, revokedAt } }, { upsert: true });
    this.ended.set(family, expiresAt.getTime());
  }

  /** New entries from every instance; expired ones leave the mirror. */
  async sync(): Promise<void> {
    const docs = await this.model
      .find({ revokedAt: { $gte: new Date(this.seenUntil - CLOCK_SKEW_MS) } })
      .lean<RevokedSessionDoc[]>();
    for (const doc of docs) {
      this.ended.set(doc._id, doc.expiresAt.getTime());
      this.seenUntil = Math.max(this.seenUntil, doc.revokedAt.getTime());
    }
    const now = Date.now();
    for (const [family, until] of this.ended) if (until <= now) this.ended.delete(family);
  }
}
