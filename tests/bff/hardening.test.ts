// Issue 26, finding by finding: strict types at the edge, no 500 from any input or stored
// record, limits that hold under concurrency, no timing side channel in the public lookup,
// sessions that end, and the production posture. Each `describe` names the finding it covers.
import jwt from 'jsonwebtoken';
import { connect } from 'node:net';
import { ConfigError, loadConfig } from '@onewindow/bff/config';
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin, type Resident } from '../support/core-client';
import { bearer, bindResident, signIn, type ApiCall, injectCaller } from '../support/citizens';
import { until } from '../support/until';
import { errorShape } from '../support/error-shape';

// Above the core system's 200 ms case read plus the BFF's own work, as the floor must be in production.
const LOOKUP_FLOOR_MS = 500;
let bff: TestBff;
let staff: {
  id: string;
  username: string;
  role: string;
  hallId?: string;
  departmentCode?: string;
  windowId?: string;
}[];
let password: string;
let residents: {
  name: string;
  idNumber: string;
  phone: string;
  cases: { acceptNo: string; status: string }[];
}[];
let halls: { id: string; level: string; district: string }[];

const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
beforeAll(async () => {
  bff = await startTestBff('hardening', {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
    OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
    LOOKUP_MIN_MS: String(LOOKUP_FLOOR_MS),
    // The production rule (tests default to a few accounts per person).
    ACCOUNTS_PER_IDENTITY: '1',
    TRUSTED_PROXIES: '10.99.0.1',
  });
  ({ staff, password } = await (await fetch(`${bff.world.core.url}/__admin/staff`)).json());
  ({ citizens: residents } = await (await fetch(`${bff.world.core.url}/__admin/citizens`)).json());
  halls = (await call('GET', '/api/v1/halls')).body.halls;
}, 60_000);
afterAll(() => bff.stop());

async function staffLogin(member: { username: string }, remoteAddress = '127.0.0.1') {
  return bff.app.inject({
    method: 'POST',
    url: '/api/v1/auth/staff',
    payload: { username: member.username, password },
    remoteAddress,
  });
}
async function bindAs(resident: Resident) {
  const session = await bindResident(call, bff.world, resident);
  return { ...session, auth: bearer(session.token) };
}
/** Residents are handed out once, so no test binds an identity another test bound. */
const nextResident = 0;
const takeResident = (wanted: (r: (typeof residents)[number]) => boolean) => {
  const index = residents.findIndex((r, i) => i >= nextResident && wanted(r));
  const [resident] = residents.splice(index, 1);
  return resident;
};

describe('finding 1: a stored bad value never breaks anyone’s page', () => {
  const online = { overall: 2, efficiency: 2, guideAccuracy: 2, convenience: 2, usability: 2 };

  test('"-Infinity", "1e400", "0x5" and "Infinity" as a level are refused and nothing is stored', async () => {
    const resident = takeResident((r) => r.cases.some((c) => c.status === 'completed'));
    const done = resident.cases.find((c) => c.status === 'completed')!;
    const { auth } = await bindAs(resident);
    for (const level of ['-Infinity', 'Infinity', '1e400', '0x5', '5', 5.5, 0, 6]) {
      const answer = await call(
        'POST',
        '/api/v1/ratings',
        { acceptNo: done.acceptNo, channel: 'online', level, indicators: online },
        auth,
      );
      expect([answer.status, answer.body]).toEqual([400, errorShape('INVALID_INPUT')]);
    }
    expect(await bff.app.db.collection('ratings').countDocuments({ 'target.id': done.acceptNo })).toBe(0);
  });

  test('a rating stored out of range before the fix: GET /ratings/mine and /staff/follow-ups still answer, and the repair finds and retires it', async () => {
    const resident = takeResident((r) => r.cases.some((c) => c.status === 'completed'));
    const done = resident.cases.find((c) => c.status === 'completed')!;
    const { auth } = await bindAs(resident);
    const rated = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: done.acceptNo, channel: 'online', level: 2, indicators: online },
      auth,
    );
    expect(rated.status).toBe(201);
    const stored = await bff.app.db.collection('ratings').findOne({ 'target.id': done.acceptNo });
    // What the coercing validator used to let through.
    await bff.app.db
      .collection('ratings')
      // eslint-disable-next-line no-loss-of-precision -- the point: a stored value that overflows to Infinity
      .updateOne({ _id: stored!._id }, { $set: { level: -Infinity, 'indicators.overall': 1e400 } });

    const mine = await call('GET', '/api/v1/ratings/mine', undefined, auth);
    expect(mine.status).toBe(200);
    expect(mine.body.ratings.map((r: { target: { id: string } }) => r.target.id)).not.toContain(
      done.acceptNo,
    );
    const supervisors = staff.filter((s) => s.role === 'supervisor');
    for (const supervisor of supervisors) {
      const token = (await staffLogin(supervisor)).json().accessToken;
      const followUps = await call('GET', '/api/v1/staff/follow-ups', undefined, bearer(token));
      expect(followUps.status).toBe(200);
      const stats = await call(
        'GET',
        `/api/v1/staff/ratings/stats?from=2020-01-01&to=2030-12-31&groupBy=department`,
        undefined,
        bearer(token),
      );
      expect(stats.status).toBe(200);
    }

    const { repairRatingLevels } = await import('@onewindow/bff/modules/rating/repair');
    const report = await repairRatingLevels(bff.app.db);
    expect(report.found).toBeGreaterThanOrEqual(1);
    expect(report.ids).toContain(String(stored!._id));
    const repaired = await bff.app.db.collection('ratings').findOne({ _id: stored!._id });
    expect(repaired).toEqual(
      expect.objectContaining({
        effective: false,
        quarantine: expect.objectContaining({ reason: expect.any(String) }),
      }),
    );
    expect(Number.isFinite(repaired!.level)).toBe(true);
    // Run twice, it finds nothing new: the job is safe to run at every start.
    expect((await repairRatingLevels(bff.app.db)).ids).not.toContain(String(stored!._id));
  });
});

describe('finding 2: query and path values are parsed by type, finite and real dates', () => {
  test('non-finite and non-decimal numbers in a query are 400, not 500', async () => {
    for (const query of [
      'page=Infinity',
      'page=-Infinity',
      'pageSize=1e400',
      'page=0x5',
      'page=NaN',
      'page=1.5',
      'page=',
      'page=1&page=2',
    ]) {
      const answer = await call('GET', `/api/v1/items?${query}`);
      expect([query, answer.status, answer.body]).toEqual([query, 400, errorShape('INVALID_INPUT')]);
    }
    expect((await call('GET', '/api/v1/items?page=2&pageSize=5')).status).toBe(200);
    const citizen = await signIn(call, bff.world);
    for (const query of ['page=-Infinity', 'pageSize=1e400']) {
      const answer = await call('GET', `/api/v1/messages?${query}`, undefined, bearer(citizen.token));
      expect([query, answer.status, answer.body]).toEqual([query, 400, errorShape('INVALID_INPUT')]);
    }
  });

  test('impossible calendar dates are 400', async () => {
    const hall = halls.find((h) => h.level === 'district')!;
    const { items } = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body;
    const itemCode = items.find((i: { bookable: boolean }) => i.bookable).code;
    for (const dates of [
      'from=2026-12-01&to=2026-13-01',
      'from=2026-00-10',
      'from=2026-02-30',
      'to=2026-99-99',
    ]) {
      const answer = await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${itemCode}&${dates}`);
      expect([dates, answer.status, answer.body]).toEqual([dates, 400, errorShape('INVALID_INPUT')]);
    }
    const supervisor = staff.find((s) => s.role === 'supervisor')!;
    const token = (await staffLogin(supervisor)).json().accessToken;
    const stats = await call(
      'GET',
      '/api/v1/staff/ratings/stats?from=2026-02-29&to=2026-03-01&groupBy=window',
      undefined,
      bearer(token),
    );
    expect([stats.status, stats.body]).toEqual([400, errorShape('INVALID_INPUT')]);
  });
});

describe('finding 3: JSON bodies keep their types', () => {
  test('elderMode must be a boolean: 1, null, "true", [true] are 400 and nothing changes', async () => {
    const citizen = await signIn(call, bff.world);
    for (const elderMode of [1, null, 'true', [true], 0, 'false']) {
      const answer = await call('PUT', '/api/v1/me/preferences', { elderMode }, bearer(citizen.token));
      expect([JSON.stringify(elderMode), answer.status]).toEqual([JSON.stringify(elderMode), 400]);
    }
    expect((await call('GET', '/api/v1/me', undefined, bearer(citizen.token))).body.user.elderMode).toBe(
      false,
    );
    expect(
      (await call('PUT', '/api/v1/me/preferences', { elderMode: true }, bearer(citizen.token))).status,
    ).toBe(200);
  });

  test('level: true, acceptNo: [...], a numeric refresh token are 400', async () => {
    const resident = takeResident((r) => r.cases.some((c) => c.status === 'completed'));
    const done = resident.cases.find((c) => c.status === 'completed')!;
    const { auth } = await bindAs(resident);
    const online = { overall: 5, efficiency: 5, guideAccuracy: 5, convenience: 5, usability: 5 };
    for (const body of [
      { acceptNo: done.acceptNo, channel: 'online', level: true, indicators: online },
      { acceptNo: [done.acceptNo], channel: 'online', level: 5, indicators: online },
      { acceptNo: done.acceptNo, channel: 'online', level: 5, indicators: { ...online, overall: '5' } },
      { acceptNo: done.acceptNo, channel: ['online'], level: 5, indicators: online },
    ]) {
      const answer = await call('POST', '/api/v1/ratings', body, auth);
      expect([answer.status, answer.body]).toEqual([400, errorShape('INVALID_INPUT')]);
    }
    expect(await bff.app.db.collection('ratings').countDocuments({ 'target.id': done.acceptNo })).toBe(0);
    // eslint-disable-next-line no-loss-of-precision -- the point: a number where a token string belongs
    const refresh = await call('POST', '/api/v1/auth/refresh', { refreshToken: 12345678901234567890 });
    expect([refresh.status, refresh.body]).toEqual([400, errorShape('INVALID_INPUT')]);
  });
});

describe('finding 4 and 9 (lockout): the staff lockout is claimed before the password check, per username and address', () => {
  test('10 concurrent logins, 9 wrong and 1 right: the core system checks at most the limit', async () => {
    const member = staff.filter((s) => s.role === 'window')[1];
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'POST /api/staff/verify',
      latencyMs: 200,
    });
    await coreAdmin(bff.world.core)('DELETE', '/__admin/stats');
    try {
      const attempts = Array.from({ length: 10 }, (_, i) =>
        bff.app.inject({
          method: 'POST',
          url: '/api/v1/auth/staff',
          payload: { username: member.username, password: i === 9 ? password : `wrong-${i}` },
          remoteAddress: '10.4.4.4',
        }),
      );
      const answers = await Promise.all(attempts);
      const { requests } = await coreAdmin(bff.world.core)<{ requests: Record<string, number> }>(
        'GET',
        '/__admin/stats',
      );
      expect(requests['POST /api/staff/verify'] ?? 0).toBeLessThanOrEqual(bff.config.staffLockout.failures);
      expect(answers.filter((a) => a.statusCode === 423).length).toBeGreaterThanOrEqual(
        10 - bff.config.staffLockout.failures,
      );
      for (const answer of answers)
        if (answer.statusCode !== 200)
          expect(answer.json()).toEqual(
            errorShape(answer.statusCode === 423 ? 'ACCOUNT_LOCKED' : 'BAD_CREDENTIALS'),
          );
    } finally {
      await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    }
  });

  test('wrong passwords from one address lock that address out, not the clerk at her own desk', async () => {
    const clerk = staff.filter((s) => s.role === 'window')[2];
    for (let i = 0; i < bff.config.staffLockout.failures + 2; i += 1) {
      await bff.app.inject({
        method: 'POST',
        url: '/api/v1/auth/staff',
        payload: { username: clerk.username, password: `guess-${i}` },
        remoteAddress: '203.0.113.66',
      });
    }
    expect((await staffLogin(clerk, '203.0.113.66')).statusCode).toBe(423);
    const atDesk = await staffLogin(clerk, '10.20.30.40');
    expect(atDesk.statusCode).toBe(200);
  });
});

describe('finding 5: a lookup takes as long for a known number as for an unknown one', () => {
  test('both answers wait for the floor, whether the case copy was cached or not (core system at 200 ms, as in the report)', async () => {
    const resident = residents[residents.length - 1];
    const known = resident.cases[0].acceptNo;
    const lookup = async (acceptNo: string, verifier: string, remoteAddress: string) => {
      const started = performance.now();
      const answer = await bff.app.inject({
        method: 'POST',
        url: '/api/v1/cases/lookup',
        payload: { acceptNo, verifier },
        remoteAddress,
      });
      return { status: answer.statusCode, ms: performance.now() - started };
    };
    await coreAdmin(bff.world.core)('POST', '/__admin/faults', {
      route: 'GET /api/cases/:acceptNo',
      latencyMs: 200,
    });
    try {
      expect((await lookup(known, resident.idNumber.slice(-4), '10.5.0.1')).status).toBe(200);
      const cached: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        // A real number's copy is fresh after the first lookup: before the floor it answered in ~10 ms, an unknown number in ~210 ms.
        const hit = await lookup(known, '0000', `10.5.1.${i}`);
        const miss = await lookup(`Z99999999${i}`, '0000', `10.5.2.${i}`);
        expect([hit.status, miss.status]).toEqual([404, 404]);
        cached.push(hit.ms);
        unknown.push(miss.ms);
      }
      for (const ms of [...cached, ...unknown]) expect(ms).toBeGreaterThanOrEqual(LOOKUP_FLOOR_MS - 5);
      const median = (list: number[]) => [...list].sort((a, b) => a - b)[1];
      process.stderr.write(
        `[hardening] lookup with the core system at 200 ms: cached known number median ${median(cached).toFixed(0)} ms, unknown number median ${median(unknown).toFixed(0)} ms (floor ${LOOKUP_FLOOR_MS} ms)\n`,
      );
    } finally {
      await coreAdmin(bff.world.core)('DELETE', '/__admin/faults');
    }
  });
});

describe('finding 6: the per-number lookup limit holds under concurrency', () => {
  test('40 concurrent wrong verifiers on one number, each from its own address: at most the limit are evaluated', async () => {
    const acceptNo = residents[residents.length - 2].cases[0].acceptNo;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        bff.app.inject({
          method: 'POST',
          url: '/api/v1/cases/lookup',
          payload: { acceptNo, verifier: String(1000 + i) },
          remoteAddress: `10.6.${i}.1`,
        }),
      ),
    );
    const evaluated = answers.filter((a) => a.statusCode === 404);
    expect(evaluated.length).toBeLessThanOrEqual(bff.config.progress.lookupsPerNumberPerHour);
    expect(answers.filter((a) => a.statusCode === 429).length).toBe(40 - evaluated.length);
  });
});

describe('finding 7: the per-address lookup limit keys on the address whatever the token', () => {
  const lookupFrom = (i: number, remoteAddress: string, headers: Record<string, string>) =>
    bff.app.inject({
      method: 'POST',
      url: '/api/v1/cases/lookup',
      payload: {
        acceptNo: `Q${remoteAddress.replace(/\D/g, '')}${String(i).padStart(4, '0')}`,
        verifier: '1234',
      },
      headers,
      remoteAddress,
    });

  test('three accounts from one address share the address’s limit, and a forged X-Forwarded-For does not help', async () => {
    const accounts = await Promise.all([0, 1, 2].map(() => signIn(call, bff.world)));
    // One after another, as the report's three phones did (a burst inside one event-loop turn is
    // over-refused by @fastify/rate-limit's local store, which reads its shared counter after an await).
    const answers = [];
    for (let i = 0; i < 30; i += 1)
      answers.push(
        await lookupFrom(i, '10.7.7.7', {
          ...bearer(accounts[i % 3].token),
          'x-forwarded-for': `198.51.100.${i}`,
        }),
      );
    expect(answers.filter((a) => a.statusCode !== 429).length).toBe(
      bff.config.progress.lookupsPerIpPerMinute,
    );
    for (const limited of answers.filter((a) => a.statusCode === 429))
      expect(limited.json()).toEqual(errorShape('RATE_LIMITED'));
  });

  test('behind a configured proxy (TRUSTED_PROXIES), each client address has its own limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        lookupFrom(i, '10.99.0.1', { 'x-forwarded-for': `203.0.113.${i + 1}` }),
      ),
    );
    expect(answers.map((a) => a.statusCode).filter((s) => s === 429)).toEqual([]);
  });
});

describe('finding 8: framework errors answer in the documented shape', () => {
  test('a malformed URL, bad JSON, an empty body, a wrong content type and an oversized body', async () => {
    const cases: [string, () => Promise<{ statusCode: number; json(): unknown }>, number, string][] = [
      ['bad URL', () => bff.app.inject({ method: 'GET', url: '/api/v1/items/%ZZ' }), 400, 'INVALID_INPUT'],
      [
        'bad URL in a protected path',
        () => bff.app.inject({ method: 'GET', url: '/api/v1/cases/%E0%A4%A' }),
        400,
        'INVALID_INPUT',
      ],
      [
        'broken JSON',
        () =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/auth/wechat',
            payload: '{"code":',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'INVALID_INPUT',
      ],
      [
        'empty JSON body',
        () =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/auth/wechat',
            payload: '',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'INVALID_INPUT',
      ],
      [
        'text/plain',
        () =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/auth/wechat',
            payload: 'code=1',
            headers: { 'content-type': 'text/plain' },
          }),
        400,
        'INVALID_INPUT',
      ],
      [
        'XML',
        () =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/auth/wechat',
            payload: '<code>1</code>',
            headers: { 'content-type': 'application/xml' },
          }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'too large',
        () =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/auth/wechat',
            payload: JSON.stringify({ code: 'x'.repeat(bff.config.bodyLimitBytes) }),
            headers: { 'content-type': 'application/json' },
          }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['no such method', () => bff.app.inject({ method: 'PATCH', url: '/api/v1/me' }), 404, 'NOT_FOUND'],
      [
        'JSON with a prototype key',
        () =>
          bff.app.inject({
            method: 'POST',
            url: '/api/v1/auth/wechat',
            payload: '{"code":"x","__proto__":{"a":1}}',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'INVALID_INPUT',
      ],
    ];
    for (const [what, send, status, code] of cases) {
      const answer = await send();
      expect([what, answer.statusCode, answer.json()]).toEqual([what, status, errorShape(code)]);
    }
  });
});

describe('finding 8 (below Fastify): requests Node’s HTTP parser refuses', () => {
  test('a malformed header line and headers over the limit answer in the documented shape', async () => {
    const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(address).port);
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        let data = '';
        const socket = connect(port, '127.0.0.1', () => socket.write(text));
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(data));
      });
    const cases: [string, number, string][] = [
      ['GET /api/v1/halls HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n', 400, 'INVALID_INPUT'],
      [
        `GET /api/v1/halls HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      ],
    ];
    for (const [text, status, code] of cases) {
      const answer = await raw(text);
      const [head, body] = answer.split('\r\n\r\n');
      expect([head.split(' ')[1], JSON.parse(body)]).toEqual([String(status), errorShape(code)]);
    }
  });
});

describe('finding 9: sessions, tokens and the production posture', () => {
  test('logout stops the access token at once and revokes only the caller’s own family', async () => {
    const victim = await signIn(call, bff.world);
    const victimLogin = await call('POST', '/api/v1/auth/wechat', {
      code: (
        await (
          await fetch(`${bff.world.wechat.url}/dev/code`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ openid: victim.openid }),
          })
        ).json()
      ).code,
    });
    const attacker = await call('POST', '/api/v1/auth/wechat', {
      code: (
        await (
          await fetch(`${bff.world.wechat.url}/dev/code`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).json()
      ).code,
    });
    // Someone else's refresh token presented at logout: the victim's session lives on.
    expect(
      (
        await call(
          'POST',
          '/api/v1/auth/logout',
          { refreshToken: victimLogin.body.refreshToken },
          bearer(attacker.body.accessToken),
        )
      ).status,
    ).toBe(204);
    expect((await call('GET', '/api/v1/me', undefined, bearer(victimLogin.body.accessToken))).status).toBe(
      200,
    );
    const rotated = await call('POST', '/api/v1/auth/refresh', {
      refreshToken: victimLogin.body.refreshToken,
    });
    expect(rotated.status).toBe(200);
    // The attacker's own session did end, access token included.
    expect((await call('GET', '/api/v1/me', undefined, bearer(attacker.body.accessToken))).body).toEqual(
      errorShape('TOKEN_INVALID'),
    );
    expect(
      (await call('POST', '/api/v1/auth/refresh', { refreshToken: attacker.body.refreshToken })).status,
    ).toBe(401);
    // The victim logs out: the access token stops now, not in 15 minutes; her other login is untouched.
    expect(
      (
        await call(
          'POST',
          '/api/v1/auth/logout',
          { refreshToken: rotated.body.refreshToken },
          bearer(rotated.body.accessToken),
        )
      ).status,
    ).toBe(204);
    expect((await call('GET', '/api/v1/me', undefined, bearer(rotated.body.accessToken))).status).toBe(401);
    expect((await call('GET', '/api/v1/me', undefined, bearer(victim.token))).status).toBe(200);
    // Shared across instances: the deny-list is in MongoDB, with a TTL index.
    const indexes = await bff.app.db.collection('revoked_sessions').indexes();
    expect(indexes.some((i) => i.expireAfterSeconds === 0)).toBe(true);
  });

  test('a logout on another instance stops the token here within the sync interval', async () => {
    const citizen = await signIn(call, bff.world);
    const family = (jwt.decode(citizen.token) as jwt.JwtPayload).fam as string;
    expect(typeof family).toBe('string');
    // What another instance's logout writes.
    await bff.app.db.collection('revoked_sessions').insertOne({
      _id: family as never,
      expiresAt: new Date(Date.now() + 20 * 60_000),
      revokedAt: new Date(),
    });
    await until(
      async () => (await call('GET', '/api/v1/me', undefined, bearer(citizen.token))).status === 401,
      'the other instance’s logout to reach this one',
      10_000,
    );
  });

  test('a refresh token presented twice (it leaked) ends the login for its access tokens too', async () => {
    const code = (
      await (
        await fetch(`${bff.world.wechat.url}/dev/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()
    ).code;
    const login = (await call('POST', '/api/v1/auth/wechat', { code })).body;
    const rotated = (await call('POST', '/api/v1/auth/refresh', { refreshToken: login.refreshToken })).body;
    expect((await call('GET', '/api/v1/me', undefined, bearer(rotated.accessToken))).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(
      401,
    );
    expect((await call('GET', '/api/v1/me', undefined, bearer(rotated.accessToken))).body).toEqual(
      errorShape('TOKEN_INVALID'),
    );
  });

  test('a correctly signed token without exp is refused', async () => {
    const citizen = await signIn(call, bff.world);
    const forever = jwt.sign({ role: 'citizen' }, bff.config.jwt.secret, {
      subject: citizen.id,
      issuer: bff.config.jwt.issuer,
      audience: bff.config.jwt.audience,
      algorithm: 'HS256',
    });
    expect((await call('GET', '/api/v1/me', undefined, bearer(forever))).body).toEqual(
      errorShape('TOKEN_INVALID'),
    );
  });

  test('personal answers carry Cache-Control: no-store', async () => {
    const code = (
      await (
        await fetch(`${bff.world.wechat.url}/dev/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()
    ).code;
    const login = await bff.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });
    expect(login.headers['cache-control']).toBe('no-store');
    const token = login.json().accessToken;
    for (const url of [
      '/api/v1/me',
      '/api/v1/ratings/mine',
      '/api/v1/messages',
      '/api/v1/appointments',
      '/api/v1/cases',
    ]) {
      const answer = await bff.app.inject({ method: 'GET', url, headers: bearer(token) });
      expect([url, answer.headers['cache-control']]).toEqual([url, 'no-store']);
    }
    const lookup = await bff.app.inject({
      method: 'POST',
      url: '/api/v1/cases/lookup',
      payload: { acceptNo: 'NOPE000001', verifier: '1234' },
      remoteAddress: '10.9.0.1',
    });
    expect(lookup.headers['cache-control']).toBe('no-store');
  });

  test('anonymous callers get 401 before any schema detail; the wrong role gets 403', async () => {
    const anonymous = await call('POST', '/api/v1/ratings', { level: 'x', junk: true });
    expect(anonymous.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
      requestId: expect.any(String),
    });
    const badQuery = await call('GET', '/api/v1/staff/ratings/stats?from=nope');
    expect(badQuery.status).toBe(401);
    const citizen = await signIn(call, bff.world);
    const wrongRole = await call(
      'GET',
      '/api/v1/staff/ratings/stats?from=nope',
      undefined,
      bearer(citizen.token),
    );
    expect(wrongRole.body).toEqual({
      error: { code: 'FORBIDDEN', message: expect.any(String) },
      requestId: expect.any(String),
    });
  });

  test('one identity binds one WeChat account: a second is refused with IDENTITY_BOUND', async () => {
    const resident = takeResident(() => true);
    const first = await bindAs(resident);
    const second = await signIn(call, bff.world);
    const refused = await call(
      'PUT',
      '/api/v1/me/realname',
      { name: resident.name, idNumber: resident.idNumber, phone: resident.phone },
      bearer(second.token),
    );
    expect([refused.status, refused.body]).toEqual([409, errorShape('IDENTITY_BOUND')]);
    expect((await call('GET', '/api/v1/me', undefined, bearer(second.token))).body.user.realName).toBeNull();
    // Two new accounts binding another identity at the same moment: one gets it.
    const other = takeResident(() => true);
    const racers = await Promise.all([0, 1, 2].map(() => signIn(call, bff.world)));
    const raced = await Promise.all(
      racers.map((r) =>
        call(
          'PUT',
          '/api/v1/me/realname',
          { name: other.name, idNumber: other.idNumber, phone: other.phone },
          bearer(r.token),
        ),
      ),
    );
    expect(raced.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    // The first account may bind again (a new phone number on file, say).
    expect(
      (
        await call(
          'PUT',
          '/api/v1/me/realname',
          { name: resident.name, idNumber: resident.idNumber, phone: resident.phone },
          first.auth,
        )
      ).status,
    ).toBe(200);
  });

  test('production: trustProxy is a list of addresses, localhost CORS origins refuse to start', () => {
    const production = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db.internal/onewindow',
      CORE_BASE_URL: 'https://core.internal',
      CORE_APP_KEY: 'onewindow',
      CORE_APP_SECRET: 'c'.repeat(32),
      WECHAT_API_BASE: 'https://api.weixin.qq.com',
      WECHAT_APP_ID: 'wx1',
      WECHAT_APP_SECRET: 'w'.repeat(32),
      OSS_ENDPOINT: 'https://oss.internal',
      OSS_ACCESS_KEY_ID: 'id',
      OSS_ACCESS_KEY_SECRET: 'o'.repeat(32),
      JWT_SECRET: 'j'.repeat(40),
      QR_SIGNING_KEY: 'q'.repeat(40),
      ID_ENCRYPTION_KEY: 'a'.repeat(64),
      ID_HASH_KEY: 'b'.repeat(64),
      CORS_ORIGINS: 'https://onewindow.gov.cn',
      TRUSTED_PROXIES: '10.0.0.10,10.0.0.11',
      SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com',
      SMS_ACCESS_KEY_ID: 'LTAI-sms',
      SMS_ACCESS_KEY_SECRET: 's'.repeat(32),
      SMS_RECEIPT_TOKEN: 'r'.repeat(32),
      PROVINCE_API_BASE: 'https://hcp.province.example',
      PROVINCE_APP_ID: 'city',
      PROVINCE_APP_SECRET: 'p'.repeat(32),
      RATING_LINK_BASE: 'https://onewindow.gov.cn',
    };
    const config = loadConfig(production);
    expect(config.accountsPerIdentity).toBe(1);
    expect(config.trustedProxies).toEqual(['10.0.0.10', '10.0.0.11']);
    expect(loadConfig({ ...production, TRUSTED_PROXIES: '' }).trustedProxies).toEqual([]);
    const problems = (env: Record<string, string | undefined>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ ...production, TRUSTED_PROXIES: 'true' }).join()).toMatch(/TRUSTED_PROXIES/);
    expect(problems({ ...production, CORS_ORIGINS: undefined }).join()).toMatch(/CORS_ORIGINS/);
    expect(
      problems({ ...production, CORS_ORIGINS: 'https://onewindow.gov.cn,http://localhost:8080' }).join(),
    ).toMatch(/CORS_ORIGINS/);
    expect(problems({ ...production, CORS_ORIGINS: 'http://127.0.0.1:8080' }).join()).toMatch(/CORS_ORIGINS/);
  });
});
