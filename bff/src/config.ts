// The one config loader: every setting the BFF reads from the environment, validated at
// start with messages that name the variable. Development has embedded defaults; production
// refuses to start with a default or missing secret.
import { isIP } from 'node:net';
import { TEMPLATE_NAMES, type TemplateName } from '@onewindow/shared-types';
import { DEFAULT_HOLIDAYS, DEFAULT_MAKEUP_WORKDAYS } from '@onewindow/shared-types/working-days';

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  host: string;
  port: number;
  mongodbUri: string;
  /** Origins allowed by CORS (the h5 app). */
  corsOrigins: string[];
  /** Addresses (or CIDR ranges) of the reverse proxies whose X-Forwarded-For is believed; empty trusts none. */
  trustedProxies: string[];
  bodyLimitBytes: number;
  core: {
    baseUrl: string;
    appKey: string;
    appSecret: string;
    timeoutMs: number;
    retries: number;
    breakerThreshold: number;
    breakerCooldownMs: number;
  };
  catalogueRefreshMs: number;
  /** `templates`: subscribe-message template ids by name; an empty id means that kind goes to the message centre only. */
  wechat: { apiBase: string; appId: string; appSecret: string; templates: Record<TemplateName, string> };
  booking: {
    /** A citizen with `noShowLimit` missed bookings within `noShowWindowDays` cannot book for `restrictionDays`. */
    noShowLimit: number;
    noShowWindowDays: number;
    restrictionDays: number;
    /** How often missed bookings are marked and reminders sent. */
    sweepMs: number;
    /** HMAC key of the check-in QR codes: its own secret, so a leaked QR key cannot mint access tokens. */
    qrSigningKey: string;
  };
  queue: {
    /** Numbers per hall, category and day. */
    dailyQuota: number;
    /** The near-the-front alert goes out when this many or fewer are ahead. */
    approachAt: number;
    /** Real-name age from which a ticket is 绿色通道 automatically. */
    elderlyAge: number;
    /** Service time assumed before a category has any completed ticket. */
    defaultServiceMinutes: number;
    /** The operating figures' target: the share of served tickets called within this many minutes of the draw. */
    targetWaitMinutes: number;
  };
  progress: {
    /** How long a case snapshot is served without asking the core system again (webhooks keep it current meanwhile). */
    snapshotTtlMs: number;
    lookupsPerIpPerMinute: number;
    lookupsPerNumberPerHour: number;
    /** No lookup answers sooner than this, so a cached real number and an unknown one take the same time. */
    lookupMinMs: number;
    /** How often stored events that could not be applied are tried again. */
    retryMs: number;
  };
  /** Failed WeChat pushes are retried this often, up to `pushAttempts` times. */
  notify: { retryMs: number; pushAttempts: number };
  /**
   * Aliyun SMS through the official SDK. `templates`: template codes by name (an empty code means
   * no SMS of that kind); `dailyLimitPerPhone`: SMS one phone gets per Shanghai day from us;
   * `quietHours`: Shanghai hours [start, end) in which non-urgent SMS wait; `receiptToken`: the
   * secret in the delivery-receipt URL given to Aliyun; `retryMs`: the first back-off after a
   * gateway failure (doubling, at most 10 minutes; a notice is retried until the gateway takes it).
   */
  sms: {
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    templates: Record<SmsTemplateName, string>;
    dailyLimitPerPhone: number;
    quietHours: { start: number; end: number };
    receiptToken: string;
    retryMs: number;
    timeoutMs: number;
  };
  /** `cname`: the endpoint is a domain bound to the bucket (or the OSS simulator), not a region endpoint. */
  oss: {
    endpoint: string;
    cname: boolean;
    bucket: string;
    region: string;
    accessKeyId: string;
    accessKeySecret: string;
  };
  /**
   * Correction uploads: the size limit, how long a PostObject policy is good for, how long an
   * upload that was never submitted is kept before the sweep deletes it (longer than a policy
   * lives, so nothing can arrive after its record is gone), and how many upload policies one
   * citizen may take for one notice.
   */
  upload: {
    maxBytes: number;
    policyTtlSeconds: number;
    orphanGraceMs: number;
    sweepMs: number;
    policiesPerNotice: number;
  };
  /** Online application: drafts unchanged this many days are deleted; the sweep (stale claims, expired drafts, unused uploads) runs this often. */
  application: { draftTtlDays: number; sweepMs: number };
  /** Days off on weekdays and working weekend days (YYYY-MM-DD), for deadlines in working days. */
  calendar: { holidays: string[]; makeupWorkdays: string[] };
  rating: {
    /** A bad rating's follow-up must be closed within this many working days. */
    followUpWorkingDays: number;
    /** The earlier stages of a bad rating's follow-up: contact the citizen, then rectify, within these many working days. */
    /** A handling can be rated (or re-rated) up to this many days after it finished (补评). */
    lateDays: number;
    contactWorkingDays: number;
    rectifyWorkingDays: number;
    /** Rating links (扫码评价, 短信评价): the h5 origin they open, and how long one works. */
    linkBase: string;
    linkTtlHours: number;
  };
  /**
   * The provincial 好差评 system's reporting interface: where, the city's app id and secret,
   * the region code (行政区划代码) on every report, the first back-off after a failed report
   * (doubling, at most 10 minutes, retried until acknowledged) and the request time-out.
   */
  province: {
    apiBase: string;
    appId: string;
    appSecret: string;
    regionCode: string;
    retryMs: number;
    timeoutMs: number;
  };
  signoff: {
    /** A running task turns yellow once this percentage of its promised working days is used. */
    yellowPercent: number;
    /** How long a signed URL to a case material works. */
    materialUrlTtlSeconds: number;
    /** The handwritten signature image's size limit. */
    signatureMaxBytes: number;
    /** How often decisions the core system has not answered are sent again. */
    retryMs: number;
    /** How often yellow and red tasks are looked for, to tell their approvers. */
    warningSweepMs: number;
  };
  /** `revocationSyncMs`: how soon a logout on another instance stops an access token here. */
  jwt: {
    secret: string;
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    revocationSyncMs: number;
  };
  /** AES-256-GCM key for identity and phone numbers at rest, and the HMAC key for matching them. */
  identity: { encryptionKey: Buffer; hashKey: Buffer };
  /** Wrong passwords per username and source address within `windowMs` before that address is locked out of that username. */
  staffLockout: { failures: number; windowMs: number };
  /** WeChat accounts one identity may be bound to (production 1: a second binding is refused with IDENTITY_BOUND). */
  accountsPerIdentity: number;
  rateLimit: { perMinute: number; sensitivePerMinute: number };
  /** Event-loop delay beyond which requests get 503 OVERLOADED; 0 turns the guard off. */
  overloadEventLoopDelayMs: number;
  /**
   * Admission control: requests one process works on at once (long-lived ticket streams and
   * health probes not counted); beyond it 503 OVERLOADED with `Retry-After: retryAfterSeconds`.
   * 0 turns the bound off.
   */
  admission: { maxInFlight: number; retryAfterSeconds: number; targetLatencyMs: number };
  /**
   * `ONEWINDOW_NOW`: a demo clock that read this at real instant `ONEWINDOW_NOW_AT` (default: the
   * process's start) and runs on; processes given the same pair share one clock (demos and
   * multi-process tests; refused in production). `offsetMs` is added to the real time.
   */
  demoClock: { offsetMs: number } | null;
}

// The one list lives in shared-types (the mini-program asks consent for the same names).
export { TEMPLATE_NAMES, type TemplateName };

/** The SMS templates the account has approved (mock/src/sms/templates.ts). */
export const SMS_TEMPLATE_NAMES = [
  'caseProgress',
  'correctionNotice',
  'bookingReminder',
  'queueCalled',
  'ratingInvite',
] as const;
export type SmsTemplateName = (typeof SMS_TEMPLATE_NAMES)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** bookingReminder → BOOKING_REMINDER */
export function envName(template: TemplateName | SmsTemplateName): string {
  return template.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** Development-only values; production must set every one of these to something else. */
const DEV_DEFAULTS = {
  CORE_APP_SECRET: 'dev-core-secret-not-for-production',
  WECHAT_APP_SECRET: 'dev-wechat-secret-not-for-production',
  OSS_ACCESS_KEY_SECRET: 'dev-oss-secret-not-for-production',
  SMS_ACCESS_KEY_SECRET: 'dev-sms-secret-not-for-production',
  SMS_RECEIPT_TOKEN: 'dev-sms-receipt-token-not-for-production',
  PROVINCE_APP_SECRET: 'dev-province-secret-not-for-production',
  JWT_SECRET: 'dev-jwt-secret-not-for-production-0123456789',
  QR_SIGNING_KEY: 'dev-qr-signing-key-not-for-production-0123',
  ID_ENCRYPTION_KEY: '6465762d69642d656e6372797074696f6e2d6b65792d6e6f742d70726f642121',
  ID_HASH_KEY: '6465762d69642d686173682d6b65792d6e6f742d666f722d70726f6475637421',
} as const;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production')
    problems.push(`NODE_ENV must be development, test or production, got "${nodeEnv}"`);
  const production = nodeEnv === 'production';

  const text = (name: string, fallback?: string): string => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback === undefined) problems.push(`${name} is required`);
    return fallback ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const dates = (name: string, fallback: string[]): string[] => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    const list = raw
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    const bad = list.filter(
      (d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)),
    );
    if (bad.length > 0)
      problems.push(`${name} must be comma-separated YYYY-MM-DD dates, got "${bad.join(', ')}"`);
    return list;
  };
  const url = (name: string, fallback?: string): string => {
    const value = text(name, production ? undefined : fallback);
    if (value && !/^https?:\/\/[^\s]+$/.test(value)) problems.push(`${name} must be an http(s) URL`);
    return value.replace(/\/+$/, '');
  };
  const secret = (name: keyof typeof DEV_DEFAULTS, minLength: number): string => {
    const value = text(name, production ? undefined : DEV_DEFAULTS[name]);
    if (production && value === DEV_DEFAULTS[name])
      problems.push(`${name} is the development default; set a real secret in production`);
    if (value && value.length < minLength) problems.push(`${name} must be at least ${minLength} characters`);
    return value;
  };

  const key = (name: 'ID_ENCRYPTION_KEY' | 'ID_HASH_KEY'): Buffer => {
    const value = secret(name, 64);
    if (value && !/^[0-9a-fA-F]{64}$/.test(value))
      problems.push(`${name} must be 32 bytes as 64 hex characters`);
    return Buffer.from(value, 'hex');
  };

  // Production serves the real h5 origin only: a localhost origin there would let any page on
  // a staff member's own machine call the API with their token.
  const corsOrigins = (): string[] => {
    const list = text('CORS_ORIGINS', production ? undefined : 'http://localhost:8080,http://127.0.0.1:8080')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const bad = list.filter((o) => !/^https?:\/\/[^\s/]+$/.test(o));
    if (bad.length > 0)
      problems.push(
        `CORS_ORIGINS must be comma-separated origins (scheme://host[:port]), got "${bad.join(', ')}"`,
      );
    if (production && list.some((o) => /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(o)))
      problems.push('CORS_ORIGINS must not name localhost or a loopback address in production');
    return list;
  };
  // Proxies are named one by one (or by CIDR range); "true" or "*" would believe any caller's X-Forwarded-For.
  const trustedProxies = (): string[] => {
    const list = (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = list.filter((p) => {
      const [address, bits, extra] = p.split('/');
      if (extra !== undefined || isIP(address) === 0) return true;
      return (
        bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128))
      );
    });
    if (bad.length > 0)
      problems.push(
        `TRUSTED_PROXIES must be comma-separated IP addresses or CIDR ranges of the reverse proxies, got "${bad.join(', ')}"`,
      );
    return list;
  };

  const config: Config = {
    env: nodeEnv as Config['env'],
    logLevel: text('LOG_LEVEL', 'info') as Config['logLevel'],
    host: text('HOST', '127.0.0.1'),
    port: integer('BFF_PORT', 3000, 0, 65535),
    mongodbUri: text('MONGODB_URI', production ? undefined : 'mongodb://127.0.0.1:27017/onewindow'),
    corsOrigins: corsOrigins(),
    trustedProxies: trustedProxies(),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    core: {
      baseUrl: url('CORE_BASE_URL', 'http://127.0.0.1:4010'),
      appKey: text('CORE_APP_KEY', production ? undefined : 'onewindow-bff'),
      appSecret: secret('CORE_APP_SECRET', 16),
      timeoutMs: integer('CORE_TIMEOUT_MS', 3000, 100, 60_000),
      retries: integer('CORE_RETRIES', 2, 0, 5),
      breakerThreshold: integer('CORE_BREAKER_THRESHOLD', 5, 1, 100),
      breakerCooldownMs: integer('CORE_BREAKER_COOLDOWN_MS', 10_000, 100, 600_000),
    },
    catalogueRefreshMs: integer('CATALOGUE_REFRESH_MS', 10 * 60_000, 1000, 24 * 3600_000),
    wechat: {
      apiBase: url('WECHAT_API_BASE', 'https://api.weixin.qq.com'),
      appId: text('WECHAT_APP_ID', production ? undefined : 'wx-dev-app'),
      appSecret: secret('WECHAT_APP_SECRET', 16),
      templates: Object.fromEntries(
        TEMPLATE_NAMES.map((name) => [name, text(`WECHAT_TEMPLATE_${envName(name)}`, '')]),
      ) as Record<TemplateName, string>,
    },
    booking: {
      noShowLimit: integer('BOOKING_NO_SHOW_LIMIT', 3, 1, 100),
      noShowWindowDays: integer('BOOKING_NO_SHOW_WINDOW_DAYS', 90, 1, 365),
      restrictionDays: integer('BOOKING_RESTRICTION_DAYS', 30, 1, 365),
      sweepMs: integer('BOOKING_SWEEP_MS', 60_000, 100, 3600_000),
      qrSigningKey: secret('QR_SIGNING_KEY', 32),
    },
    queue: {
      dailyQuota: integer('QUEUE_DAILY_QUOTA', 300, 1, 9999),
      approachAt: integer('QUEUE_APPROACH_AT', 3, 0, 50),
      elderlyAge: integer('QUEUE_ELDERLY_AGE', 65, 50, 120),
      defaultServiceMinutes: integer('QUEUE_DEFAULT_SERVICE_MINUTES', 8, 1, 240),
      targetWaitMinutes: integer('QUEUE_TARGET_WAIT_MINUTES', 15, 1, 240),
    },
    progress: {
      snapshotTtlMs: integer('CASE_SNAPSHOT_TTL_MS', 60_000, 0, 24 * 3600_000),
      lookupsPerIpPerMinute: integer('LOOKUP_PER_IP_PER_MINUTE', 10, 1, 10_000),
      lookupsPerNumberPerHour: integer('LOOKUP_PER_NUMBER_PER_HOUR', 10, 1, 10_000),
      lookupMinMs: integer('LOOKUP_MIN_MS', 400, 0, 10_000),
      retryMs: integer('CASE_EVENT_RETRY_MS', 30_000, 100, 3600_000),
    },
    notify: {
      retryMs: integer('NOTIFY_RETRY_MS', 30_000, 100, 3600_000),
      pushAttempts: integer('NOTIFY_PUSH_ATTEMPTS', 5, 1, 50),
    },
    sms: {
      endpoint: url('SMS_ENDPOINT', 'https://dysmsapi.aliyuncs.com'),
      accessKeyId: text('SMS_ACCESS_KEY_ID', production ? undefined : 'dev-sms-key'),
      accessKeySecret: secret('SMS_ACCESS_KEY_SECRET', 16),
      signName: text('SMS_SIGN_NAME', '一窗通办'),
      templates: Object.fromEntries(
        SMS_TEMPLATE_NAMES.map((name) => [name, text(`SMS_TEMPLATE_${envName(name)}`, '')]),
      ) as Record<SmsTemplateName, string>,
      dailyLimitPerPhone: integer('SMS_DAILY_LIMIT_PER_PHONE', 10, 1, 1000),
      quietHours: quietHours(),
      receiptToken: secret('SMS_RECEIPT_TOKEN', 16),
      retryMs: integer('SMS_RETRY_MS', 30_000, 100, 3600_000),
      timeoutMs: integer('SMS_TIMEOUT_MS', 3000, 100, 60_000),
    },
    oss: {
      endpoint: url('OSS_ENDPOINT', 'http://localhost:4020'),
      cname: text('OSS_CNAME', production ? 'false' : 'true') === 'true',
      bucket: text('OSS_BUCKET', 'onewindow'),
      region: text('OSS_REGION', 'oss-cn-hangzhou'),
      accessKeyId: text('OSS_ACCESS_KEY_ID', production ? undefined : 'dev-oss-key'),
      accessKeySecret: secret('OSS_ACCESS_KEY_SECRET', 16),
    },
    upload: {
      maxBytes: integer('UPLOAD_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      policyTtlSeconds: integer('UPLOAD_POLICY_TTL_SECONDS', 600, 30, 3600),
      orphanGraceMs: integer('UPLOAD_ORPHAN_GRACE_MS', 24 * 3600_000, 1000, 30 * 24 * 3600_000),
      sweepMs: integer('UPLOAD_SWEEP_MS', 10 * 60_000, 100, 24 * 3600_000),
      policiesPerNotice: integer('UPLOAD_POLICIES_PER_NOTICE', 60, 1, 1000),
    },
    application: {
      draftTtlDays: integer('APPLICATION_DRAFT_TTL_DAYS', 30, 1, 365),
      sweepMs: integer('APPLICATION_SWEEP_MS', 60_000, 100, 24 * 3600_000),
    },
    calendar: {
      holidays: dates('HOLIDAYS', DEFAULT_HOLIDAYS),
      makeupWorkdays: dates('MAKEUP_WORKDAYS', DEFAULT_MAKEUP_WORKDAYS),
    },
    rating: {
      followUpWorkingDays: integer('FOLLOW_UP_WORKING_DAYS', 15, 1, 100),
      lateDays: integer('RATING_LATE_DAYS', 180, 1, 3650),
      contactWorkingDays: integer('FOLLOW_UP_CONTACT_WORKING_DAYS', 1, 1, 100),
      rectifyWorkingDays: integer('FOLLOW_UP_RECTIFY_WORKING_DAYS', 5, 1, 100),
      linkBase: url('RATING_LINK_BASE', 'http://127.0.0.1:8080'),
      linkTtlHours: integer('RATING_LINK_TTL_HOURS', 7 * 24, 1, 90 * 24),
    },
    province: {
      apiBase: url('PROVINCE_API_BASE', 'http://127.0.0.1:4030'),
      appId: text('PROVINCE_APP_ID', production ? undefined : 'dev-city'),
      appSecret: secret('PROVINCE_APP_SECRET', 16),
      regionCode: text('PROVINCE_REGION_CODE', '330100'),
      retryMs: integer('PROVINCE_RETRY_MS', 30_000, 100, 3600_000),
      timeoutMs: integer('PROVINCE_TIMEOUT_MS', 5000, 100, 60_000),
    },
    signoff: {
      yellowPercent: integer('TASK_YELLOW_PERCENT', 80, 1, 99),
      materialUrlTtlSeconds: integer('MATERIAL_URL_TTL_SECONDS', 300, 30, 3600),
      signatureMaxBytes: integer('SIGNATURE_MAX_BYTES', 512 * 1024, 1024, 10 * 1024 * 1024),
      retryMs: integer('DECISION_RETRY_MS', 15_000, 100, 3600_000),
      warningSweepMs: integer('TASK_WARNING_SWEEP_MS', 5 * 60_000, 100, 24 * 3600_000),
    },
    jwt: {
      secret: secret('JWT_SECRET', 32),
      issuer: text('JWT_ISSUER', 'onewindow-bff'),
      audience: text('JWT_AUDIENCE', 'onewindow-miniapp'),
      accessTtlSeconds: integer('ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 60, 24 * 3600),
      refreshTtlDays: integer('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
      revocationSyncMs: integer('REVOCATION_SYNC_MS', 1000, 100, 60_000),
    },
    identity: { encryptionKey: key('ID_ENCRYPTION_KEY'), hashKey: key('ID_HASH_KEY') },
    staffLockout: {
      failures: integer('STAFF_LOCKOUT_FAILURES', 5, 1, 100),
      windowMs: integer('STAFF_LOCKOUT_WINDOW_MS', 15 * 60_000, 1000, 24 * 3600_000),
    },
    // Production binds one account per person; development and tests allow a few, so the suites
    // can show what a second account of the same person may and may not do (bookings, uploads).
    accountsPerIdentity: integer('ACCOUNTS_PER_IDENTITY', production ? 1 : 5, 1, 10),
    rateLimit: {
      perMinute: integer('RATE_LIMIT_PER_MINUTE', 300, 1, 10_000_000),
      sensitivePerMinute: integer('RATE_LIMIT_SENSITIVE_PER_MINUTE', 10, 1, 10_000),
    },
    overloadEventLoopDelayMs: integer('OVERLOAD_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
    // 64 on 2 cores: at the 150 ms a request may take, that is ~400 requests/s of work under way,
    // more than one process serves; beyond it a request would only wait in line.
    // The target keeps admitted work answerable well within a second (plugins/admission.ts):
    // 500 ms let the first takes of a burst at twice the capacity wait up to 0.8 s in the process.
    admission: {
      maxInFlight: integer('MAX_IN_FLIGHT', 64, 0, 100_000),
      retryAfterSeconds: integer('OVERLOAD_RETRY_AFTER_SECONDS', 1, 1, 120),
      targetLatencyMs: integer('ADMISSION_TARGET_LATENCY_MS', 500, 0, 60_000),
    },
    demoClock: demoClock(),
  };
  function quietHours(): { start: number; end: number } {
    const raw = env.SMS_QUIET_HOURS ?? '21-8';
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 23) {
      problems.push(
        `SMS_QUIET_HOURS must be two Shanghai hours START-END (0–23, e.g. 21-8; equal means none), got "${raw}"`,
      );
      return { start: 0, end: 0 };
    }
    return { start: Number(m[1]), end: Number(m[2]) };
  }
  function demoClock(): { offsetMs: number } | null {
    const value = env.ONEWINDOW_NOW;
    if (value === undefined || value === '') return null;
    if (production) problems.push('ONEWINDOW_NOW is a demo clock; unset it in production');
    const reads = Date.parse(value);
    const at = env.ONEWINDOW_NOW_AT ? Date.parse(env.ONEWINDOW_NOW_AT) : Date.now();
    if (Number.isNaN(reads))
      problems.push(
        `ONEWINDOW_NOW must be an ISO date-time with offset, e.g. 2026-12-01T09:30+08:00; got "${value}"`,
      );
    if (Number.isNaN(at))
      problems.push(`ONEWINDOW_NOW_AT must be an ISO date-time; got "${env.ONEWINDOW_NOW_AT}"`);
    return Number.isNaN(reads) || Number.isNaN(at) ? null : { offsetMs: reads - at };
  }
  if (config.upload.orphanGraceMs <= config.upload.policyTtlSeconds * 1000)
    problems.push(
      'UPLOAD_ORPHAN_GRACE_MS must be longer than UPLOAD_POLICY_TTL_SECONDS, or an upload could arrive after its record was swept',
    );
  const { contactWorkingDays, rectifyWorkingDays, followUpWorkingDays } = config.rating;
  // The stages follow one another: a rectification due before the citizen is contacted, or a
  // close before the rectification, would mark a follow-up overdue that no one could finish in order.
  if (!(contactWorkingDays <= rectifyWorkingDays && rectifyWorkingDays <= followUpWorkingDays))
    problems.push(
      `FOLLOW_UP_CONTACT_WORKING_DAYS ≤ FOLLOW_UP_RECTIFY_WORKING_DAYS ≤ FOLLOW_UP_WORKING_DAYS is required, got ${contactWorkingDays}, ${rectifyWorkingDays}, ${followUpWorkingDays}`,
    );
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel))
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  if (production && config.booking.qrSigningKey === config.jwt.secret)
    problems.push('QR_SIGNING_KEY must differ from JWT_SECRET');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
