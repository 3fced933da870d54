// Where rate-limit counters live (the `@fastify/rate-limit` store interface). The general
// per-minute limit counts in this process's memory: it guards each instance against a flood,
// and a public read does not pay a database round trip for it (N instances allow N times it).
// Route limits — logins, refresh, real-name binding, case lookup, upload and signature
// policies, where guessing and abuse matter — count in MongoDB, one document per route and key
// (a window from its first request), so the limit holds however many instances share the traffic.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';

interface Count {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: Count) => void;

interface WindowDoc {
  _id: string;
  n: number;
  expiresAt: Date;
}

const windowSchema = new Schema<WindowDoc>(
  { _id: String, n: Number, expiresAt: { type: Date, expires: 0 } },
  { versionKey: false },
);

const LOCAL_KEYS_LIMIT = 50_000;

/** The root store: fixed windows in memory, the oldest entries dropped past a bound. */
class LocalWindows {
  private readonly windows = new Map<string, { n: number; start: number }>();

  incr(key: string, callback: Callback, timeWindow: number): void {
    const now = Date.now();
    let entry = this.windows.get(key);
    if (!entry || entry.start + timeWindow <= now) {
      if (this.windows.size >= LOCAL_KEYS_LIMIT) this.windows.delete(this.windows.keys().next().value!);
      this.windows.delete(key);
      this.windows.set(key, (entry = { n: 0, start: now }));
    }
    entry.n += 1;
    callback(null, { current: entry.n, ttl: entry.start + timeWindow - now });
  }
}

/**
 * A route's store: one document per route and key in MongoDB. As the in-memory store, a window
 * starts at the key's first request (not at a clock boundary, which would let a burst across it
 * through twice); starting or counting is one atomic pipeline update, and the TTL index removes
 * the document once its window is over.
 */
class SharedWindows implements FastifyRateLimitStore {
  constructor(
    readonly route: string,
    readonly windows: () => Model<WindowDoc>,
  ) {}

  child(): FastifyRateLimitStore {
    return this;
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    const now = new Date();
    const open = { $gt: ['$expiresAt', now] };
    // The driver directly, as every public lookup pays this: nothing here for mongoose to cast.
    (this.windows().collection as unknown as Collection<WindowDoc>)
      .findOneAndUpdate(
        { _id: `${this.route}|${key}` },
        [
          {
            $set: {
              n: { $cond: [open, { $add: ['$n', 1] }, 1] },
              expiresAt: { $cond: [open, '$expiresAt', new Date(now.getTime() + timeWindow)] },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      )
      .then(
        (doc) => callback(null, { current: doc!.n, ttl: doc!.expiresAt.getTime() - now.getTime() }),
        (error: Error) => callback(error),
      );
  }
}

/** The store class `@fastify/rate-limit` instantiates; the database is reached when the first request counts. */
export function rateLimitStore(database: () => Connection): FastifyRateLimitStoreCtor {
  let model: Model<WindowDoc> | undefined;
  const windows = () =>
    (model ??=
      (database().models.RateLimitWindow as Model<WindowDoc> | undefined) ??
      database().model<WindowDoc>('RateLimitWindow', windowSchema, 'rate_limit_windows'));
  return class RateLimitStore implements FastifyRateLimitStore {
    private readonly local = new LocalWindows();

    incr(key: string, callback: Callback, timeWindow: number): void {
      this.local.incr(key, callback, timeWindow);
    }

    // The plugin passes the route's merged limit options, the route itself under `routeInfo`.
    child(options: object): FastifyRateLimitStore {
      const route = ((options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ??
        options) as { method?: string | string[]; url?: string };
      return new SharedWindows(`${[route.method].flat().join(',')} ${route.url ?? ''}`, windows);
    }
  };
}
