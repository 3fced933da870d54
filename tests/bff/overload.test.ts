// Overload degrades, never stalls: beyond the requests one process works on at once, a request
// is refused at once with 503 OVERLOADED and Retry-After (the one error shape), health probes
// still answer, and the process serves again as soon as the work in flight is done. The
// event-loop guard answers the same way.
import { coreAdminCall, startTestBff, type TestBff } from '../support/bff';
import { until } from '../support/until';

const errorShape = (code: string) => ({ error: { code, message: expect.stringMatching(/[\u4e00-\u9fa5]/) }, requestId: expect.any(String) });

describe('admission control (MAX_IN_FLIGHT)', () => {
  let bff: TestBff;
  beforeAll(async () => {
    bff = await startTestBff('overload', { MAX_IN_FLIGHT: '3', LOOKUP_MIN_MS: '0', LOOKUP_PER_IP_PER_MINUTE: '100' });
  });
  afterAll(() => bff.stop());

  test('with 3 requests held by a core system that does not answer, the 4th gets 503 OVERLOADED with Retry-After at once; probes still answer; then requests succeed again', async () => {
    // Warm the catalogue copy, so the read below is the process's own work.
    expect((await bff.app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode).toBe(200);
    await coreAdminCall(bff.world, 'POST', '/__admin/faults', { route: 'GET /api/cases/:acceptNo', timeout: true });
    try {
      const held = [1, 2, 3].map((i) => bff.app.inject({ method: 'POST', url: '/api/v1/cases/lookup', payload: { acceptNo: `Q2026${String(i).padStart(8, '0')}`, verifier: '1234' }, remoteAddress: `10.20.0.${i}` }));
      await until(() => bff.app.admission.inFlight === 3, '3 lookups to be waiting on the core system');

      const refused = await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toEqual(errorShape('OVERLOADED'));
      expect(refused.headers['retry-after']).toBe(String(bff.config.admission.retryAfterSeconds));
      // Probes are not work: liveness answers, and so does readiness (it says what is down).
      expect((await bff.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await bff.app.inject({ method: 'GET', url: '/api/v1/healthz' })).statusCode).toBe(200);
      expect((await bff.app.inject({ method: 'GET', url: '/api/v1/readyz' })).json().error?.code).not.toBe('OVERLOADED');
      expect(bff.app.admission.inFlight).toBe(3);

      // The core client gives up on the silent core system; the held lookups end, and so does the refusal.
      const ended = await Promise.all(held);
      expect(ended.map((a) => a.statusCode)).toEqual([503, 503, 503]);
      expect(ended.map((a) => a.json().error.code)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
      expect(bff.app.admission.inFlight).toBe(0);
      const served = await bff.app.inject({ method: 'GET', url: '/api/v1/halls' });
      expect(served.statusCode).toBe(200);
      expect(served.json().halls.length).toBeGreaterThan(0);
    } finally {
      await coreAdminCall(bff.world, 'DELETE', '/__admin/faults');
    }
  });

  test('a client that goes away gives its place back', async () => {
    // The previous test's timeouts opened the breaker; its trial call will be this lookup's.
    await until(() => bff.app.core.breaker.state !== 'open', 'the breaker to allow a trial call');
    await coreAdminCall(bff.world, 'POST', '/__admin/faults', { route: 'GET /api/cases/:acceptNo', timeout: true });
    try {
      const controller = new AbortController();
      const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
      const gone = fetch(`${address}/api/v1/cases/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ acceptNo: 'Q202600000009', verifier: '1234' }), signal: controller.signal }).catch(() => 'aborted');
      await until(() => bff.app.admission.inFlight === 1, 'the lookup to be in flight');
      controller.abort();
      expect(await gone).toBe('aborted');
      await until(() => bff.app.admission.inFlight === 0, 'the place to be given back');
    } finally {
      await coreAdminCall(bff.world, 'DELETE', '/__admin/faults');
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
    await until(async () => (await bff.app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode === 200, 'the guard to let requests in again');
  });
});
