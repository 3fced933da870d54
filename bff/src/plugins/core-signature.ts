// The BFF's side of the core system's signing protocol (mock/docs/core.md): HMAC-SHA256 over
// METHOD, path, canonical query, timestamp, nonce and the body's SHA-256. Used to sign our
// requests and to verify the core system's webhooks.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

const SKEW_MS = 5 * 60_000;

function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs = [...query.entries()].map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
  return pairs.sort().join('&');
}

function sign(
  secret: string,
  method: string,
  url: URL,
  timestamp: string,
  nonce: string,
  body: string | Buffer,
): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret)
    .update(
      [method.toUpperCase(), url.pathname, canonicalQuery(url.searchParams), timestamp, nonce, bodyHash].join(
        '\n',
      ),
    )
    .digest('hex');
}

export function signRequest(
  appKey: string,
  secret: string,
  method: string,
  url: URL,
  body: string,
): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  return {
    'x-app-key': appKey,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': sign(secret, method, url, timestamp, nonce, body),
  };
}

interface NonceDoc {
  _id: string;
  at: Date;
}

// A nonce is remembered for twice the allowed clock skew, after which its timestamp alone refuses it.
const nonceSchema = new Schema<NonceDoc>(
  { _id: String, at: { type: Date, required: true, expires: (2 * SKEW_MS) / 1000 } },
  { versionKey: false },
);

/**
 * Verifies signed calls from the core system (webhooks). A nonce already used is a replay: nonces
 * live in MongoDB (a TTL collection), so a request replayed to another BFF instance is refused too.
 */
export class WebhookSignatureVerifier {
  private readonly Nonce: Model<NonceDoc>;

  constructor(
    private readonly appKey: string,
    private readonly secret: string,
    db: Connection,
  ) {
    this.Nonce =
      (db.models.WebhookNonce as Model<NonceDoc> | undefined) ??
      db.model<NonceDoc>('WebhookNonce', nonceSchema, 'webhook_nonces');
  }

  async verify(
    headers: Record<string, string | string[] | undefined>,
    method: string,
    url: URL,
    rawBody: Buffer | string,
  ): Promise<boolean> {
    const one = (name: string) => (Array.isArray(headers[name]) ? headers[name][0] : headers[name]);
    const [appKey, timestamp, nonce, signature] = [
      one('x-app-key'),
      one('x-timestamp'),
      one('x-nonce'),
      one('x-signature'),
    ];
    if (!appKey || !timestamp || !nonce || !signature || appKey !== this.appKey) return false;
    const now = Date.now();
    if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SKEW_MS) return false;
    const expected = Buffer.from(sign(this.secret, method, url, timestamp, nonce, rawBody), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    try {
      await this.Nonce.create({ _id: nonce, at: new Date(now) });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }
}
