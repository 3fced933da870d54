// A provincial 好差评 system's reporting interface (version 2): the city reports each rating,
// each rectification result (the department's and the citizen's verdict on it) and each rating
// of a guide or of the platform itself with the national data fields, signed with HMAC-SHA256 over the app
// id, timestamp, nonce and body hash. The same `reportId` is acknowledged once and then answered
// as a duplicate, so a retried report is never counted twice. `/dev` routes stand for outages
// and let tests read what the province holds.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BodyTooLarge, createServer, listen, readBody, sendJson } from '../json-http';

export interface ProvinceOptions {
  host?: string;
  port?: number;
  appId: string;
  appSecret: string;
}

type Kind = 'rating' | 'rectification' | 'guide' | 'platform';

export interface ProvinceReport {
  reportId: string;
  kind: Kind;
  ackId: string;
  body: Record<string, unknown>;
  receivedAt: string;
}

export interface ProvinceHandle {
  url: string;
  appId: string;
  appSecret: string;
  stop(): Promise<void>;
}

/** Fields every rating report must carry (国办发〔2019〕51号 data items, as this interface names them). */
const RATING_FIELDS = [
  'reportId',
  'version',
  'caseNo',
  'itemCode',
  'itemVersion',
  'deptCode',
  'regionCode',
  'channel',
  'level',
  'indicators',
  'ratedAt',
  'raterKey',
] as const;
const RECTIFICATION_FIELDS = ['reportId', 'version', 'ratingReportId', 'result', 'closedAt'] as const;
const GUIDE_FIELDS = [
  'reportId',
  'version',
  'itemCode',
  'guideVersion',
  'regionCode',
  'ratedAt',
  'raterKey',
] as const;
const PLATFORM_FIELDS = [
  'reportId',
  'version',
  'platform',
  'regionCode',
  'level',
  'ratedAt',
  'raterKey',
] as const;
const FIELDS: Record<Kind, readonly string[]> = {
  rating: RATING_FIELDS,
  rectification: RECTIFICATION_FIELDS,
  guide: GUIDE_FIELDS,
  platform: PLATFORM_FIELDS,
};
const CLOCK_WINDOW_MS = 5 * 60_000;

export function provinceSignature(
  secret: string,
  appId: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret).update(`${appId}\n${timestamp}\n${nonce}\n${bodyHash}`).digest('hex');
}

export async function startProvince(options: ProvinceOptions): Promise<ProvinceHandle> {
  const reports = new Map<string, ProvinceReport>();
  const nonces = new Map<string, number>();
  let unavailable = 0;

  const answer = (code: number, msg: string, extra: Record<string, unknown> = {}) => ({
    code,
    msg,
    ...extra,
  });

  function handle(
    kind: Kind,
    headers: Record<string, string | string[] | undefined>,
    raw: Buffer,
  ): [number, unknown] {
    const appId = String(headers['x-app-id'] ?? '');
    const timestamp = String(headers['x-timestamp'] ?? '');
    const nonce = String(headers['x-nonce'] ?? '');
    const given = String(headers['x-signature'] ?? '');
    if (appId !== options.appId) return [401, answer(40101, 'unknown app id')];
    const expected = provinceSignature(options.appSecret, appId, timestamp, nonce, raw.toString('utf8'));
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
      return [401, answer(40102, 'signature mismatch')];
    if (!/^\d{13}$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > CLOCK_WINDOW_MS)
      return [401, answer(40103, 'timestamp out of window')];
    const now = Date.now();
    for (const [n, at] of nonces) if (at < now) nonces.delete(n);
    if (nonces.has(nonce)) return [401, answer(40104, 'nonce used')];
    nonces.set(nonce, now + CLOCK_WINDOW_MS);
    if (unavailable > 0) {
      unavailable -= 1;
      return [503, answer(50300, 'service unavailable')];
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return [400, answer(40001, 'body is not JSON')];
    }
    const missing = FIELDS[kind].filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
    if (missing.length > 0) return [400, answer(40002, `missing fields: ${missing.join(',')}`)];
    if (body.version !== '2') return [400, answer(40003, 'version must be "2"')];
    if (
      (kind === 'rating' || kind === 'platform') &&
      !(Number.isInteger(body.level) && (body.level as number) >= 1 && (body.level as number) <= 5)
    )
      return [400, answer(40004, 'level must be 1-5')];
    if (kind === 'guide' && typeof body.accurate !== 'boolean')
      return [400, answer(40005, 'accurate must be a boolean')];
    if (kind === 'rectification' && body.source === 'citizen' && typeof body.satisfied !== 'boolean')
      return [400, answer(40006, 'a citizen verdict needs satisfied')];
    if (kind === 'rectification' && !reports.has(String(body.ratingReportId)))
      return [404, answer(40401, 'rating report not found')];
    const reportId = String(body.reportId);
    const earlier = reports.get(reportId);
    if (earlier) return [200, answer(0, 'ok', { ackId: earlier.ackId, duplicate: true })];
    const report: ProvinceReport = {
      reportId,
      kind,
      ackId: `ACK${randomBytes(8).toString('hex').toUpperCase()}`,
      body,
      receivedAt: new Date().toISOString(),
    };
    reports.set(reportId, report);
    return [200, answer(0, 'ok', { ackId: report.ackId, duplicate: false })];
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://province.local');
      try {
        const raw = await readBody(req, 64 * 1024);
        const route = `${req.method} ${url.pathname}`;
        if (route === 'POST /api/v2/evaluations')
          return void sendJson(res, ...handle('rating', req.headers, raw));
        if (route === 'POST /api/v2/rectifications')
          return void sendJson(res, ...handle('rectification', req.headers, raw));
        if (route === 'POST /api/v2/guide-evaluations')
          return void sendJson(res, ...handle('guide', req.headers, raw));
        if (route === 'POST /api/v2/platform-evaluations')
          return void sendJson(res, ...handle('platform', req.headers, raw));
        if (route === 'GET /dev/reports') return sendJson(res, 200, { reports: [...reports.values()] });
        if (route === 'POST /dev/faults') {
          const body = raw.length ? (JSON.parse(raw.toString('utf8')) as { unavailable?: number }) : {};
          unavailable = typeof body.unavailable === 'number' ? body.unavailable : unavailable;
          return sendJson(res, 200, { unavailable });
        }
        sendJson(res, 404, answer(40400, 'not found'));
      } catch (error) {
        sendJson(res, error instanceof BodyTooLarge ? 413 : 500, answer(50000, 'error'));
      }
    })();
  });
  const listening = await listen(server, options.host, options.port);
  return {
    url: listening.url,
    appId: options.appId,
    appSecret: options.appSecret,
    stop: () => listening.close(),
  };
}
