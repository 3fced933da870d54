// Overload degrades, never stalls: beyond the requests one process works on at once, a request
// is refused at once with 503 OVERLOADED and Retry-After (the one error shape), health probes
// still answer, and the process serves again as soon as the work in flight is done. The
// event-loop guard answers the same way.
import { PassThrough } from 'node:stream';
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin } from '../support/core-client';
import { bearer, signIn, type ApiCall } from '../support/citizens';
import { openEventStream, type EventStream } from '../support/sse';
import { until } from '../support/until';
import { nextMondayAt } from '../support/clock';
import { errorShape } from '../support/error-shape';
import { SECURE_HEADERS } from '../support/secure-headers';

// The mini-program's one API client, run here against the app itself: Taro.request, the only
// platform call it makes, becomes an inject into the BFF.
const mockTaro = {
  calls: [] as number[],
  send: null as
    | null
    | ((options: {
        url: string;
        method: string;
        header: Record<string, string>;
        data?: unknown;
      }) => Promise<{ statusCode: number; data: unknown; header: Record<string, string> }>),
  onAnswer: null as null | ((status: number) => void),
};
jest.mock(
  '@tarojs/taro',
  () => ({
    __esModule: true,
    default: {
      getStorageSync: () => '',
      setStorageSync: () => undefined,
      removeStorageSync: () => undefined,
      showToast: async () => undefined,
      request: async (options: {
        url: string;
        method: string;
        header: Record<string, string>;
        data?: unknown;
      }) => {
        const answer = await mockTaro.send!(options);
        mockTaro.calls.push(answer.statusCode);
        mockTaro.onAnswer?.(answer.statusCode);
        return answer;
      },
    },
  }),
  { virtual: true },
);

describe('admission control (MAX_IN_FLIGHT)', () => {
  let bff: TestBff;
  beforeAll(async () => {
    // A fixed bound here (the adaptive one has its own tests below): held requests are slow on purpose.
    bff = await startTestBff('overload', {
      MAX_IN_FLIGHT: '3',
      ADMISSION_TARGET_LATENCY_MS: '0',
      LOOKUP_MIN_MS: '0',
      LOOKUP_PER_IP_PER_MINUTE: '100',
    });
  });
  afterAll(() => bff.stop());

  test('with 3 requests held by a core system that does not answer, the 4th gets 503 OVERLOADED with Retry-After at once; probes still answer; then requests succeed again', async () => {
    // Warm the catalogue copy, so the read below is the process's own work.
    expect((await bff.app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode).toBe(200);
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/cases/:acceptNo',
      timeout: true,
    });
    try {
      const held = [1, 2, 3].map((i) =>
        bff.app.inject({
          method: 'POST',
          url: '/api/v1/cases/lookup',
          payload: { acceptNo: `Q2026${String(i).padStart(8, '0')}`, verifier: '1234' },
          remoteAddress: `10.20.0.${i}`,
        }),
      );
      await until(() => bff.app.admission.inFlight === 3, '3 lookups to be waiting on the core system');

      const refused = await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toEqual(errorShape('OVERLOADED'));
      expect(refused.headers['retry-after']).toBe(String(bff.config.admission.retryAfterSeconds));
      expect(refused.headers).toMatchObject(SECURE_HEADERS);
      // Probes are not work: liveness answers, and so does readiness (it says what is down).
      expect((await bff.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await bff.app.inject({ method: 'GET', url: '/api/v1/healthz' })).statusCode).toBe(200);
      expect((await bff.app.inject({ method: 'GET', url: '/api/v1/readyz' })).json().error?.code).not.toBe(
        'OVERLOADED',
      );
      expect(bff.app.admission.inFlight).toBe(3);

      // The core client gives up on the silent core system; the held lookups end, and so does the refusal.
      const ended = await Promise.all(held);
      expect(ended.map((a) => a.statusCode)).toEqual([503, 503, 503]);
      expect(ended.map((a) => a.json().error.code)).toEqual([
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
      ]);
      expect(bff.app.admission.inFlight).toBe(0);
      const served = await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
      expect(served.statusCode).toBe(200);
      expect(served.json().halls.length).toBeGreaterThan(0);
    } finally {
      await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    }
  });

  test('the mini-program refused for load waits as told and asks again, and the citizen sees the page', async () => {
    (globalThis as { API_BASE?: string }).API_BASE = '/api/v1';
    mockTaro.send = async ({ url, method, header, data }) => {
      const answer = await bff.app.inject({
        method: method as 'GET',
        url,
        headers: header,
        ...(method === 'GET' ? {} : { payload: JSON.stringify(data ?? {}) }),
      });
      return {
        statusCode: answer.statusCode,
        data: answer.json(),
        header: answer.headers as Record<string, string>,
      };
    };
    // The mini-program is its own TypeScript project (Taro's types): loaded by path, typed here by what the test uses.
    const clientPath = '../../miniapp/src/api/client';
    const { request } = (await import(clientPath)) as {
      request: <T>(method: 'GET', path: string, options: { auth: boolean; silent: boolean }) => Promise<T>;
    };
    // Three requests whose bodies have not arrived hold every place.
    const bodies = [1, 2, 3].map(() => new PassThrough());
    const held = bodies.map((payload) =>
      bff.app.inject({
        method: 'POST',
        url: '/api/v1/auth/wechat',
        headers: { 'content-type': 'application/json' },
        payload,
      }),
    );
    await until(() => bff.app.admission.inFlight === 3, '3 requests to hold every place');
    // The first refusal frees the places; the client's second try comes at least Retry-After later.
    mockTaro.onAnswer = (status) => {
      if (status === 503) for (const body of bodies) body.end('{}');
    };
    try {
      const asked = Date.now();
      const page = await request<{ halls: unknown[] }>('GET', '/halls', { auth: false, silent: true });
      expect(page.halls.length).toBeGreaterThan(0);
      expect(Date.now() - asked).toBeGreaterThanOrEqual(bff.config.admission.retryAfterSeconds * 1000);
      expect(mockTaro.calls).toEqual([503, 200]);
      expect((await Promise.all(held)).map((a) => a.statusCode)).toEqual([400, 400, 400]);
    } finally {
      mockTaro.onAnswer = null;
      for (const body of bodies) body.end();
    }
  });

  test('a client that goes away gives its place back', async () => {
    // The previous test's timeouts opened the breaker; its trial call will be this lookup's.
    await until(() => bff.app.core.breakerState !== 'open', 'the breaker to allow a trial call');
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/cases/:acceptNo',
      timeout: true,
    });
    try {
      const controller = new AbortController();
      const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
      const gone = fetch(`${address}/api/v1/cases/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ acceptNo: 'Q202600000009', verifier: '1234' }),
        signal: controller.signal,
      }).catch(() => 'aborted');
      await until(() => bff.app.admission.inFlight === 1, 'the lookup to be in flight');
      controller.abort();
      expect(await gone).toBe('aborted');
      await until(() => bff.app.admission.inFlight === 0, 'the place to be given back');
    } finally {
      await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    }
  });
});

describe('open ticket streams do not count', () => {
  let bff: TestBff;
  // Next Monday 10:00 Shanghai, and on: the halls are open.
  const now = nextMondayAt('10:00');
  beforeAll(async () => {
    bff = await startTestBff(
      'overload_sse',
      { MAX_IN_FLIGHT: '2', ADMISSION_TARGET_LATENCY_MS: '0', RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000' },
      { now },
    );
  });
  afterAll(() => bff.stop());

  test('with more streams open than the bound, waiting citizens still take numbers and read the catalogue', async () => {
    const call: ApiCall = async (method, url, body, headers = {}) => {
      const answer = await bff.app.inject({
        method: method as 'GET',
        url,
        payload: body as object | undefined,
        headers,
      });
      return { status: answer.statusCode, body: answer.body ? JSON.parse(answer.body) : null };
    };
    const hall = (await call('GET', '/api/v1/halls?level=district')).body.halls[0];
    const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
    const streams: EventStream[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const citizen = await signIn(call, bff.world);
        const ticket = await call(
          'POST',
          `/api/v1/halls/${hall.id}/tickets`,
          { category: hall.categories[0].code },
          bearer(citizen.token),
        );
        expect(ticket.status).toBe(201);
        const stream = await openEventStream(
          `${address}/api/v1/tickets/${ticket.body.id}/events`,
          bearer(citizen.token),
        );
        streams.push(stream);
        expect((await stream.next()).id).toBe(ticket.body.id);
      }
      expect(bff.app.admission.inFlight).toBe(0);
      expect((await call('GET', '/api/v1/halls')).status).toBe(200);
      expect(bff.app.admission.refused).toBe(0);
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

describe('the bound adapts to how fast answers come (ADMISSION_TARGET_LATENCY_MS)', () => {
  let bff: TestBff;
  beforeAll(async () => {
    bff = await startTestBff('overload_adapt', {
      MAX_IN_FLIGHT: '16',
      ADMISSION_TARGET_LATENCY_MS: '150',
      LOOKUP_MIN_MS: '0',
      LOOKUP_PER_IP_PER_MINUTE: '1000',
    });
  });
  afterAll(() => bff.stop());

  test('answers slower than the target shrink the bound to an eighth, so what is admitted stays answerable and the rest is refused at once; fast answers grow it back', async () => {
    expect((await bff.app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode).toBe(200);
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/cases/:acceptNo',
      latencyMs: 250,
    });
    let n = 0;
    const slowLookup = () =>
      bff.app.inject({
        method: 'POST',
        url: '/api/v1/cases/lookup',
        payload: { acceptNo: `Q2027${String((n += 1)).padStart(8, '0')}`, verifier: '1234' },
      });
    try {
      // Every answer takes over the target, one lookup at a time: each halves the bound, to its floor.
      await until(
        async () => (await slowLookup()).statusCode === 404 && bff.app.admission.limit === 2,
        'the bound to shrink to 16 / 8',
      );
      const held = [slowLookup(), slowLookup()];
      await until(() => bff.app.admission.inFlight === 2, 'two slow lookups in flight');
      const refused = await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toEqual(errorShape('OVERLOADED'));
      expect((await Promise.all(held)).map((a) => a.statusCode)).toEqual([404, 404]);
    } finally {
      await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    }
    // Answers within the target add one place per bound's worth of answers, up to the maximum.
    await until(
      async () =>
        (await bff.app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode === 200 &&
        bff.app.admission.limit === 16,
      'the bound to grow back to 16',
    );
  });

  test('a burst of slow answers shrinks the bound at once to what is answerable within the target, not a tenth at a time', async () => {
    await until(() => bff.app.admission.limit === 16, 'the bound to be at its maximum');
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/cases/:acceptNo',
      latencyMs: 250,
    });
    try {
      // 16 lookups at once, each answered in 250 ms or more: 16 × 150 / 250 is what answers within
      // 150 ms (Little's law); one slow answer takes the bound there.
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/cases/lookup',
            payload: { acceptNo: `Q2028${String(i).padStart(8, '0')}`, verifier: '1234' },
          }),
        ),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 16 }, () => 404));
      expect(bff.app.admission.limit).toBeLessThanOrEqual(Math.floor((16 * 150) / 250));
    } finally {
      await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    }
  });
});

describe('the event-loop guard (OVERLOAD_EVENT_LOOP_DELAY_MS)', () => {
  let bff: TestBff;
  beforeAll(async () => {
    bff = await startTestBff('overload_loop', { OVERLOAD_EVENT_LOOP_DELAY_MS: '50' });
  });
  afterAll(() => bff.stop());

  test('a loop made late by CPU work answers 503 OVERLOADED with Retry-After, and serves again once it catches up', async () => {
    const refused = await until(async () => {
      // CPU work that holds the loop past the limit for most of the guard's 1-s sample, as a
      // flood of cheap requests would.
      const until = Date.now() + 1100;
      while (Date.now() < until);
      const answer = await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
      return answer.statusCode === 503 && answer;
    }, 'the guard to see the late loop');
    expect(refused.json()).toEqual(errorShape('OVERLOADED'));
    expect(refused.headers['retry-after']).toBe(String(bff.config.admission.retryAfterSeconds));
    await until(
      async () => (await bff.app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode === 200,
      'the guard to let requests in again',
    );
  });
});
