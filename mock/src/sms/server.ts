// Aliyun SMS (dysmsapi 2017-05-25) as the official SDK `@alicloud/dysmsapi20170525` calls it:
// an RPC `POST /` with the action in `x-acs-action`, parameters in the query string, and the
// ACS3-HMAC-SHA256 `Authorization` header checked like Aliyun checks it (signed headers, body
// hash, fifteen-minute clock window, nonce used once). `SendSms` answers as Aliyun does: HTTP
// 200 with `Code: "OK"` and a `BizId`, or HTTP 200 with an `isv.*` business code; signature and
// credential faults are HTTP 4xx. Delivery receipts (状态报告) are pushed to the receipt URL in
// Aliyun's HTTP-batch shape and retried until answered `{"code":0}`. `/dev` routes stand for the
// phone network (an unreachable phone) and for outages, and let tests read what each phone got.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BodyTooLarge, createServer, listen, readBody, sendJson } from '../json-http';
import { render, SMS_TEMPLATES, templateVariables, type SmsTemplate } from './templates';

export interface SmsOptions {
  host?: string;
  port?: number;
  accessKeyId: string;
  accessKeySecret: string;
  /** Approved sign names (签名). */
  signNames: string[];
  /** Messages one phone may get per day (Aliyun's 天级流控); beyond it `isv.BUSINESS_LIMIT_CONTROL`. */
  dailyLimitPerPhone?: number;
  /** Where delivery receipts go; can also be set later with `setReceiptUrl`. */
  receiptUrl?: string;
}

export interface SentSms {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  /** The text as the phone shows it: 【sign】 then the rendered template. */
  content: string;
  bizId: string;
  outId: string | null;
  sentAt: string;
  receipt: { success: boolean; errCode: string; pushedAt: string | null } | null;
}

export interface SmsHandle {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCodes: Record<SmsTemplate['name'], string>;
  setReceiptUrl(url: string): void;
  stop(): Promise<void>;
}

class AcsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CLOCK_WINDOW_MS = 15 * 60_000;
const MAINLAND_MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;

/** The percent-encoding Aliyun's canonical query string uses (RFC 3986, `*` encoded). */
function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const requestId = () =>
  randomBytes(16)
    .toString('hex')
    .toUpperCase()
    .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');

export async function startSms(options: SmsOptions): Promise<SmsHandle> {
  const dailyLimit = options.dailyLimitPerPhone ?? 40;
  let receiptUrl = options.receiptUrl ?? null;
  const templateByCode = new Map(SMS_TEMPLATES.map((t) => [t.code, t]));
  const nonces = new Map<string, number>(); // nonce → when it may be forgotten
  const sent: SentSms[] = [];
  const perPhoneDay = new Map<string, number>();
  const unreachable = new Set<string>();
  let unavailable = 0; // the next n SendSms calls answer 503
  let receiptFailures = 0; // the next n receipt pushes are not made (as if the network dropped them)
  let receiptsHeld = false;
  const pendingReceipts: SentSms[] = [];
  const timers = new Set<NodeJS.Timeout>();

  /** Checks the ACS3-HMAC-SHA256 signature the SDK computes; throws Aliyun's codes when wrong. */
  function verify(
    method: string,
    url: URL,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): void {
    const authorization = String(headers.authorization ?? '');
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
    if (!m) throw new AcsError(400, 'MissingAuthorization', 'Authorization is mandatory for this action.');
    const [, keyId, signedList, signature] = m;
    if (keyId !== options.accessKeyId)
      throw new AcsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const signed = signedList.split(';');
    for (const required of [
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-version',
    ]) {
      if (!signed.includes(required))
        throw new AcsError(400, 'IncompleteSignature', `The header ${required} must be signed.`);
    }
    const bodyHash = createHash('sha256').update(body).digest('hex');
    if (headers['x-acs-content-sha256'] !== bodyHash)
      throw new AcsError(400, 'IncompleteSignature', 'The request body does not match x-acs-content-sha256.');
    const query = [...new Set(url.searchParams.keys())]
      .sort()
      .map((k) => `${k}=${acsEncode(url.searchParams.get(k) ?? '')}`)
      .join('&');
    const canonicalHeaders = signed.map((name) => `${name}:${String(headers[name] ?? '').trim()}\n`).join('');
    const canonicalRequest = [method, url.pathname, query, canonicalHeaders, signed.join(';'), bodyHash].join(
      '\n',
    );
    const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const expected = createHmac('sha256', options.accessKeySecret).update(stringToSign).digest('hex');
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
      throw new AcsError(400, 'SignatureDoesNotMatch', 'Specified signature does not match our calculation.');
    const date = Date.parse(String(headers['x-acs-date'] ?? ''));
    if (Number.isNaN(date) || Math.abs(Date.now() - date) > CLOCK_WINDOW_MS)
      throw new AcsError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    const nonce = String(headers['x-acs-signature-nonce']);
    const now = Date.now();
    for (const [n, forgetAt] of nonces) if (forgetAt < now) nonces.delete(n);
    if (nonces.has(nonce))
      throw new AcsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.set(nonce, now + CLOCK_WINDOW_MS);
  }

  /** SendSms's business checks, in Aliyun's order; returns the answer body (HTTP 200 either way). */
  function sendSms(query: URLSearchParams): Record<string, string> {
    const fail = (Code: string, Message: string) => ({ Code, Message, RequestId: requestId() });
    const phones = (query.get('PhoneNumbers') ?? '').split(',').filter(Boolean);
    const signName = query.get('SignName') ?? '';
    const template = templateByCode.get(query.get('TemplateCode') ?? '');
    if (phones.length === 0) return fail('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    if (!options.signNames.includes(signName))
      return fail('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    if (!template) return fail('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let params: Record<string, string> = {};
    const rawParams = query.get('TemplateParam');
    if (rawParams !== null) {
      try {
        const parsed: unknown = JSON.parse(rawParams);
        if (
          !parsed ||
          typeof parsed !== 'object' ||
          Array.isArray(parsed) ||
          Object.values(parsed).some((v) => typeof v !== 'string')
        )
          return fail('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
        params = parsed as Record<string, string>;
      } catch {
        return fail('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
      }
    }
    const missing = templateVariables(template.content).filter((v) => !params[v]);
    if (missing.length > 0)
      return fail('isv.TEMPLATE_MISSING_PARAMETERS', `模板缺少变量：${missing.join(',')}`);
    // Aliyun limits a variable to 35 characters; a link variable (链接) may be longer.
    if (Object.entries(params).some(([name, v]) => v.length > (name === 'link' ? 200 : 35)))
      return fail('isv.PARAM_LENGTH_LIMIT', '参数超出长度限制');
    if (phones.some((p) => !MAINLAND_MOBILE.test(p))) return fail('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    if (phones.some((p) => (perPhoneDay.get(`${p}|${day}`) ?? 0) >= dailyLimit))
      return fail('isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:' + dailyLimit);
    const bizId = `${Date.now()}${randomBytes(4).readUInt32BE(0) % 1000000}^0`;
    for (const phone of phones) {
      perPhoneDay.set(`${phone}|${day}`, (perPhoneDay.get(`${phone}|${day}`) ?? 0) + 1);
      const message: SentSms = {
        phone: phone.slice(-11),
        signName,
        templateCode: template.code,
        params,
        content: `【${signName}】${render(template.content, params)}`,
        bizId,
        outId: query.get('OutId'),
        sentAt: new Date().toISOString(),
        receipt: null,
      };
      sent.push(message);
      message.receipt = {
        success: !unreachable.has(message.phone),
        errCode: unreachable.has(message.phone) ? 'MOBILE_NOT_ON_SERVICE' : 'DELIVERED',
        pushedAt: null,
      };
      pendingReceipts.push(message);
    }
    if (!receiptsHeld) schedulePush(0);
    return { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId() };
  }

  // ---- delivery receipts (状态报告, HTTP batch push) ----------------------------------------
  let pushing = false;
  function schedulePush(delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void pushReceipts(delayMs);
    }, delayMs);
    timers.add(timer);
  }
  async function pushReceipts(lastDelay: number): Promise<void> {
    if (pushing || receiptsHeld || pendingReceipts.length === 0 || !receiptUrl) return;
    pushing = true;
    const batch = pendingReceipts.splice(0, 100);
    let ok = false;
    try {
      if (receiptFailures > 0) {
        receiptFailures -= 1;
      } else {
        const fmt = (iso: string) =>
          new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
        const response = await fetch(receiptUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            batch.map((m) => ({
              phone_number: m.phone,
              send_time: fmt(m.sentAt),
              report_time: fmt(new Date().toISOString()),
              success: m.receipt!.success,
              err_code: m.receipt!.errCode,
              err_msg: m.receipt!.success ? '用户接收成功' : '用户停机',
              sms_size: '1',
              biz_id: m.bizId,
              out_id: m.outId ?? '',
            })),
          ),
          signal: AbortSignal.timeout(3000),
        });
        const answer = (await response.json().catch(() => null)) as { code?: number } | null;
        ok = response.ok && answer?.code === 0;
      }
    } catch {
      ok = false;
    }
    pushing = false;
    if (ok) {
      const at = new Date().toISOString();
      for (const m of batch) m.receipt!.pushedAt = at;
      if (pendingReceipts.length > 0) schedulePush(0);
    } else {
      // Aliyun pushes a report again until it is acknowledged; the back-off is shortened here.
      pendingReceipts.unshift(...batch);
      schedulePush(Math.min(Math.max(lastDelay * 2, 100), 2000));
    }
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sms.local');
      try {
        const raw = await readBody(req, 64 * 1024);
        if (url.pathname.startsWith('/dev/')) return sendJson(res, 200, dev(req.method ?? 'GET', url, raw));
        if (url.pathname !== '/' || (req.method !== 'POST' && req.method !== 'GET'))
          throw new AcsError(
            404,
            'InvalidAction.NotFound',
            'Specified api is not found, please check your url and method.',
          );
        verify(req.method, url, req.headers, raw);
        if (req.headers['x-acs-version'] !== '2017-05-25')
          throw new AcsError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
        if (req.headers['x-acs-action'] !== 'SendSms')
          throw new AcsError(
            404,
            'InvalidAction.NotFound',
            'Specified api is not found, please check your url and method.',
          );
        if (unavailable > 0) {
          unavailable -= 1;
          throw new AcsError(
            503,
            'ServiceUnavailable',
            'The request has failed due to a temporary failure of the server.',
          );
        }
        sendJson(res, 200, sendSms(url.searchParams));
      } catch (error) {
        if (error instanceof AcsError)
          return sendJson(res, error.status, {
            Code: error.code,
            Message: error.message,
            RequestId: requestId(),
          });
        if (error instanceof BodyTooLarge)
          return sendJson(res, 413, {
            Code: 'RequestTooLarge',
            Message: 'body too large',
            RequestId: requestId(),
          });
        sendJson(res, 500, {
          Code: 'InternalError',
          Message: 'The request processing has failed due to some unknown error.',
          RequestId: requestId(),
        });
      }
    })();
  });

  function dev(method: string, url: URL, raw: Buffer): unknown {
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /dev/messages')
      return {
        messages: sent.filter(
          (m) => !url.searchParams.get('phone') || m.phone === url.searchParams.get('phone'),
        ),
      };
    if (route === 'POST /dev/faults') {
      unavailable = typeof body.unavailable === 'number' ? body.unavailable : unavailable;
      receiptFailures = typeof body.receiptFailures === 'number' ? body.receiptFailures : receiptFailures;
      if (typeof body.holdReceipts === 'boolean') {
        receiptsHeld = body.holdReceipts;
        if (!receiptsHeld) schedulePush(0);
      }
      return { unavailable, receiptFailures, holdReceipts: receiptsHeld };
    }
    if (route === 'POST /dev/unreachable') {
      if (typeof body.phone === 'string') unreachable.add(body.phone);
      return { unreachable: [...unreachable] };
    }
    if (route === 'POST /dev/reset') {
      sent.length = 0;
      pendingReceipts.length = 0;
      perPhoneDay.clear();
      unreachable.clear();
      unavailable = 0;
      receiptFailures = 0;
      receiptsHeld = false;
      return { ok: true };
    }
    throw new AcsError(404, 'InvalidAction.NotFound', 'no such dev route');
  }

  const listening = await listen(server, options.host, options.port);
  return {
    url: listening.url,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    signName: options.signNames[0],
    templateCodes: Object.fromEntries(
      SMS_TEMPLATES.map((t) => [t.name, t.code]),
    ) as SmsHandle['templateCodes'],
    setReceiptUrl: (next) => {
      receiptUrl = next;
      schedulePush(0);
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      await listening.close();
    },
  };
}
