// The core system's reading of its signing protocol (docs/core.md). The BFF carries its own
// implementation; tests cross-check the two.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SKEW_LIMIT_MS = 5 * 60_000;
const NONCE_MEMORY_MS = 10 * 60_000;

export type SignatureRejection =
  'SIGNATURE_MISSING' | 'APP_KEY_UNKNOWN' | 'TIMESTAMP_SKEWED' | 'NONCE_REPLAYED' | 'SIGNATURE_INVALID';

export interface SignedParts {
  method: string;
  path: string;
  query: URLSearchParams;
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function signature(secret: string, parts: SignedParts): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  const stringToSign = [
    parts.method.toUpperCase(),
    parts.path,
    canonicalQuery(parts.query),
    parts.timestamp,
    parts.nonce,
    bodyHash,
  ].join('\n');
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/** Headers for a request the core system sends (webhooks) or a test sends to it. */
export function signedHeaders(
  appKey: string,
  secret: string,
  parts: Omit<SignedParts, 'timestamp' | 'nonce'>,
  now = Date.now(),
  nonce = randomNonce(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    'x-app-key': appKey,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signature(secret, { ...parts, timestamp, nonce }),
  };
}

export function randomNonce(): string {
  return createHash('sha256')
    .update(`${process.hrtime.bigint()}-${Math.random()}`)
    .digest('hex')
    .slice(0, 32);
}

/** Checks incoming signatures and remembers nonces long enough to refuse every replay inside the skew window. */
export class SignatureVerifier {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly appKey: string,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Why a request's signature is refused, or `null` when it is accepted (its nonce is then spent). */
  rejectionOf(
    headers: Record<string, string | string[] | undefined>,
    parts: Omit<SignedParts, 'timestamp' | 'nonce'>,
  ): SignatureRejection | null {
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const appKey = header('x-app-key');
    const timestamp = header('x-timestamp');
    const nonce = header('x-nonce');
    const given = header('x-signature');
    if (!appKey || !timestamp || !nonce || !given) return 'SIGNATURE_MISSING';
    if (appKey !== this.appKey) return 'APP_KEY_UNKNOWN';
    const now = this.now();
    if (!/^\d{1,16}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SKEW_LIMIT_MS)
      return 'TIMESTAMP_SKEWED';
    if (nonce.length < 16 || nonce.length > 64) return 'SIGNATURE_INVALID';
    const expected = Buffer.from(signature(this.secret, { ...parts, timestamp, nonce }), 'hex');
    const actual = Buffer.from(given, 'hex');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'SIGNATURE_INVALID';
    // Only a valid signature burns its nonce, so a forger cannot lock out a legitimate request.
    this.forgetOld(now);
    if (this.seen.has(nonce)) return 'NONCE_REPLAYED';
    this.seen.set(nonce, now);
    return null;
  }

  private forgetOld(now: number): void {
    for (const [nonce, at] of this.seen) {
      if (now - at <= NONCE_MEMORY_MS) break;
      this.seen.delete(nonce);
    }
  }
}
