// What every request meets before any feature: one error shape with a request id, refusal
// of Mongo operators and dotted keys, body limits, secure headers, health and readiness,
// and a config loader that refuses to run production on defaults.
import { loadConfig, ConfigError } from '@onewindow/bff/config';
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin } from '../support/core-client';

let bff: TestBff;
beforeAll(async () => {
  bff = await startTestBff('platform');
});
afterAll(() => bff.stop());
afterEach(() => coreAdmin(bff.world.core)('POST', '/__admin/reset'));

describe('input hygiene', () => {
  // The core system's webhook admits a free-form `data` object (a record of anything) and checks
  // the signature only in its handler: these inputs pass Fastify's JSON parser and the route's
  // schema, so the plugin is the only thing that refuses them. With the plugin removed from
  // app.ts each of them answers 401 UNAUTHENTICATED (the handler ran) instead.
  const event = (data: unknown) => ({
    id: 'evt-hygiene',
    type: 'status_changed',
    acceptNo: 'HYGIENE1',
    sequence: 1,
    occurredAt: '2026-11-30T08:00:00.000Z',
    data,
  });
  const post = (data: unknown) =>
    bff.app.inject({ method: 'POST', url: '/api/v1/hooks/core/case-events', payload: event(data) });

  test.each([
    ['a $where', { $where: 'sleep(1000)' }, 'data.$where'],
    ['a nested $ne', { filter: { code: { $ne: null } } }, 'data.filter.code.$ne'],
    ['a dotted key', { 'applicant.idNumber': 'x' }, 'data.applicant.idNumber'],
    ['a $ key inside an array', { list: [{ ok: 1 }, { $gt: 1 }] }, 'data.list[1].$gt'],
    ['a constructor key', JSON.parse('{"constructor":{"name":"x"}}') as unknown, 'data.constructor'],
  ])(
    '%s inside a free-form object is 400 INVALID_INPUT naming the key, before the handler runs',
    async (_name, data, key) => {
      const response = await post(data);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: expect.objectContaining({
          code: 'INVALID_INPUT',
          message: '请求中含有不允许的字段名',
          details: { body: key },
        }),
        requestId: expect.any(String),
      });
    },
  );

  test('the same event with plain keys passes the plugin and the schema and reaches the handler (an unsigned event is 401)', async () => {
    const response = await post({ status: 'reviewing', note: { text: 'plain' } });
    expect([response.statusCode, response.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  test('wrong types are INVALID_INPUT naming the field', async () => {
    const response = await bff.app.inject({ method: 'GET', url: '/api/v1/items?page=abc' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(response.json().error.details)).toContain('page');
  });

  test('unknown query parameters are refused', async () => {
    expect((await bff.app.inject({ method: 'GET', url: '/api/v1/items?sort=evil' })).statusCode).toBe(400);
  });

  test('an oversize body is 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await bff.app.inject({
      method: 'POST',
      url: '/api/v1/items',
      payload: { text: 'x'.repeat(bff.config.bodyLimitBytes + 10) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('malformed JSON is 400 INVALID_INPUT', async () => {
    const response = await bff.app.inject({
      method: 'POST',
      url: '/api/v1/items',
      payload: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_INPUT');
  });
});

describe('errors, headers, health', () => {
  test('an unknown route is 404 NOT_FOUND in the one shape, with the request id in a header too', async () => {
    const response = await bff.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    const body = response.json();
    expect(body).toEqual({
      error: { code: 'NOT_FOUND', message: '请求的内容不存在' },
      requestId: expect.any(String),
    });
    expect(response.headers['x-request-id']).toBe(body.requestId);
  });

  test('secure headers are set and CORS allows only the h5 origin', async () => {
    const allowed = await bff.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'http://localhost:8080' },
    });
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    const other = await bff.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('healthz answers; readyz checks the database and the core system', async () => {
    expect((await bff.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await bff.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', core: 'ok' } });
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/health',
      errorRate: 1,
      status: 500,
    });
    const notReady = await bff.app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks).toEqual({ database: 'ok', core: 'down' });
  });

  test('the OpenAPI document is generated from the schemas', async () => {
    const response = await bff.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/items',
        '/api/v1/items/{code}',
        '/api/v1/halls',
        '/api/v1/halls/{hallId}',
      ]),
    );
  });
});

describe('configuration', () => {
  const production = {
    NODE_ENV: 'production',
    MONGODB_URI: 'mongodb://db/onewindow',
    CORE_BASE_URL: 'https://core.example',
    CORE_APP_KEY: 'bff',
    WECHAT_API_BASE: 'https://api.weixin.qq.com',
    WECHAT_APP_ID: 'wx0123456789',
    WECHAT_APP_SECRET: 'a-real-wechat-secret',
    JWT_SECRET: 'j'.repeat(48),
    QR_SIGNING_KEY: 'q'.repeat(48),
    ID_ENCRYPTION_KEY: 'ab'.repeat(32),
    ID_HASH_KEY: 'cd'.repeat(32),
    OSS_ENDPOINT: 'https://oss-cn-hangzhou.aliyuncs.com',
    OSS_ACCESS_KEY_ID: 'LTAI-production',
    OSS_ACCESS_KEY_SECRET: 'a-real-oss-secret-value',
    // Production has no default origins (issue 26: the development ones are localhost).
    CORS_ORIGINS: 'https://onewindow.example',
    SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com',
    SMS_ACCESS_KEY_ID: 'LTAI-sms-production',
    SMS_ACCESS_KEY_SECRET: 'a-real-sms-secret-value',
    SMS_RECEIPT_TOKEN: 'a-real-receipt-token-value',
    PROVINCE_API_BASE: 'https://hcp.province.example',
    PROVINCE_APP_ID: 'city-production',
    PROVINCE_APP_SECRET: 'a-real-province-secret',
    RATING_LINK_BASE: 'https://onewindow.example',
  };

  test('production refuses a missing or default secret, naming the variable', () => {
    expect(() => loadConfig(production)).toThrow(/CORE_APP_SECRET is required/);
    expect(() =>
      loadConfig({ ...production, CORE_APP_SECRET: 'dev-core-secret-not-for-production' }),
    ).toThrow(/CORE_APP_SECRET is the development default/);
    expect(() =>
      loadConfig({ ...production, CORE_APP_SECRET: 'a-real-secret-of-enough-length' }),
    ).not.toThrow();
    expect(() =>
      loadConfig({
        ...production,
        CORE_APP_SECRET: 'a-real-secret-of-enough-length',
        JWT_SECRET: 'dev-jwt-secret-not-for-production-0123456789',
      }),
    ).toThrow(/JWT_SECRET is the development default/);
    expect(() =>
      loadConfig({
        ...production,
        CORE_APP_SECRET: 'a-real-secret-of-enough-length',
        ID_ENCRYPTION_KEY: 'short',
      }),
    ).toThrow(/ID_ENCRYPTION_KEY/);
    const real = { ...production, CORE_APP_SECRET: 'a-real-secret-of-enough-length' };
    expect(() => loadConfig({ ...real, QR_SIGNING_KEY: undefined })).toThrow(/QR_SIGNING_KEY is required/);
    expect(() =>
      loadConfig({ ...real, QR_SIGNING_KEY: 'dev-qr-signing-key-not-for-production-0123' }),
    ).toThrow(/QR_SIGNING_KEY is the development default/);
    expect(() => loadConfig({ ...real, QR_SIGNING_KEY: real.JWT_SECRET })).toThrow(
      /QR_SIGNING_KEY must differ from JWT_SECRET/,
    );
  });

  test("a bad rating's follow-up stages are set per centre (德州 closes in 5 working days), in order", () => {
    expect(
      loadConfig({
        FOLLOW_UP_CONTACT_WORKING_DAYS: '1',
        FOLLOW_UP_RECTIFY_WORKING_DAYS: '3',
        FOLLOW_UP_WORKING_DAYS: '5',
      }).rating,
    ).toEqual(
      expect.objectContaining({ contactWorkingDays: 1, rectifyWorkingDays: 3, followUpWorkingDays: 5 }),
    );
    expect(() => loadConfig({ FOLLOW_UP_WORKING_DAYS: '3' })).toThrow(
      /FOLLOW_UP_CONTACT_WORKING_DAYS ≤ FOLLOW_UP_RECTIFY_WORKING_DAYS ≤ FOLLOW_UP_WORKING_DAYS is required, got 1, 5, 3/,
    );
    expect(() => loadConfig({ FOLLOW_UP_CONTACT_WORKING_DAYS: '6' })).toThrow(/got 6, 5, 15/);
  });

  test('bad values are listed together', () => {
    try {
      loadConfig({ BFF_PORT: 'eighty', CORE_BASE_URL: 'not a url' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('BFF_PORT'),
          expect.stringContaining('CORE_BASE_URL'),
        ]),
      );
    }
  });
});
