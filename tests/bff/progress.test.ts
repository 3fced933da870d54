// Case progress: lookup without enumeration, my cases after real-name binding, one upstream
// call for many concurrent reads, webhooks (signature, replay, duplicates, order), notices in
// the message centre and on WeChat exactly once, stale snapshots when the core system is down,
// and the delivery choice.
import { until } from '../support/until';
import { signRequest } from '@onewindow/bff/plugins/core-signature';
import { coreAdmin } from '../support/core-client';
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, bindResident, boundCitizens, signIn, type ApiCall, injectCaller } from '../support/citizens';
import { scaled } from '../support/time-scale';
import { MovableClock } from '../support/clock';

let bff: TestBff;
const clock = new MovableClock();
let hookUrl: string;

const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
/** A lookup from a given client address, so each test has its own per-IP allowance. */
const lookup = async (acceptNo: string, verifier: string, ip: string) => {
  const response = await bff.app.inject({
    method: 'POST',
    url: '/api/v1/cases/lookup',
    payload: { acceptNo, verifier },
    remoteAddress: ip,
  });
  return { status: response.statusCode, body: JSON.parse(response.body), raw: response.body };
};
const admin = (method: string, path: string, body?: unknown) => coreAdmin(bff.world.core)(method, path, body);

interface Resident {
  name: string;
  idNumber: string;
  phone: string;
  cases: { acceptNo: string; status: string }[];
}
let residents: Resident[];

beforeAll(async () => {
  bff = await startTestBff(
    'progress',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      LOOKUP_PER_IP_PER_MINUTE: '8',
      LOOKUP_PER_NUMBER_PER_HOUR: '5',
      CASE_EVENT_RETRY_MS: '300',
      NOTIFY_RETRY_MS: '200',
    },
    { now: clock.now, monitorCommands: true },
  );
  const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
  hookUrl = `${address}/api/v1/hooks/core/case-events`;
  bff.world.core.setWebhookUrl(hookUrl);
  ({ citizens: residents } = await admin('GET', '/__admin/citizens'));
}, scaled(60_000));
afterAll(() => bff.stop());
afterEach(async () => {
  clock.reset();
  await admin('DELETE', '/__admin/faults');
});

/** A citizen signed in and bound as a seeded resident (who has cases). */
const bindAs = (resident: Resident) => bindResident(call, bff.world, resident);

describe('lookup', () => {
  test('by number and the last 4 of the ID or the phone: progress without personal data', async () => {
    const r = residents.find((c) => c.cases.length > 0)!;
    const acceptNo = r.cases[0].acceptNo;
    const byId = await lookup(acceptNo, r.idNumber.slice(-4).toLowerCase(), '10.0.0.1');
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(
      expect.objectContaining({
        acceptNo,
        status: r.cases[0].status,
        stale: false,
        timeline: expect.any(Array),
        dueAt: expect.any(String),
        warning: expect.stringMatching(/green|yellow|red/),
      }),
    );
    for (const secret of [r.idNumber, r.phone, r.name]) expect(byId.raw).not.toContain(secret);
    expect((await lookup(acceptNo, r.phone, '10.0.0.1')).status).toBe(200);
  });

  test('a wrong verifier and an unknown number get the same answer; too many tries on one number are refused', async () => {
    const r = residents.find((c) => c.cases.length > 0)!;
    const acceptNo = r.cases[0].acceptNo;
    const wrong = await lookup(acceptNo, '0000', '10.0.0.2');
    const unknown = await lookup('4399012026019999', '0000', '10.0.0.2');
    expect([wrong.status, unknown.status]).toEqual([404, 404]);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error).toEqual({ code: 'CASE_NOT_FOUND', message: '受理编号或验证信息不正确' });
    expect((await lookup(acceptNo, 'abcd', '10.0.0.2')).body.error.code).toBe('INVALID_INPUT');
    // Five tries an hour per number, from any address.
    const number = residents.find((c) => c.cases.length > 1 && c !== r)!.cases[1].acceptNo;
    for (let i = 0; i < 5; i += 1) expect((await lookup(number, '1234', `10.0.1.${i}`)).status).toBe(404);
    const sixth = await lookup(number, '1234', '10.0.1.9');
    expect([sixth.status, sixth.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  });

  test("the owner's lookups use up nothing; wrong ones are counted, and a number over its limit refuses even the right verifier", async () => {
    const r = residents.filter((c) => c.cases.length > 0).at(-1)!;
    const progressWrites = (writes: string[]) => writes.filter((w) => /case_snapshots/.test(w));
    const acceptNo = r.cases[0].acceptNo;
    const right = r.idNumber.slice(-4);
    const wrongVerifier = right === '0000' ? '1111' : '0000';
    let address = 0;
    const from = () => `10.0.2.${(address += 1)}`;
    expect((await lookup(acceptNo, right, from())).status).toBe(200); // the first one copies the case
    const writes: string[] = [];
    const listen = (event: { commandName: string; command: Record<string, unknown> }) => {
      if (['insert', 'update', 'delete', 'findAndModify'].includes(event.commandName))
        writes.push(`${event.commandName} ${String(event.command[event.commandName])}`);
    };
    const client = bff.app.db.getClient();
    client.on('commandStarted', listen);
    try {
      for (let i = 0; i < 7; i += 1) expect((await lookup(acceptNo, right, from())).status).toBe(200);
      // Each of the owner's tries is one claim on the case's copy that counts nothing and returns
      // the copy: no give-back, no other write, the hour's count untouched.
      expect(progressWrites(writes)).toEqual(Array(7).fill('findAndModify case_snapshots'));
      expect((await bff.app.db.collection('case_snapshots').findOne({ acceptNo }))?.guessCount ?? 0).toBe(0);
      for (let i = 0; i < 5; i += 1) expect((await lookup(acceptNo, wrongVerifier, from())).status).toBe(404);
      expect(progressWrites(writes).length).toBeGreaterThanOrEqual(5);
    } finally {
      client.off('commandStarted', listen);
    }
    // Otherwise the right verifier would stand out from the refused guesses.
    const refused = await lookup(acceptNo, right, from());
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  });

  test('ten guesses at once on a number its owner has looked up: exactly five are answered, the rest refused, and then the owner too', async () => {
    const owners = residents.filter((c) => c.cases.length > 0);
    const r = owners.at(-2)!;
    const acceptNo = r.cases[0].acceptNo;
    const right = r.idNumber.slice(-4);
    expect((await lookup(acceptNo, right, '10.0.3.1')).status).toBe(200);
    const wrong = right === '0000' ? '1111' : '0000';
    const guesses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => lookup(acceptNo, wrong, `10.0.3.${i + 10}`)),
    );
    expect(guesses.map((g) => g.status).sort()).toEqual([...Array(5).fill(404), ...Array(5).fill(429)]);
    const owner = await lookup(acceptNo, right, '10.0.3.30');
    expect([owner.status, owner.body.error?.code]).toEqual([429, 'RATE_LIMITED']);
  });

  test("a copy out of date: the case's own keys decide once it is read, and the count is put right", async () => {
    const owners = residents.filter((c) => c.cases.length > 0);
    const r = owners.at(-3)!;
    const acceptNo = r.cases[0].acceptNo;
    const right = r.idNumber.slice(-4);
    const other = owners.find((o) => o !== r && o.idNumber.slice(-4) !== right)!;
    const snapshots = bff.app.db.collection<{ acceptNo: string; guessCount?: number; idLast4Key?: string }>(
      'case_snapshots',
    );
    expect((await lookup(acceptNo, right, '10.0.4.1')).status).toBe(200);
    expect((await lookup(other.cases[0].acceptNo, other.idNumber.slice(-4), '10.0.4.2')).status).toBe(200);
    const mine = (await snapshots.findOne({ acceptNo }))!;
    const theirs = (await snapshots.findOne({ acceptNo: other.cases[0].acceptNo }))!;
    // The copy holds a key that is not the case's, and is due for a refresh.
    const outOfDate = { $set: { idLast4Key: theirs.idLast4Key, fetchedAt: new Date(0) } };
    await snapshots.updateOne({ acceptNo }, outOfDate);
    // The right verifier is counted by the claim against the old copy, answered once the case is
    // read again, and its try given back.
    expect((await lookup(acceptNo, right, '10.0.4.3')).status).toBe(200);
    expect(await snapshots.findOne({ acceptNo })).toEqual(
      expect.objectContaining({ guessCount: 0, idLast4Key: mine.idLast4Key }),
    );
    // The old copy's key matches a guess the case does not accept: not counted by the claim,
    // refused once the case is read, and then counted.
    await snapshots.updateOne({ acceptNo }, outOfDate);
    expect((await lookup(acceptNo, other.idNumber.slice(-4), '10.0.4.4')).status).toBe(404);
    expect((await snapshots.findOne({ acceptNo }))?.guessCount).toBe(1);
  });

  test("an unknown number's count is a placeholder: no case for anyone, and gone with its hour (TTL)", async () => {
    const unknown = '4399012026088888';
    expect((await lookup(unknown, '1234', '10.0.5.1')).status).toBe(404);
    expect((await lookup(unknown, '4321', '10.0.5.2')).status).toBe(404);
    const placeholder = await bff.app.db.collection('case_snapshots').findOne({ acceptNo: unknown });
    expect(placeholder).toEqual(expect.objectContaining({ placeholder: true, guessCount: 2 }));
    expect(placeholder).not.toHaveProperty('data');
    expect(placeholder).not.toHaveProperty('applicantKey');
    const ttl = (await bff.app.db.collection('case_snapshots').indexes()).find(
      (index) => index.key.guessResetAt === 1,
    );
    expect(ttl).toEqual(
      expect.objectContaining({ expireAfterSeconds: 0, partialFilterExpression: { placeholder: true } }),
    );
  });

  test('one address gets a few lookups a minute', async () => {
    // The limit counts in fixed windows of a clock minute (shared across instances): start where
    // the 9 lookups (each at the timing floor) fit inside one, or the 9th lands in a new window.
    await until(() => Date.now() % 60_000 < 40_000, 'a clock minute with room for 9 lookups', 30_000);
    const answers = [];
    for (let i = 0; i < 9; i += 1)
      answers.push((await lookup(`43990120260${String(i).padStart(5, '0')}`, '1234', '10.0.0.3')).status);
    expect(answers.slice(0, 8)).toEqual(Array(8).fill(404));
    expect(answers[8]).toBe(429);
  });
});

describe('my cases', () => {
  test("only after real-name binding, and exactly the citizen's own; another's case is 404", async () => {
    const unbound = await signIn(call, bff.world);
    const refused = await call('GET', '/api/v1/cases', undefined, bearer(unbound.token));
    expect([refused.status, refused.body.error.code]).toEqual([403, 'REALNAME_REQUIRED']);
    const [owner, other] = residents.filter((c) => c.cases.length >= 2);
    const session = await bindAs(owner);
    const mine = await call('GET', '/api/v1/cases', undefined, bearer(session.token));
    expect(mine.status).toBe(200);
    expect(mine.body.cases.map((c: { acceptNo: string }) => c.acceptNo).sort()).toEqual(
      owner.cases.map((c) => c.acceptNo).sort(),
    );
    const detail = await call(
      'GET',
      `/api/v1/cases/${owner.cases[0].acceptNo}`,
      undefined,
      bearer(session.token),
    );
    expect(detail.body).toEqual(
      expect.objectContaining({ acceptNo: owner.cases[0].acceptNo, statusLabel: expect.any(String) }),
    );
    const foreign = await call(
      'GET',
      `/api/v1/cases/${other.cases[0].acceptNo}`,
      undefined,
      bearer(session.token),
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);
    // Nothing personal is kept in the copy: hashes only.
    const stored = await bff.app.db
      .collection('case_snapshots')
      .findOne({ acceptNo: owner.cases[0].acceptNo });
    expect(JSON.stringify(stored)).not.toContain(owner.idNumber);
    expect(JSON.stringify(stored)).not.toContain(owner.phone);
  });

  test('200 concurrent reads of one uncached case make one upstream call', async () => {
    const owner = residents.filter((c) => c.cases.length >= 1)[5];
    const acceptNo = owner.cases[0].acceptNo;
    const session = await bindAs(owner);
    await admin('DELETE', '/__admin/stats');
    await admin('POST', '/__admin/faults', { route: 'GET /api/cases/:acceptNo', latencyMs: 300 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        call('GET', `/api/v1/cases/${acceptNo}`, undefined, bearer(session.token)),
      ),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const { requests } = await admin('GET', '/__admin/stats');
    expect(requests[`GET /api/cases/${acceptNo}`]).toBe(1);
  });

  test('core system down: the snapshot is served with its age, never a 500; an uncached case is 503', async () => {
    const owner = residents.filter((c) => c.cases.length >= 1)[6];
    const session = await bindAs(owner);
    const never = residents.filter((c) => c.cases.length >= 1)[7];
    const neverSession = await bindAs(never);
    const fresh = (
      await call('GET', `/api/v1/cases/${owner.cases[0].acceptNo}`, undefined, bearer(session.token))
    ).body;
    await admin('POST', '/__admin/faults', { route: '*', errorRate: 1, status: 503 });
    clock.advance(5 * 60_000); // the snapshot is now older than its 60 s freshness
    const stale = await call(
      'GET',
      `/api/v1/cases/${owner.cases[0].acceptNo}`,
      undefined,
      bearer(session.token),
    );
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual(
      expect.objectContaining({ stale: true, cachedAt: fresh.cachedAt, status: fresh.status }),
    );
    const list = await call('GET', '/api/v1/cases', undefined, bearer(session.token));
    expect([list.status, list.body.stale]).toEqual([200, true]);
    const unavailable = await call(
      'GET',
      `/api/v1/cases/${never.cases[0].acceptNo}`,
      undefined,
      bearer(neverSession.token),
    );
    expect([unavailable.status, unavailable.body.error.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    await admin('DELETE', '/__admin/faults');
    // Healed: once the circuit breaker lets a trial call through, the copy is fresh again.
    await until(
      async () =>
        (await call('GET', `/api/v1/cases/${owner.cases[0].acceptNo}`, undefined, bearer(session.token))).body
          .stale === false,
      'the circuit breaker to close',
    );
  });
});

describe('webhook', () => {
  const post = (
    event: object,
    tamper?: (headers: Record<string, string>) => void,
    replay?: Record<string, string>,
  ) => {
    const body = JSON.stringify(event);
    const url = new URL(hookUrl);
    const headers = replay ?? signRequest(bff.world.core.appKey, bff.world.core.appSecret, 'POST', url, body);
    tamper?.(headers);
    return {
      headers,
      answer: bff.app.inject({
        method: 'POST',
        url: url.pathname,
        payload: body,
        headers: { ...headers, 'content-type': 'application/json' },
      }),
    };
  };

  test('a bad signature or a replayed request is refused; a duplicate event is acknowledged and applied once; order is restored', async () => {
    const owner = residents.filter((c) => c.cases.length >= 1)[8];
    const session = await bindAs(owner);
    const acceptNo = owner.cases[0].acceptNo;
    const event = (sequence: number, status: string) => ({
      id: `evt-${acceptNo}-${sequence}`,
      type: 'case.status_changed',
      acceptNo,
      sequence,
      occurredAt: new Date().toISOString(),
      data: { status },
    });

    const forged = post(event(1, 'reviewing'), (h) => (h['x-signature'] = '0'.repeat(64)));
    expect((await forged.answer).statusCode).toBe(401);
    const first = post(event(2, 'deciding'));
    expect((await first.answer).statusCode).toBe(200);
    const replayed = post(event(2, 'deciding'), undefined, first.headers);
    expect((await replayed.answer).statusCode).toBe(401);
    const again = post(event(2, 'deciding'));
    expect(JSON.parse((await again.answer).body)).toEqual({ ok: true, duplicate: true });
    // Sequence 2 is kept, unapplied, until 1 arrives (applied out of order, 1 would be skipped
    // and the two notices below would never both arrive in this order).
    expect(await bff.app.db.collection('case_events').findOne({ eventId: `evt-${acceptNo}-2` })).toEqual(
      expect.objectContaining({ appliedAt: null }),
    );
    expect((await post(event(1, 'reviewing')).answer).statusCode).toBe(200);
    await until(
      async () => (await call('GET', '/api/v1/messages', undefined, bearer(session.token))).body.total === 2,
      'two notices',
    );
    const titles = (await call('GET', '/api/v1/messages', undefined, bearer(session.token))).body.messages
      .map((m: { title: string }) => m.title)
      .reverse();
    expect(titles).toEqual([expect.stringContaining('审查中'), expect.stringContaining('决定中')]);
    expect(await bff.app.db.collection('case_events').countDocuments({ acceptNo })).toBe(2);
  });

  test('an event that cannot be applied while the core system is down is kept and applied once by the retry', async () => {
    const owner = residents.filter((c) => c.cases.length >= 1)[9];
    const session = await bindAs(owner);
    const acceptNo = owner.cases[0].acceptNo;
    const progressNotices = async () =>
      (await call('GET', '/api/v1/messages', undefined, bearer(session.token))).body.messages.filter(
        (m: { kind: string; link: string }) => m.kind === 'case_progress' && m.link.includes(acceptNo),
      );
    await admin('POST', '/__admin/faults', { route: 'GET /api/cases/:acceptNo', errorRate: 1, status: 503 });
    const event = {
      id: `evt-retry-${acceptNo}`,
      type: 'case.status_changed',
      acceptNo,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      data: { status: 'reviewing' },
    };
    expect(JSON.parse((await post(event).answer).body)).toEqual({ ok: true, duplicate: false });
    // Acknowledged (the core system must not resend it forever) but kept unapplied: no notice yet.
    await until(
      async () => (await admin('GET', '/__admin/stats')).requests[`GET /api/cases/${acceptNo}`] >= 2,
      'the BFF to try the case more than once',
    );
    expect(await bff.app.db.collection('case_events').findOne({ eventId: event.id })).toEqual(
      expect.objectContaining({ appliedAt: null }),
    );
    expect(await progressNotices()).toEqual([]);
    await admin('DELETE', '/__admin/faults');
    await until(
      async () => (await progressNotices()).length === 1,
      'the notice after the core system is back',
    );
    expect(await bff.app.db.collection('case_events').findOne({ eventId: event.id })).toEqual(
      expect.objectContaining({ appliedAt: expect.any(Date) }),
    );
    // The core system's own redelivery of it changes nothing.
    expect(JSON.parse((await post(event).answer).body)).toEqual({ ok: true, duplicate: true });
    expect(await progressNotices()).toHaveLength(1);
  });

  test('the message centre pages newest first: every notice once across the pages, the counts exact, read marks only mine', async () => {
    const owner = residents.filter((c) => c.cases.length >= 1)[10];
    const session = await bindAs(owner);
    const acceptNo = owner.cases[0].acceptNo;
    const statuses = ['reviewing', 'deciding', 'reviewing', 'deciding', 'reviewing', 'deciding', 'reviewing'];
    for (const [i, status] of statuses.entries())
      await post({
        id: `evt-page-${acceptNo}-${i + 1}`,
        type: 'case.status_changed',
        acceptNo,
        sequence: i + 1,
        occurredAt: new Date().toISOString(),
        data: { status },
      }).answer;
    const page = async (n: number, size = 3) =>
      (await call('GET', `/api/v1/messages?page=${n}&pageSize=${size}`, undefined, bearer(session.token)))
        .body;
    await until(async () => (await page(1)).total === statuses.length, 'seven notices');
    const pages = [await page(1), await page(2), await page(3), await page(4)];
    expect(pages.map((p) => [p.messages.length, p.total, p.unread, p.page])).toEqual([
      [3, 7, 7, 1],
      [3, 7, 7, 2],
      [1, 7, 7, 3],
      [0, 7, 7, 4],
    ]);
    const paged = pages.flatMap((p) => p.messages);
    const all = (await page(1, 50)).messages;
    expect(paged.map((m: { id: string }) => m.id)).toEqual(all.map((m: { id: string }) => m.id));
    expect(new Set(paged.map((m: { id: string }) => m.id)).size).toBe(7);
    const times = all.map((m: { createdAt: string }) => Date.parse(m.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const stranger = await bindAs(residents.filter((c) => c.cases.length >= 1)[11]);
    const notMine = await call(
      'POST',
      `/api/v1/messages/${all[0].id}/read`,
      undefined,
      bearer(stranger.token),
    );
    expect([notMine.status, notMine.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(
      (await call('POST', `/api/v1/messages/${all[0].id}/read`, undefined, bearer(session.token))).status,
    ).toBe(200);
    expect((await page(1)).unread).toBe(6);
    const refused = await call('GET', '/api/v1/messages?pageSize=51', undefined, bearer(session.token));
    expect([refused.status, refused.body.error.code]).toEqual([400, 'INVALID_INPUT']);
  });

  test('a signed body that is not JSON, or not an event, is 400 INVALID_INPUT and nothing is stored', async () => {
    const url = new URL(hookUrl);
    const before = await bff.app.db.collection('case_events').countDocuments();
    for (const body of [
      '{"id": "evt-x", "type": ',
      JSON.stringify({ id: 'evt-y', type: 'case.status_changed' }),
    ]) {
      const answer = await bff.app.inject({
        method: 'POST',
        url: url.pathname,
        payload: body,
        headers: {
          ...signRequest(bff.world.core.appKey, bff.world.core.appSecret, 'POST', url, body),
          'content-type': 'application/json',
        },
      });
      expect([answer.statusCode, JSON.parse(answer.body).error.code]).toEqual([400, 'INVALID_INPUT']);
    }
    expect(await bff.app.db.collection('case_events').countDocuments()).toBe(before);
  });

  test(
    'a real status change reaches the message centre and, with consent, WeChat exactly once',
    async () => {
      const [resident] = await boundCitizensOf(1);
      const session = resident.session;
      const template = bff.world.wechat.templateIds.caseProgress;
      await fetch(`${bff.world.wechat.url}/dev/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid: session.openid, templateId: template }),
      });
      await call('POST', '/api/v1/subscriptions', { templateIds: [template] }, bearer(session.token));
      // Lose the first delivery attempts: the core system retries, the citizen is told once.
      await admin('POST', '/__admin/webhooks/drop', { count: 2 });
      const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
      const item = (await call('GET', `/api/v1/items?hallId=${halls[0].id}&pageSize=50`)).body.items.find(
        (i: { approvalType: string }) => i.approvalType === 'promised',
      );
      const created = await admin('POST', '/__admin/cases', {
        idNumber: resident.idNumber,
        itemCode: item.code,
        hallId: halls[0].id,
      });
      await admin('POST', `/__admin/cases/${created.acceptNo}/review`);
      const messages = async () =>
        (await call('GET', '/api/v1/messages', undefined, bearer(session.token))).body.messages as {
          kind: string;
          title: string;
        }[];
      await until(
        async () => (await messages()).filter((m) => m.kind === 'case_progress').length === 2,
        'accepted and reviewing notices',
        20_000,
      );
      expect((await messages()).map((m) => m.title)).toEqual([
        expect.stringContaining('审查中'),
        expect.stringContaining('已受理'),
      ]);
      const inbox = async () =>
        (await (await fetch(`${bff.world.wechat.url}/dev/messages?openid=${session.openid}`)).json())
          .messages;
      // Both pushes settled (one sent on the one consent, one without consent): nothing more can go out.
      const pushes = async () =>
        (
          await bff.app.db
            .collection('messages')
            .find({ userId: session.id, kind: 'case_progress' })
            .toArray()
        ).map((m) => m.push?.state);
      await until(async () => (await pushes()).sort().join() === 'no_consent,sent', 'both pushes to settle');
      expect(await inbox()).toHaveLength(1);
      expect((await inbox())[0].data.character_string2.value).toBe(created.acceptNo);
    },
    scaled(30_000),
  );

  async function boundCitizensOf(count: number) {
    const made = await boundCitizens(call, bff.world, count);
    return made.map((m) => ({ ...m, session: m }));
  }
});

describe('delivery', () => {
  test('express to a validated address, sent to the core system and stored encrypted; pickup at a real hall', async () => {
    const owner = residents.find((c) => c.cases.some((k) => k.status === 'completed'))!;
    const acceptNo = owner.cases.find((k) => k.status === 'completed')!.acceptNo;
    const session = await bindAs(owner);
    const address = {
      name: '张三',
      phone: '13800001111',
      region: '云州市青山区',
      detail: '解放路100号3单元',
    };
    const bad = await call(
      'PUT',
      `/api/v1/cases/${acceptNo}/delivery`,
      { method: 'express', address: { ...address, phone: '12345' } },
      bearer(session.token),
    );
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect(
      (await call('PUT', `/api/v1/cases/${acceptNo}/delivery`, { method: 'express' }, bearer(session.token)))
        .body.error.code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await call(
          'PUT',
          `/api/v1/cases/${acceptNo}/delivery`,
          { method: 'pickup', hallId: 'H-NOWHERE' },
          bearer(session.token),
        )
      ).status,
    ).toBe(404);
    const chosen = await call(
      'PUT',
      `/api/v1/cases/${acceptNo}/delivery`,
      { method: 'express', address },
      bearer(session.token),
    );
    expect(chosen.status).toBe(200);
    expect(chosen.body.delivery).toEqual(expect.objectContaining({ method: 'express' }));
    expect(JSON.stringify(chosen.body)).not.toContain(address.detail);
    const core = (await admin('GET', '/__admin/cases')).cases.find(
      (c: { acceptNo: string }) => c.acceptNo === acceptNo,
    );
    expect(core.delivery).toEqual(expect.objectContaining({ method: 'express', address }));
    const stored = await bff.app.db.collection('case_snapshots').findOne({ acceptNo });
    expect(stored?.addressCipher).toEqual(expect.any(String));
    expect(JSON.stringify(stored)).not.toContain(address.detail);
    const stranger = await bindAs(residents.find((c) => c !== owner && c.cases.length > 0)!);
    expect(
      (
        await call(
          'PUT',
          `/api/v1/cases/${acceptNo}/delivery`,
          { method: 'pickup', hallId: core.hallId },
          bearer(stranger.token),
        )
      ).status,
    ).toBe(404);
    const pickup = await call(
      'PUT',
      `/api/v1/cases/${acceptNo}/delivery`,
      { method: 'pickup', hallId: chosen.body.hallId },
      bearer(session.token),
    );
    expect([pickup.status, pickup.body.delivery]).toEqual([200, { method: 'pickup', hallId: core.hallId }]);
  });

  test('a delivered case keeps its delivery: 409 DELIVERY_NOT_CHANGEABLE whether the BFF or the core system knows it first', async () => {
    const owner = residents.filter((c) => c.cases.some((k) => k.status === 'completed'))[1];
    const acceptNo = owner.cases.find((k) => k.status === 'completed')!.acceptNo;
    const session = await bindAs(owner);
    const cached = await call('GET', `/api/v1/cases/${acceptNo}`, undefined, bearer(session.token));
    expect(cached.body.status).toBe('completed');
    const coreDelivery = async () =>
      (await admin('GET', '/__admin/cases')).cases.find((c: { acceptNo: string }) => c.acceptNo === acceptNo)
        .delivery;
    const chosen = await call(
      'PUT',
      `/api/v1/cases/${acceptNo}/delivery`,
      { method: 'pickup', hallId: cached.body.hallId },
      bearer(session.token),
    );
    expect(chosen.status).toBe(200);
    const before = await coreDelivery();
    // The core system hands the result over while its event to the BFF is lost: the BFF's copy
    // still says completed, and the core system's refusal is what the citizen is told.
    await admin('PUT', '/__admin/webhooks/url', { url: '' });
    try {
      await admin('POST', `/__admin/cases/${acceptNo}/deliver`);
      const refused = await call(
        'PUT',
        `/api/v1/cases/${acceptNo}/delivery`,
        {
          method: 'express',
          address: { name: '张三', phone: '13800001111', region: '云州市', detail: '解放路1号' },
        },
        bearer(session.token),
      );
      expect([refused.status, refused.body.error.code]).toEqual([409, 'DELIVERY_NOT_CHANGEABLE']);
      expect(await coreDelivery()).toEqual(before);
    } finally {
      await admin('PUT', '/__admin/webhooks/url', { url: hookUrl });
    }
    // Once the BFF knows it is delivered, it refuses without asking the core system.
    const delivered = residents.find((c) => c.cases.some((k) => k.status === 'delivered'))!;
    const deliveredNo = delivered.cases.find((k) => k.status === 'delivered')!.acceptNo;
    const holder = await bindAs(delivered);
    const again = await call(
      'PUT',
      `/api/v1/cases/${deliveredNo}/delivery`,
      { method: 'pickup', hallId: cached.body.hallId },
      bearer(holder.token),
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'DELIVERY_NOT_CHANGEABLE']);
  });
});
