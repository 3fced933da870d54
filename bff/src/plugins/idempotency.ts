// `Idempotency-Key` for writes a phone may retry: the first request with a key acts; a retry
// with the same body gets the first answer (waiting for it if the first is still running);
// a retry with another body is 409 IDEMPOTENCY_MISMATCH. A failed first attempt frees the key.
import { createHash } from 'node:crypto';
import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import { AppError } from '../errors';

interface IdempotencyDoc {
  key: string;
  userId: string;
  requestHash: string;
  state: 'pending' | 'done';
  status?: number;
  response?: unknown;
  createdAt: Date;
}

const schema = new Schema<IdempotencyDoc>(
  {
    key: String,
    userId: String,
    requestHash: String,
    state: String,
    status: Number,
    response: Schema.Types.Mixed,
    createdAt: { type: Date, expires: 24 * 3600 },
  },
  { versionKey: false, minimize: false },
);
schema.index({ userId: 1, key: 1 }, { unique: true });

const WAIT_STEP_MS = 25;
const WAIT_LIMIT_MS = 15_000;

export interface Reply<T> {
  status: number;
  body: T;
}

export class IdempotentWrites {
  /**
   * The driver's collection: every booking attempt pays a claim here (and a release when it is
   * refused), and a mongoose document's construction and validation were most of its cost.
   * The model stays for its indexes.
   */
  private readonly keys: Collection<IdempotencyDoc>;

  constructor(db: Connection) {
    const model: Model<IdempotencyDoc> = db.model<IdempotencyDoc>(
      'IdempotencyKey',
      schema,
      'idempotency_keys',
    );
    this.keys = model.collection as unknown as Collection<IdempotencyDoc>;
  }

  async run<T>(
    userId: string,
    key: string | undefined,
    request: unknown,
    act: () => Promise<Reply<T>>,
  ): Promise<Reply<T>> {
    if (key === undefined) return act();
    if (!/^[A-Za-z0-9_-]{8,80}$/.test(key)) throw new AppError('INVALID_INPUT', 'Idempotency-Key 格式不正确');
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      try {
        await this.keys.insertOne({ key, userId, requestHash, state: 'pending', createdAt: new Date() });
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        const first = await this.keys.findOne({ userId, key });
        if (!first) continue; // the first attempt failed and freed the key: act now
        if (first.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_MISMATCH');
        if (first.state === 'done') return { status: first.status!, body: first.response as T };
        if (Date.now() > deadline) throw new AppError('INTERNAL');
        await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
        continue;
      }
      try {
        const reply = await act();
        await this.keys.updateOne(
          { userId, key },
          { $set: { state: 'done', status: reply.status, response: reply.body } },
        );
        return reply;
      } catch (error) {
        await this.keys.deleteOne({ userId, key, state: 'pending' });
        throw error;
      }
    }
  }
}
