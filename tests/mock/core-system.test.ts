// The core case system simulator, driven the way the BFF drives it: signed HTTP, webhooks
// back to a receiver, and the admin controls tests use to arrange the world.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startCoreSystem, type CoreSystemHandle } from '@onewindow/mock/core/server';
import { SignatureVerifier } from '@onewindow/mock/core/signing';
import { coreAdmin, coreCaller } from '../support/core-client';
import { until } from '../support/until';

let core: CoreSystemHandle;
let call: ReturnType<typeof coreCaller>;
let admin: ReturnType<typeof coreAdmin>;

beforeAll(async () => {
  core = await startCoreSystem({
    appKey: 'bff-test',
    appSecret: randomBytes(32).toString('hex'),
    webhookBaseDelayMs: 20,
    webhookMaxDelayMs: 200,
  });
  call = coreCaller(core);
  admin = coreAdmin(core);
});
afterAll(() => core.stop());
afterEach(() => admin('POST', '/__admin/reset'));

describe('request signing', () => {
  test('a correctly signed request is answered', async () => {
    expect(await call('GET', '/api/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  test.each([
    ['no signature headers', { 'x-signature': '' }, 'SIGNATURE_MISSING'],
    ['an unknown app key', { 'x-app-key': 'someone-else' }, 'APP_KEY_UNKNOWN'],
    ['a timestamp six minutes old', { 'x-timestamp': String(Date.now() - 6 * 60_000) }, 'TIMESTAMP_SKEWED'],
    ['a signature made with another secret', { 'x-signature': 'ab'.repeat(32) }, 'SIGNATURE_INVALID'],
  ])('%s is refused with 401 %s', async (_name, override, code) => {
    const answer = await call('GET', '/api/items', undefined, override);
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(code);
  });

  test('a replayed request (same nonce) is refused', async () => {
    const url = new URL('/api/health', core.url);
    const { signedHeaders } = await import('@onewindow/mock/core/signing');
    const headers = signedHeaders(core.appKey, core.appSecret, {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: '',
    });
    expect((await fetch(url, { headers })).status).toBe(200);
    const replay = await fetch(url, { headers });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('NONCE_REPLAYED');
  });

  test('a body changed after signing is refused', async () => {
    const url = new URL('/api/identity/verify', core.url);
    const { signedHeaders } = await import('@onewindow/mock/core/signing');
    const signedBody = JSON.stringify({ name: '甲', idNumber: '1', phone: '1' });
    const headers = signedHeaders(core.appKey, core.appSecret, {
      method: 'POST',
      path: url.pathname,
      query: url.searchParams,
      body: signedBody,
    });
    const answer = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: '乙', idNumber: '1', phone: '1' }),
    });
    expect(answer.status).toBe(401);
  });

  test('the query is part of the signature', async () => {
    const { signedHeaders } = await import('@onewindow/mock/core/signing');
    const signedFor = new URL('/api/tasks?approverId=S-MZJ-SP1', core.url);
    const headers = signedHeaders(core.appKey, core.appSecret, {
      method: 'GET',
      path: signedFor.pathname,
      query: signedFor.searchParams,
      body: '',
    });
    const answer = await fetch(new URL('/api/tasks?approverId=S-MZJ-SP2', core.url), { headers });
    expect(answer.status).toBe(401);
  });
});

describe('seed data', () => {
  test('halls in three levels, at least 30, with hours, windows and queue lines', async () => {
    const { body } = await call('GET', '/api/halls');
    const halls = body.halls as any[];
    expect(halls.length).toBeGreaterThanOrEqual(30);
    const levels = new Set(halls.map((h) => h.level));
    expect(levels).toEqual(new Set(['district', 'street', 'community']));
    for (const hall of halls) {
      expect(hall.windows.length).toBeGreaterThan(0);
      expect(hall.categories.length).toBeGreaterThan(0);
      if (hall.parentId) expect(halls.some((h) => h.id === hall.parentId)).toBe(true);
    }
    expect(halls.some((h) => h.hours.weekday.lunch)).toBe(true);
    expect(halls.some((h) => h.hours.evening)).toBe(true);
    expect(halls.some((h) => h.hours.weekend)).toBe(true);
  });

  test('40+ items across 8+ departments, each with a complete guide', async () => {
    const { body } = await call('GET', '/api/items');
    const items = body.items as any[];
    expect(items.length).toBeGreaterThanOrEqual(40);
    expect(new Set(items.map((i) => i.departmentCode)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(items.map((i) => i.code)).size).toBe(items.length);
    for (const item of items) {
      expect(item.legalBasis.length).toBeGreaterThan(0);
      expect(item.conditions.length).toBeGreaterThan(0);
      expect(item.materials.length).toBeGreaterThan(0);
      expect(item.hallIds.length).toBeGreaterThan(0);
      for (const m of item.materials)
        expect(m).toEqual(
          expect.objectContaining({
            name: expect.any(String),
            legalBasis: expect.any(String),
            copies: expect.any(Number),
          }),
        );
    }
    const names = items.map((i) => i.name);
    for (const name of [
      '生育登记',
      '残疾人证办理',
      '城乡居民医保参保登记',
      '城乡低保申请',
      '个体工商户登记',
      '食品经营许可',
    ])
      expect(names).toContain(name);
    const one = await call('GET', `/api/items/${items[0].code}`);
    expect(one.body.code).toBe(items[0].code);
    expect((await call('GET', '/api/items/nope')).status).toBe(404);
  });

  test('50 citizens and 200+ cases in every stage, some in correction, some yellow, some red', async () => {
    const { citizens } = await admin<{ citizens: any[] }>('GET', '/__admin/citizens');
    expect(citizens).toHaveLength(50);
    const { cases } = await admin<{ cases: any[] }>('GET', '/__admin/cases');
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const statuses = new Set(cases.map((c) => c.status));
    expect(statuses).toEqual(
      new Set(['accepted', 'reviewing', 'deciding', 'correcting', 'completed', 'delivered']),
    );
    expect(cases.filter((c) => c.correction?.status === 'open').length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.warning === 'yellow').length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.warning === 'red').length).toBeGreaterThan(0);
  });

  test('the same seed gives the same world', async () => {
    const other = await startCoreSystem({ appKey: 'k', appSecret: 's'.repeat(32) });
    try {
      const theirs = await coreAdmin(other)<{ cases: any[] }>('GET', '/__admin/cases');
      const ours = await admin<{ cases: any[] }>('GET', '/__admin/cases');
      expect(theirs.cases.map((c) => [c.acceptNo, c.status, c.applicant.idNumber])).toEqual(
        ours.cases.map((c) => [c.acceptNo, c.status, c.applicant.idNumber]),
      );
    } finally {
      await other.stop();
    }
  });
});

describe('staff and identity', () => {
  test('staff verify with the seeded password; a wrong one is BAD_CREDENTIALS', async () => {
    const { staff, password } = await admin<{ staff: any[]; password: string }>('GET', '/__admin/staff');
    const approver = staff.find((s) => s.role === 'approver');
    const ok = await call('POST', '/api/staff/verify', { username: approver.username, password });
    expect(ok.status).toBe(200);
    expect(ok.body.staff).toEqual(
      expect.objectContaining({ id: approver.id, role: 'approver', departmentCode: approver.departmentCode }),
    );
    expect(ok.body.staff.passwordHash).toBeUndefined();
    const bad = await call('POST', '/api/staff/verify', {
      username: approver.username,
      password: `${password}x`,
    });
    expect(bad).toEqual({ status: 401, body: expect.objectContaining({ code: 'BAD_CREDENTIALS' }) });
    const unknown = await call('POST', '/api/staff/verify', { username: 'nobody', password });
    expect(unknown.status).toBe(401);
    expect(new Set(staff.map((s) => s.role))).toEqual(new Set(['window', 'approver', 'supervisor']));
  });

  test('identity check matches name + ID number + phone, and only all three', async () => {
    const { citizens } = await admin<{ citizens: any[] }>('GET', '/__admin/citizens');
    const c = citizens[0];
    expect(
      (await call('POST', '/api/identity/verify', { name: c.name, idNumber: c.idNumber, phone: c.phone }))
        .body,
    ).toEqual({ match: true });
    expect(
      (
        await call('POST', '/api/identity/verify', {
          name: c.name,
          idNumber: c.idNumber,
          phone: '13800000000',
        })
      ).body,
    ).toEqual({ match: false });
    expect(
      (await call('POST', '/api/identity/verify', { name: '某某', idNumber: c.idNumber, phone: c.phone }))
        .body,
    ).toEqual({ match: false });
    expect((await call('POST', '/api/identity/verify', { name: c.name })).status).toBe(400);
  });

  test('cases by applicant identity', async () => {
    const { citizens } = await admin<{ citizens: any[] }>('GET', '/__admin/citizens');
    const c = citizens[3];
    const { body } = await call('POST', '/api/cases/search', { idNumber: c.idNumber });
    expect(body.cases.length).toBe(c.cases.length);
    for (const k of body.cases) expect(k.applicant.idNumber).toBe(c.idNumber);
  });
});

describe('the case state machine', () => {
  async function openTask(stage: '审查' | '决定') {
    const { tasks } = await admin<{ tasks: any[] }>('GET', '/__admin/tasks');
    return tasks.find((t) => t.status === 'open' && t.stage === stage);
  }

  test('审查 → 决定 → return → 补正 → 审查 → 决定 → 办结 → 送达', async () => {
    const review = await openTask('审查');
    const approved = await call('POST', `/api/tasks/${review.id}/decision`, {
      decision: 'approve',
      opinion: '材料齐全',
      version: review.version,
      approverId: review.approverId,
      idempotencyKey: 'k1',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.case.status).toBe('deciding');
    const assigned = (await admin<{ tasks: any[] }>('GET', '/__admin/tasks')).tasks.find(
      (t) => t.acceptNo === review.acceptNo && t.status === 'open',
    );
    const decideTask = (await call('GET', `/api/tasks?approverId=${assigned.approverId}`)).body.tasks.find(
      (t: any) => t.acceptNo === review.acceptNo,
    );
    expect(decideTask.stage).toBe('决定');
    expect(decideTask.approverId).not.toBe(review.approverId);

    const { body: kase } = await call('GET', `/api/cases/${review.acceptNo}`);
    const material = kase.materials[0];
    const returned = await call('POST', `/api/tasks/${decideTask.id}/decision`, {
      decision: 'return',
      opinion: '请补正',
      deficiencies: [{ materialCode: material.code, reason: '照片不清晰' }],
      version: decideTask.version,
      approverId: decideTask.approverId,
      idempotencyKey: 'k2',
    });
    expect(returned.body.case.status).toBe('correcting');
    const { body: open } = await call('GET', `/api/cases/${review.acceptNo}/corrections`);
    expect(open.correction.items).toEqual([
      expect.objectContaining({ materialCode: material.code, reason: '照片不清晰' }),
    ]);

    const missing = await call(
      'POST',
      `/api/cases/${review.acceptNo}/corrections/${open.correction.id}/submission`,
      { files: [{ materialCode: 'other', key: 'x' }], idempotencyKey: 'c0' },
    );
    expect(missing.status).toBe(400);
    const submitted = await call(
      'POST',
      `/api/cases/${review.acceptNo}/corrections/${open.correction.id}/submission`,
      {
        files: [{ materialCode: material.code, key: `cases/${review.acceptNo}/corrections/new.jpg` }],
        idempotencyKey: 'c1',
      },
    );
    expect(submitted.body.case.status).toBe('reviewing');
    expect(submitted.body.case.materials[0].key).toBe(`cases/${review.acceptNo}/corrections/new.jpg`);
    const again = await call(
      'POST',
      `/api/cases/${review.acceptNo}/corrections/${open.correction.id}/submission`,
      { files: [{ materialCode: material.code, key: 'k' }], idempotencyKey: 'c1' },
    );
    expect(again.body).toEqual(submitted.body);

    const { body: afterCorrection } = await call('GET', `/api/cases/${review.acceptNo}`);
    const stages = afterCorrection.timeline.map((t: any) => t.stage);
    expect(stages.slice(-4)).toEqual(['审查', '决定', '补正', '审查']);

    const tasks = (await admin<{ tasks: any[] }>('GET', '/__admin/tasks')).tasks.filter(
      (t) => t.acceptNo === review.acceptNo && t.status === 'open',
    );
    expect(tasks).toHaveLength(1);
    const r2 = await call('POST', `/api/tasks/${tasks[0].id}/decision`, {
      decision: 'approve',
      opinion: '同意',
      version: 1,
      approverId: tasks[0].approverId,
      idempotencyKey: 'k3',
    });
    const d2 = (await admin<{ tasks: any[] }>('GET', '/__admin/tasks')).tasks.find(
      (t) => t.acceptNo === review.acceptNo && t.status === 'open',
    );
    expect(r2.body.case.status).toBe('deciding');
    const done = await call('POST', `/api/tasks/${d2.id}/decision`, {
      decision: 'approve',
      opinion: '准予许可',
      version: 1,
      approverId: d2.approverId,
      idempotencyKey: 'k4',
    });
    expect(done.body.case).toEqual(expect.objectContaining({ status: 'completed', result: 'approved' }));

    const delivery = await call('PUT', `/api/cases/${review.acceptNo}/delivery`, {
      method: 'express',
      address: { name: '张三', phone: '13800000000', region: '云州市青山区', detail: '幸福小区1栋101' },
    });
    expect(delivery.body.case.delivery.method).toBe('express');
    const delivered = await admin('POST', `/__admin/cases/${review.acceptNo}/deliver`);
    expect(delivered.status).toBe('delivered');
    expect(delivered.delivery.tracking).toMatch(/^EMS/);
  });

  test('a stale version is VERSION_CONFLICT; a decided task is ALREADY_DECIDED; a retried decision is applied once', async () => {
    const task = await openTask('审查');
    const stale = await call('POST', `/api/tasks/${task.id}/decision`, {
      decision: 'approve',
      opinion: '',
      version: task.version + 5,
      approverId: task.approverId,
      idempotencyKey: 's1',
    });
    expect(stale).toEqual({ status: 409, body: expect.objectContaining({ code: 'VERSION_CONFLICT' }) });
    const body = {
      decision: 'reject',
      opinion: '不符合条件',
      version: task.version,
      approverId: task.approverId,
      idempotencyKey: 's2',
    };
    const first = await call('POST', `/api/tasks/${task.id}/decision`, body);
    const retried = await call('POST', `/api/tasks/${task.id}/decision`, body);
    expect(retried).toEqual(first);
    const { body: kase } = await call('GET', `/api/cases/${task.acceptNo}`);
    expect(kase.timeline.filter((t: any) => t.stage === '办结')).toHaveLength(1);
    const other = await call('POST', `/api/tasks/${task.id}/decision`, { ...body, idempotencyKey: 's3' });
    expect(other).toEqual({ status: 409, body: expect.objectContaining({ code: 'ALREADY_DECIDED' }) });
  });

  test('two approvers racing on one task: exactly one wins', async () => {
    const task = await openTask('决定');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('POST', `/api/tasks/${task.id}/decision`, {
          decision: 'approve',
          opinion: '同意',
          version: task.version,
          approverId: task.approverId,
          idempotencyKey: `race-${i}`,
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
  });

  test('reject needs a reason, return needs deficiencies, and illegal transitions are refused', async () => {
    const task = await openTask('审查');
    expect(
      (
        await call('POST', `/api/tasks/${task.id}/decision`, {
          decision: 'reject',
          opinion: ' ',
          version: 1,
          approverId: task.approverId,
          idempotencyKey: 'r1',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', `/api/tasks/${task.id}/decision`, {
          decision: 'return',
          opinion: 'x',
          version: 1,
          approverId: task.approverId,
          idempotencyKey: 'r2',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', `/api/tasks/${task.id}/decision`, {
          decision: 'approve',
          opinion: 'x',
          version: 1,
          approverId: 'S-someone',
          idempotencyKey: 'r3',
        })
      ).status,
    ).toBe(403);
    const { cases } = await admin<{ cases: any[] }>('GET', '/__admin/cases?status=completed');
    const review = await fetch(new URL(`/__admin/cases/${cases[0].acceptNo}/review`, core.url), {
      method: 'POST',
    });
    expect(review.status).toBe(409);
    expect((await review.json()).code).toBe('ILLEGAL_TRANSITION');
  });

  test('a new acceptance counts its deadline in working days; an immediate item is done at once', async () => {
    const { citizens } = await admin<{ citizens: any[] }>('GET', '/__admin/citizens');
    const { body } = await call('GET', '/api/items');
    const promised = body.items.find((i: any) => i.promisedDays === 10);
    const created = await admin('POST', '/__admin/cases', {
      idNumber: citizens[0].idNumber,
      itemCode: promised.code,
      hallId: promised.hallIds[0],
    });
    expect(created.status).toBe('accepted');
    const days = (Date.parse(created.dueAt) - Date.parse(created.acceptedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(12); // 10 working days span at least two weekends
    const immediate = body.items.find((i: any) => i.promisedDays === 0);
    const done = await admin('POST', '/__admin/cases', {
      idNumber: citizens[0].idNumber,
      itemCode: immediate.code,
      hallId: immediate.hallIds[0],
    });
    expect(done).toEqual(expect.objectContaining({ status: 'completed', result: 'approved' }));
  });

  test('a green case turns red when the clock passes its deadline', async () => {
    const { cases } = await admin<{ cases: any[] }>('GET', '/__admin/cases?status=reviewing');
    const green = cases.find((c) => c.warning === 'green');
    await admin('POST', '/__admin/clock', { offsetMs: Date.parse(green.dueAt) - Date.now() + 60_000 });
    const { body } = await call('GET', `/api/cases/${green.acceptNo}`);
    expect(body.warning).toBe('red');
    const supervision = await call('GET', '/api/supervision?warning=red');
    expect(supervision.body.cases.map((c: any) => c.acceptNo)).toContain(green.acceptNo);
  });
});

describe('webhooks', () => {
  let receiver: Server;
  let received: { body: any; headers: Record<string, any> }[];
  let failuresLeft: number;

  beforeEach(async () => {
    received = [];
    failuresLeft = 0;
    const verifier = new SignatureVerifier(core.appKey, core.appSecret);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const url = new URL(req.url!, 'http://x');
        if (
          verifier.rejectionOf(req.headers, {
            method: req.method!,
            path: url.pathname,
            query: url.searchParams,
            body: raw,
          })
        ) {
          res.writeHead(401).end();
          return;
        }
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          res.writeHead(500).end();
          return;
        }
        received.push({ body: JSON.parse(raw.toString()), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    core.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/core/case-events`);
  });
  afterEach(async () => {
    core.setWebhookUrl(undefined);
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });

  async function decideOne() {
    const { tasks } = await admin<{ tasks: any[] }>('GET', '/__admin/tasks');
    const task = tasks.find((t) => t.status === 'open' && t.stage === '审查');
    await call('POST', `/api/tasks/${task.id}/decision`, {
      decision: 'approve',
      opinion: '同意',
      version: task.version,
      approverId: task.approverId,
      idempotencyKey: `w-${task.id}`,
    });
    return task;
  }

  test('status changes and task assignments arrive signed, in sequence per case', async () => {
    const task = await decideOne();
    await until(() => received.length >= 2, 'two webhook deliveries');
    const events = received
      .map((r) => r.body)
      .filter((e) => e.acceptNo === task.acceptNo)
      .sort((a, b) => a.sequence - b.sequence);
    expect(events.map((e) => e.type)).toEqual(['case.status_changed', 'task.assigned']);
    expect(events[0].data).toEqual(expect.objectContaining({ from: 'reviewing', to: 'deciding' }));
    expect(events[1].sequence).toBe(events[0].sequence + 1);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  test('a receiver that fails gets the event again until it acknowledges', async () => {
    failuresLeft = 3;
    await decideOne();
    await until(() => received.length >= 2, 'two webhook deliveries');
    const { deliveries } = await admin<{ deliveries: any[] }>('GET', '/__admin/webhooks');
    expect(deliveries.reduce((n, d) => n + d.attempts, 0)).toBe(2 + 3);
    expect(deliveries.every((d) => d.deliveredAt)).toBe(true);
  });

  test('dropped deliveries are retried and still arrive', async () => {
    await admin('POST', '/__admin/webhooks/drop', { count: 2 });
    await decideOne();
    await until(() => received.length >= 2, 'two webhook deliveries');
    const { deliveries } = await admin<{ deliveries: any[] }>('GET', '/__admin/webhooks');
    expect(deliveries.reduce((n, d) => n + d.attempts, 0)).toBe(4);
  });

  test('events wait while no receiver is configured and go out once one is', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/core/case-events`;
    core.setWebhookUrl(undefined);
    await decideOne();
    // Both events are held in the outbox, undelivered, while there is nowhere to send them.
    await until(
      async () =>
        (await admin<{ deliveries: any[] }>('GET', '/__admin/webhooks')).deliveries.filter(
          (d) => !d.deliveredAt,
        ).length === 2,
      'two held events',
    );
    expect(received).toHaveLength(0);
    core.setWebhookUrl(url);
    await until(() => received.length >= 2, 'two webhook deliveries');
  });
});

describe('fault injection', () => {
  test('latency, errors for a number of requests, then normal again', async () => {
    await admin('POST', '/__admin/faults', {
      route: 'GET /api/items/:code',
      errorRate: 1,
      status: 503,
      times: 2,
    });
    await admin('POST', '/__admin/faults', { route: 'GET /api/halls', latencyMs: 150, times: 1 });
    const { body } = await call('GET', '/api/items');
    const code = body.items[0].code;
    expect((await call('GET', `/api/items/${code}`)).status).toBe(503);
    expect((await call('GET', `/api/items/${code}`)).body.code).toBe('INJECTED_FAULT');
    expect((await call('GET', `/api/items/${code}`)).status).toBe(200);
    const started = Date.now();
    expect((await call('GET', '/api/halls')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('a timeout fault never answers; the caller gives up', async () => {
    await admin('POST', '/__admin/faults', { route: '*', timeout: true, times: 1 });
    const url = new URL('/api/health', core.url);
    const { signedHeaders } = await import('@onewindow/mock/core/signing');
    const headers = signedHeaders(core.appKey, core.appSecret, {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: '',
    });
    await expect(fetch(url, { headers, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await call('GET', '/api/health')).status).toBe(200);
  });

  test('reset restores the seed', async () => {
    const { tasks } = await admin<{ tasks: any[] }>('GET', '/__admin/tasks');
    const task = tasks.find((t) => t.status === 'open');
    await call('POST', `/api/tasks/${task.id}/decision`, {
      decision: 'reject',
      opinion: '不符合',
      version: task.version,
      approverId: task.approverId,
      idempotencyKey: 'reset-1',
    });
    await admin('POST', '/__admin/reset');
    const after = await admin<{ tasks: any[] }>('GET', '/__admin/tasks');
    expect(after.tasks.find((t) => t.id === task.id).status).toBe('open');
  });
});
