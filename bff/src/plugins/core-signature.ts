// The BFF's side of the core system's signing protocol (mock/docs/core.md): HMAC-SHA256 over
// METHOD, path, canonical query, timestamp, nonce and the body's SHA-256. Used to sign our
// requests and to verify the core system's webhooks.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SKEW_MS = 5 * 60_000;

function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs = [...query.entries()].map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
  return pairs.sort().join('&');
}

function sign(secret: string, method: string, url: URL, timestamp: string, nonce: string, body: string | Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret).update([method.toUpperCase(), url.pathname, canonicalQuery(url.searchParams), timestamp, nonce, bodyHash].join('\n')).digest('hex');
}

export function signRequest(appKey: string, secret: string, method: string, url: URL, body: string): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  return { 'x-app-key': appKey, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': sign(secret, method, url, timestamp, nonce, body) };
}

/** Verifies signed calls from the core system (webhooks); a nonce seen in the last 10 minutes is a replay. */
export class WebhookSignatureVerifier {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly appKey: string,
    private readonly secret: string,
  ) {}

  verify(headers: Record<string, string | string[] | undefined>, method: string, url: URL, rawBody: Buffer | string): boolean {
    const one = (name: string) => (Array.isArray(headers[name]) ? headers[name]![0] : (headers[name] as string | undefined));
    const [appKey, timestamp, nonce, signature] = [one('x-app-key'), one('x-timestamp'), one('x-nonce'), one('x-signature')];
    if (!appKey || !timestamp || !nonce || !signature || appKey !== this.appKey) return false;
    const now = Date.now();
    if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SKEW_MS) return false;
    const expected = Buffer.from(sign(this.secret, method, url, timestamp, nonce, rawBody), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    for (const [seen, at] of this.nonces) if (now - at > 2 * SKEW_MS) this.nonces.delete(seen);
    if (this.nonces.has(nonce)) return false;
    this.nonces.set(nonce, now);
    return true;
  }
}
