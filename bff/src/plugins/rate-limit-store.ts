// Where rate-limit counters live (the `@fastify/rate-limit` store interface). The general
// per-minute limit counts in this process's memory: it guards each instance against a flood,
// and a public read does not pay a database round trip for it (N instances allow N times it).
// Route limits — logins, refresh, real-name binding, case lookup, upload and signature
// policies, where guessing and abuse matter — count in MongoDB, one document per route, key
// and fixed window, so the limit holds however many instances share the traffic.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
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

const windowSchema = new Schema<WindowDoc>({ _id: String, n: Number, expiresAt: { type: Date, expires: 0 } }, { versionKey: false });

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

/** A route's store: the count of its fixed window in MongoDB (TTL-expired after the window). */
class SharedWindows implements FastifyRateLimitStore {
  constructor(
    readonly route: string,
    readonly windows: () => Model<WindowDoc>,
  ) {}

  child(): FastifyRateLimitStore {
    return this;
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    const now = Date.now();
    const start = now - (now % timeWindow);
    this.windows()
      .findOneAndUpdate({ _id: `${this.route}|${key}|${start}` }, { $inc: { n: 1 }, $setOnInsert: { expiresAt: new Date(start + timeWindow) } }, { upsert: true, returnDocument: 'after' })
      .lean<WindowDoc>()
      .then(
        (doc) => callback(null, { current: doc!.n, ttl: start + timeWindow - now }),
        (error: Error) => callback(error),
      );
  }
}

/** The store class `@fastify/rate-limit` instantiates; the database is reached when the first request counts. */
export function rateLimitStore(database: () => Connection): FastifyRateLimitStoreCtor {
  let model: Model<WindowDoc> | undefined;
  const windows = () => (model ??= (database().models.RateLimitWindow as Model<WindowDoc> | undefined) ?? database().model<WindowDoc>('RateLimitWindow', windowSchema, 'rate_limit_windows'));
  return class RateLimitStore implements FastifyRateLimitStore {
    private readonly local = new LocalWindows();

    incr(key: string, callback: Callback, timeWindow: number): void {
      this.local.incr(key, callback, timeWindow);
    }

    // The plugin passes the route's merged limit options, the route itself under `routeInfo`.
    child(options: object): FastifyRateLimitStore {
      const route = ((options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? options) as { method?: string | string[]; url?: string };
      return new SharedWindows(`${[route.method].flat().join(',')} ${route.url ?? ''}`, windows);
    }
  };
}
