// Which BFF instance runs a periodic job: a lease per job in MongoDB, taken or renewed before
// each run. Every instance has the same timers; only the lease holder does the work, and a
// dead holder's lease simply expires, so another instance takes over without coordination.
// Leases are in real time (not the features' clock, which tests move by days).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

const leaseSchema = new Schema<LeaseDoc>(
  { _id: String, holder: { type: String, required: true }, until: { type: Date, required: true } },
  { versionKey: false },
);

export class JobLeases {
  /** This process's name in the lease collection: host and pid, for an operator reading it. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly Lease: Model<LeaseDoc>;

  constructor(db: Connection) {
    this.Lease =
      (db.models.JobLease as Model<LeaseDoc> | undefined) ??
      db.model<LeaseDoc>('JobLease', leaseSchema, 'job_leases');
  }

  /** True when this instance holds the job's lease for the next `ms` (taken, renewed, or taken over from an expired holder). */
  async acquire(job: string, ms: number): Promise<boolean> {
    const now = Date.now();
    try {
      const lease = await this.Lease.findOneAndUpdate(
        { _id: job, $or: [{ holder: this.holder }, { until: { $lte: new Date(now) } }] },
        { $set: { holder: this.holder, until: new Date(now + ms) } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      return lease?.holder === this.holder;
    } catch (error) {
      // The lease exists, held by another live instance (the upsert found no match and collided).
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** On a clean shutdown the leases go at once, so another instance need not wait for them to expire. */
  async releaseAll(): Promise<void> {
    await this.Lease.deleteMany({ holder: this.holder });
  }
}
