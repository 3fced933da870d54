// Mobile sign-off and supervision against the core simulator's real task state machine, real
// signature uploads to the OSS simulator, and MongoDB: the approver's inbox, each decision
// reaching the core system, one decision per task under concurrency and lost answers, who may
// see what, the hash-chained audit log, and the supervisor's yellow and red lists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ossClient } from '../support/oss';
import { buildApp } from '@onewindow/bff';
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin, coreCaller } from '../support/core-client';
import { caseInCorrection } from '../support/cases';
import { bearer, boundCitizens, type ApiCall, type Citizen, injectCaller } from '../support/citizens';
import { until, untilAnswer } from '../support/until';
import { scaled } from '../support/time-scale';
import { MovableClock } from '../support/clock';

const SIGNATURE = readFileSync(join(__dirname, '..', 'fixtures', 'id-card.png'));

interface Staff {
  id: string;
  username: string;
  name: string;
  role: string;
  hallId?: string;
  departmentCode?: string;
}
interface CoreTask {
  id: string;
  acceptNo: string;
  approverId: string;
  stage: string;
  dueAt: string;
  warning: string;
  version: number;
  status: string;
}
interface CoreCase {
  acceptNo: string;
  hallId: string;
  departmentCode: string;
  status: string;
  result: string | null;
  warning: string;
  timeline: { status: string }[];
  correction: { id: string; items: { materialCode: string; reason: string }[] } | null;
}

let bff: TestBff;
let admin: ReturnType<typeof coreAdmin>;
let core: ReturnType<typeof coreCaller>;
let staff: Staff[];
let password: string;
let halls: { id: string; district: string }[];

let call: ApiCall;

beforeAll(async () => {
  bff = await startTestBff('signoff', {
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
    DECISION_RETRY_MS: '300',
    TASK_WARNING_SWEEP_MS: '300',
    CASE_EVENT_RETRY_MS: '300',
    NOTIFY_RETRY_MS: '300',
  });
  call = injectCaller(bff.app);
  const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
  bff.world.core.setWebhookUrl(`${address}/api/v1/hooks/core/case-events`);
  admin = coreAdmin(bff.world.core);
  core = coreCaller(bff.world.core);
  ({ staff, password } = await admin('GET', '/__admin/staff'));
  ({ halls } = (await core('GET', '/api/halls')).body);
}, scaled(60_000));
afterAll(() => bff.stop());
afterEach(async () => {
  await admin('DELETE', '/__admin/faults');
});

const tokens = new Map<string, Record<string, string>>();
async function login(member: Staff, fresh = false): Promise<Record<string, string>> {
  if (!fresh && tokens.has(member.id)) return tokens.get(member.id)!;
  const answer = await call('POST', '/api/v1/auth/staff', { username: member.username, password });
  expect(answer.status).toBe(200);
  const auth = bearer(answer.body.accessToken);
  if (!fresh) tokens.set(member.id, auth);
  return auth;
}
const member = (id: string) => staff.find((s) => s.id === id)!;
const coreTasks = async (): Promise<CoreTask[]> =>
  (await admin<{ tasks: CoreTask[] }>('GET', '/__admin/tasks')).tasks;
const district = (hallId: string) => halls.find((h) => h.id === hallId)!.district;
const coreCase = async (acceptNo: string): Promise<CoreCase> =>
  (await core('GET', `/api/cases/${acceptNo}`)).body;

/** A new case for the resident, in review, with its open review task. */
async function caseInReview(
  idNumber: string,
): Promise<{ acceptNo: string; task: CoreTask; approver: Staff; materials: { code: string }[] }> {
  const { items } = (await core('GET', '/api/items')).body as {
    items: {
      code: string;
      promisedDays: number;
      hallIds: string[];
      materials: { code: string; required: boolean }[];
    }[];
  };
  const item = items.find(
    (i) => i.promisedDays > 0 && i.materials.filter((m) => m.required).length >= 2 && i.hallIds.length > 0,
  )!;
  const accepted = await admin<{ acceptNo: string }>('POST', '/__admin/cases', {
    idNumber,
    itemCode: item.code,
    hallId: item.hallIds[0],
  });
  await admin('POST', `/__admin/cases/${accepted.acceptNo}/review`);
  const task = (await coreTasks()).find((t) => t.acceptNo === accepted.acceptNo && t.status === 'open')!;
  return {
    acceptNo: accepted.acceptNo,
    task,
    approver: member(task.approverId),
    materials: item.materials.filter((m) => m.required),
  };
}

/** Signs on the phone: a PostObject policy for the task, then the PNG straight to OSS. */
async function sign(
  auth: Record<string, string>,
  taskId: string,
  bytes: Buffer = SIGNATURE,
): Promise<string> {
  const policy = await call(
    'POST',
    `/api/v1/staff/tasks/${taskId}/signature-policy`,
    { contentType: 'image/png', size: bytes.length },
    auth,
  );
  expect(policy.status).toBe(200);
  const form = new FormData();
  for (const [k, v] of Object.entries(policy.body.formData as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'signature.png');
  const posted = await fetch(`${policy.body.host}/`, { method: 'POST', body: form });
  expect(posted.status).toBe(201);
  return policy.body.key;
}

let resident: Citizen;
beforeAll(async () => {
  [resident] = await boundCitizens(call, bff.world, 1);
});

describe('the approver', () => {
  test('sees their own open tasks, red before yellow before green, with the warnings and deadlines the core system has', async () => {
    const open = (await coreTasks()).filter((t) => t.status === 'open');
    // The approver with the most urgent mix of seeded tasks.
    const byApprover = new Map<string, CoreTask[]>();
    for (const t of open) byApprover.set(t.approverId, [...(byApprover.get(t.approverId) ?? []), t]);
    const [approverId, theirs] = [...byApprover.entries()].sort(
      (a, b) =>
        new Set(b[1].map((t) => t.warning)).size - new Set(a[1].map((t) => t.warning)).size ||
        b[1].length - a[1].length,
    )[0];
    expect(new Set(theirs.map((t) => t.warning)).size).toBeGreaterThan(1);

    const inbox = await call('GET', '/api/v1/staff/tasks', undefined, await login(member(approverId)));
    expect(inbox.status).toBe(200);
    expect(inbox.body.tasks.map((t: { id: string }) => t.id).sort()).toEqual(theirs.map((t) => t.id).sort());
    const rank: Record<string, number> = { red: 0, yellow: 1, green: 2 };
    const listed = inbox.body.tasks as {
      id: string;
      warning: string;
      dueAt: string;
      workingDaysLeft: number;
      itemName: string;
    }[];
    for (let i = 1; i < listed.length; i += 1) {
      const [a, b] = [listed[i - 1], listed[i]];
      expect(rank[a.warning] < rank[b.warning] || (a.warning === b.warning && a.dueAt <= b.dueAt)).toBe(true);
    }
    for (const t of listed) {
      const seeded = theirs.find((s) => s.id === t.id)!;
      expect(t.warning).toBe(seeded.warning);
      expect(t.dueAt).toBe(seeded.dueAt);
      expect(t.itemName).not.toBe('');
      // Overdue tasks count working days since; the others count what is left.
      if (t.warning === 'red') expect(t.workingDaysLeft).toBeLessThanOrEqual(0);
      else expect(t.workingDaysLeft).toBeGreaterThan(0);
    }
    expect(inbox.body.counts).toEqual({
      red: listed.filter((t) => t.warning === 'red').length,
      yellow: listed.filter((t) => t.warning === 'yellow').length,
      green: listed.filter((t) => t.warning === 'green').length,
    });
  });

  test('opens a task: the applicant masked, every material readable through a signed URL, the correction history and earlier decisions', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const detail = await call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, auth);
    expect(detail.status).toBe(200);
    expect(detail.body.case.acceptNo).toBe(acceptNo);
    expect(detail.body.applicant.name).toBe(resident.name);
    expect(detail.body.applicant.idNumberMasked).toBe(
      `${resident.idNumber.slice(0, 3)}${'*'.repeat(resident.idNumber.length - 7)}${resident.idNumber.slice(-4)}`,
    );
    expect(detail.body.applicant.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    // Nowhere in the answer is the whole identity number.
    expect(JSON.stringify(detail.body)).not.toContain(resident.idNumber);
    expect(detail.body.materials.length).toBeGreaterThanOrEqual(2);
    for (const material of detail.body.materials) {
      expect(material.contentType).toBe('application/pdf');
      const url = new URL(material.url);
      expect(Number(url.searchParams.get('Expires')) * 1000 - Date.now()).toBeLessThanOrEqual(
        bff.config.signoff.materialUrlTtlSeconds * 1000 + 2000,
      );
      const file = await fetch(material.url);
      expect(file.status).toBe(200);
      expect(
        Buffer.from(await file.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      // Without the signature the object is not public.
      expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(403);
    }
    expect(detail.body.itemMaterials.length).toBeGreaterThanOrEqual(detail.body.materials.length);
    expect(detail.body.history).toEqual([]);
    expect(detail.body.task).toMatchObject({
      id: task.id,
      stage: '审查',
      status: 'open',
      version: task.version,
      decision: null,
    });

    // A case that went through a correction shows it, and the earlier decision that asked for it.
    const corrected = await caseInCorrection(bff.world, resident.idNumber, 2);
    const resubmitted = await core(
      'POST',
      `/api/cases/${corrected.acceptNo}/corrections/${corrected.correctionId}/submission`,
      {
        files: corrected.items.map((item) => ({
          materialCode: item.materialCode,
          key: `corrections/${corrected.acceptNo}/${item.materialCode}.png`,
        })),
        idempotencyKey: `resubmit-${corrected.acceptNo}`,
      },
    );
    expect(resubmitted.status).toBe(200);
    const reviewTask = (await coreTasks()).find(
      (t) => t.acceptNo === corrected.acceptNo && t.status === 'open',
    )!;
    const withHistory = await call(
      'GET',
      `/api/v1/staff/tasks/${reviewTask.id}`,
      undefined,
      await login(member(reviewTask.approverId)),
    );
    expect(withHistory.status).toBe(200);
    expect(withHistory.body.corrections).toEqual([
      expect.objectContaining({
        items: corrected.items.map((item) =>
          expect.objectContaining({ materialCode: item.materialCode, reason: item.reason }),
        ),
      }),
    ]);
  });
});

describe('decisions reach the core system', () => {
  test('approve at review, then approve at decision: the case is completed as approved, by two different approvers', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const approved = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      {
        decision: 'approve',
        opinion: '材料齐全，符合条件',
        signatureKey: await sign(auth, task.id),
        version: task.version,
      },
      auth,
    );
    expect(approved.status).toBe(200);
    // Not `attempts: 1`: with this suite's 300 ms resend interval a busy machine's slow first send
    // is resent while in flight; the idempotency key makes that one decision, which is what counts.
    expect(approved.body.decision).toMatchObject({ state: 'applied', decision: 'approve' });
    expect((await coreCase(acceptNo)).status).toBe('deciding');

    const decide = (await coreTasks()).find(
      (t) => t.acceptNo === acceptNo && t.stage === '决定' && t.status === 'open',
    )!;
    expect(decide.approverId).not.toBe(approver.id);
    const deciderAuth = await login(member(decide.approverId));
    const detail = await call('GET', `/api/v1/staff/tasks/${decide.id}`, undefined, deciderAuth);
    expect(detail.body.history).toEqual([
      expect.objectContaining({
        taskId: task.id,
        stage: '审查',
        approverId: approver.id,
        decision: 'approve',
        opinion: '材料齐全，符合条件',
      }),
    ]);
    const final = await call(
      'POST',
      `/api/v1/staff/tasks/${decide.id}/decision`,
      {
        decision: 'approve',
        opinion: '准予许可',
        signatureKey: await sign(deciderAuth, decide.id),
        version: decide.version,
      },
      deciderAuth,
    );
    expect(final.status).toBe(200);
    const done = await coreCase(acceptNo);
    expect(done.status).toBe('completed');
    expect(done.result).toBe('approved');
  });

  test('reject needs a reason, and then completes the case as rejected', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const signatureKey = await sign(auth, task.id);
    const noReason = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { decision: 'reject', opinion: '   ', signatureKey, version: task.version },
      auth,
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('INVALID_INPUT');
    const rejected = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { decision: 'reject', opinion: '申请人不符合申领条件', signatureKey, version: task.version },
      auth,
    );
    expect(rejected.status).toBe(200);
    const done = await coreCase(acceptNo);
    expect(done.status).toBe('completed');
    expect(done.result).toBe('rejected');
  });

  test('return for correction: the deficiencies become the notice the citizen sees, in the case and in the message centre', async () => {
    // The citizen accepted WeChat's correction-notice subscription (asked on the case page).
    const template = bff.world.wechat.templateIds.correctionNotice;
    await fetch(`${bff.world.wechat.url}/dev/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: resident.openid, templateId: template }),
    });
    await call('POST', '/api/v1/subscriptions', { templateIds: [template] }, bearer(resident.token));
    const { acceptNo, task, approver, materials } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const signatureKey = await sign(auth, task.id);
    const deficiencies = [
      { materialCode: materials[0].code, reason: '复印件不清晰' },
      { materialCode: materials[1].code, reason: '缺少单位盖章' },
    ];
    const refusals = [
      [{ decision: 'return', opinion: '请补正', signatureKey, version: task.version }, 400, 'INVALID_INPUT'],
      [
        {
          decision: 'return',
          opinion: '请补正',
          signatureKey,
          version: task.version,
          deficiencies: [{ materialCode: 'NOPE', reason: '不存在' }],
        },
        400,
        'INVALID_INPUT',
      ],
      [
        {
          decision: 'return',
          opinion: '请补正',
          signatureKey,
          version: task.version,
          deficiencies: [deficiencies[0], deficiencies[0]],
        },
        400,
        'INVALID_INPUT',
      ],
      [
        { decision: 'approve', opinion: '同意', signatureKey, version: task.version, deficiencies },
        400,
        'INVALID_INPUT',
      ],
      [
        { decision: 'return', opinion: '请补正', version: task.version, deficiencies },
        400,
        'SIGNATURE_REQUIRED',
      ],
      [
        { decision: 'return', opinion: { $gt: '' }, signatureKey, version: task.version, deficiencies },
        400,
        'INVALID_INPUT',
      ],
      [
        { decision: 'return', opinion: '请补正', signatureKey, version: task.version + 1, deficiencies },
        409,
        'TASK_CONFLICT',
      ],
      [
        { decision: 'cancel', opinion: '请补正', signatureKey, version: task.version, deficiencies },
        400,
        'INVALID_INPUT',
      ],
    ] as const;
    for (const [body, status, code] of refusals) {
      const answer = await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, auth);
      expect([answer.status, answer.body.error.code]).toEqual([status, code]);
    }
    expect((await coreCase(acceptNo)).status).toBe('reviewing');

    const returned = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { decision: 'return', opinion: '材料不全，请补正', signatureKey, version: task.version, deficiencies },
      auth,
    );
    expect(returned.status).toBe(200);
    const kase = await coreCase(acceptNo);
    expect(kase.status).toBe('correcting');
    expect(kase.correction!.items.map((i) => [i.materialCode, i.reason])).toEqual(
      deficiencies.map((d) => [d.materialCode, d.reason]),
    );

    const citizen = bearer(resident.token);
    const notice = await call('GET', `/api/v1/cases/${acceptNo}/corrections`, undefined, citizen);
    expect(notice.status).toBe(200);
    expect(notice.body.correction.items.map((i: { reason: string }) => i.reason)).toEqual([
      '复印件不清晰',
      '缺少单位盖章',
    ]);
    const notices = async () =>
      (await call('GET', '/api/v1/messages', undefined, citizen)).body.messages.filter(
        (m: { kind: string; body: string; link: string }) =>
          m.kind === 'case_correction' && m.link.includes(acceptNo),
      );
    await until(async () => (await notices()).length > 0, 'the correction message');
    expect(await notices()).toHaveLength(1);
    // The deadline as a day the citizen reads ("12月7日前"), not "2026-12-08 00:00 前".
    const lastDay = new Date(Date.parse(notice.body.correction.deadline as string) + 8 * 3600_000 - 60_000);
    expect((await notices())[0].body).toContain(
      `请在 ${lastDay.getUTCMonth() + 1}月${lastDay.getUTCDate()}日前在线提交`,
    );
    // And on WeChat, on the one consent.
    const pushed = await until(
      async () =>
        (
          (await (await fetch(`${bff.world.wechat.url}/dev/messages?openid=${resident.openid}`)).json()) as {
            messages: { data: Record<string, { value: string }> }[];
          }
        ).messages.find((m) => m.data.character_string2?.value === acceptNo),
      'the correction notice on WeChat',
    );
    expect(pushed.data.thing3.value).toBe('共2项材料需补正');
  });
});

describe('one decision per task', () => {
  test('ten decisions at once from two phones on two BFF instances: exactly one is applied, the rest are TASK_CONFLICT', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const second = await buildApp(bff.config);
    await second.ready();
    try {
      const phones = [await login(approver, true), await login(approver, true)];
      const keys = [await sign(phones[0], task.id), await sign(phones[1], task.id)];
      const instances = [call, injectCaller(second)];
      // Different opinions: ten different decisions, not one decision retried.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          instances[i % 2](
            'POST',
            `/api/v1/staff/tasks/${task.id}/decision`,
            {
              decision: 'approve',
              opinion: `同意（第${i + 1}次提交）`,
              signatureKey: keys[i % 2],
              version: task.version,
            },
            phones[i % 2],
          ),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409 && a.body.error.code === 'TASK_CONFLICT')).toHaveLength(
        9,
      );
      const tasks = (await coreTasks()).filter((t) => t.acceptNo === acceptNo);
      expect(tasks.filter((t) => t.stage === '决定')).toHaveLength(1);
      expect((await coreCase(acceptNo)).timeline.filter((e) => e.status === 'deciding')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('when the core system does not answer', () => {
  test('an answer lost to a timeout: the decision stays pending, the approver sees it, and the resend applies it exactly once', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const body = {
      decision: 'approve',
      opinion: '同意',
      signatureKey: await sign(auth, task.id),
      version: task.version,
    };
    // The core system applies the decision but answers after the BFF has stopped waiting.
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/tasks/:taskId/decision',
      latencyMs: bff.config.core.timeoutMs + 500,
      times: 100,
    });
    const sent = await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, auth);
    expect(sent.status).toBe(202);
    expect(sent.body.decision).toMatchObject({ state: 'pending', decision: 'approve', appliedAt: null });
    expect((await coreTasks()).find((t) => t.id === task.id)!.status).toBe('decided');

    const seen = await call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, auth);
    expect(seen.body.task.decision.state).toBe('pending');
    // Another decision while this one is unsettled is a conflict; the same one joins it.
    const other = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { ...body, decision: 'reject', opinion: '不同意' },
      auth,
    );
    expect([other.status, other.body.error.code]).toEqual([409, 'TASK_CONFLICT']);

    await admin('DELETE', '/__admin/faults');
    await untilAnswer(
      () => call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, auth),
      (seen) => seen.body.task.decision.state === 'applied',
      'the resend',
      15_000,
    );
    const again = await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, auth);
    expect([again.status, again.body.decision.state]).toEqual([200, 'applied']);

    expect((await coreTasks()).filter((t) => t.acceptNo === acceptNo && t.stage === '决定')).toHaveLength(1);
    expect((await coreCase(acceptNo)).timeline.filter((e) => e.status === 'deciding')).toHaveLength(1);
    const stored = await bff.app.db.collection('task_decisions').find({ taskId: task.id }).toArray();
    expect(stored.map((d) => d.state)).toEqual(['applied']);
    expect(await bff.app.db.collection('audit_log').countDocuments({ taskId: task.id })).toBe(1);
  });

  test('a core system that is down: pending until it is back, then applied once', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/tasks/:taskId/decision',
      errorRate: 1,
      status: 503,
      times: 1000,
    });
    const sent = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      {
        decision: 'reject',
        opinion: '不符合条件',
        signatureKey: await sign(auth, task.id),
        version: task.version,
      },
      auth,
    );
    expect([sent.status, sent.body.decision.state]).toEqual([202, 'pending']);
    expect((await coreTasks()).find((t) => t.id === task.id)!.status).toBe('open');
    // The resend timer has run and failed again before we look: the case has not moved on.
    await untilAnswer(
      () => call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, auth),
      (seen) => seen.body.task.decision.attempts >= 3,
      'two failed resends',
      15_000,
    );
    expect((await coreCase(acceptNo)).status).toBe('reviewing');

    await admin('DELETE', '/__admin/faults');
    await untilAnswer(
      () => call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, auth),
      (seen) => seen.body.task.decision.state === 'applied',
      'the resend',
      15_000,
    );
    expect((await coreCase(acceptNo)).status).toBe('completed');
    const detail = await call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, auth);
    expect(detail.body.task.decision.attempts).toBeGreaterThan(1);
    expect((await coreCase(acceptNo)).timeline.filter((e) => e.status === 'completed')).toHaveLength(1);
    expect(await bff.app.db.collection('audit_log').countDocuments({ taskId: task.id })).toBe(1);
  });

  test('a resend the core system refuses releases the claim and the signature; the approver decides again and it is applied once', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const signatureKey = await sign(auth, task.id);
    const body = { decision: 'approve', opinion: '同意', signatureKey, version: task.version };
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/tasks/:taskId/decision',
      errorRate: 1,
      status: 503,
      times: 1000,
    });
    const sent = await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, auth);
    expect([sent.status, sent.body.decision.state]).toEqual([202, 'pending']);
    // Now the core system answers, with a refusal: the resend must not keep trying, nor leave the task locked.
    await admin('DELETE', '/__admin/faults');
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/tasks/:taskId/decision',
      errorRate: 1,
      status: 409,
      times: 1,
    });
    await until(
      async () =>
        (await bff.app.db.collection('task_decisions').findOne({ taskId: task.id }))?.state === 'refused',
      'the resend to be refused',
      15_000,
    );
    expect((await bff.app.db.collection('signature_uploads').findOne({ key: signatureKey }))?.state).toBe(
      'issued',
    );
    expect((await coreTasks()).find((t) => t.id === task.id)!.status).toBe('open');

    const again = await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, auth);
    expect([again.status, again.body.decision.state]).toEqual([200, 'applied']);
    const stored = await bff.app.db
      .collection('task_decisions')
      .find({ taskId: task.id })
      .sort({ submittedAt: 1 })
      .toArray();
    expect(stored.map((d) => d.state)).toEqual(['refused', 'applied']);
    expect((await coreCase(acceptNo)).timeline.filter((e) => e.status === 'deciding')).toHaveLength(1);
    expect(await bff.app.db.collection('audit_log').countDocuments({ taskId: task.id })).toBe(1);
  });
});

describe('who may see and decide a task', () => {
  test('only the assigned approver: another approver gets 404, a citizen, a window and a supervisor 403', async () => {
    const { task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    // A colleague with tasks of their own, from the same department when there is one.
    const open = (await coreTasks()).filter((t) => t.status === 'open' && t.approverId !== approver.id);
    const colleagueTask =
      open.find((t) => member(t.approverId).departmentCode === approver.departmentCode) ?? open[0];
    const colleague = member(colleagueTask.approverId);
    const colleagueAuth = await login(colleague);
    const body = {
      decision: 'approve',
      opinion: '同意',
      signatureKey: await sign(auth, task.id),
      version: task.version,
    };

    expect((await call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, colleagueAuth)).status).toBe(404);
    expect((await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, colleagueAuth)).status).toBe(
      404,
    );
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/tasks/${task.id}/signature-policy`,
          { contentType: 'image/png', size: 100 },
          colleagueAuth,
        )
      ).status,
    ).toBe(404);
    expect(
      (await call('GET', '/api/v1/staff/tasks', undefined, colleagueAuth)).body.tasks.some(
        (t: { id: string }) => t.id === task.id,
      ),
    ).toBe(false);
    expect((await call('GET', '/api/v1/staff/tasks/TNOSUCHTASK', undefined, auth)).status).toBe(404);

    const window = staff.find((s) => s.role === 'window')!;
    const supervisor = staff.find((s) => s.role === 'supervisor')!;
    for (const other of [bearer(resident.token), await login(window), await login(supervisor)]) {
      expect((await call('GET', `/api/v1/staff/tasks/${task.id}`, undefined, other)).status).toBe(403);
      expect((await call('GET', '/api/v1/staff/tasks', undefined, other)).status).toBe(403);
      expect((await call('POST', `/api/v1/staff/tasks/${task.id}/decision`, body, other)).status).toBe(403);
    }
    expect((await call('GET', `/api/v1/staff/tasks/${task.id}`)).status).toBe(401);

    // A colleague's signature is not this approver's: its key is under the colleague's prefix.
    const colleagueKey = await sign(colleagueAuth, colleagueTask.id);
    const borrowed = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { ...body, signatureKey: colleagueKey },
      auth,
    );
    expect([borrowed.status, borrowed.body.error.code]).toEqual([400, 'UPLOAD_KEY_INVALID']);
    // A "signature" that is not an image.
    const html = await sign(auth, task.id, Buffer.from('<html><script>alert(1)</script></html>'));
    const fake = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { ...body, signatureKey: html },
      auth,
    );
    expect([fake.status, fake.body.error.code]).toEqual([400, 'UPLOAD_CONTENT_MISMATCH']);
    const jpeg = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/signature-policy`,
      { contentType: 'image/jpeg', size: 100 },
      auth,
    );
    expect(jpeg.status).toBe(400);
    const huge = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/signature-policy`,
      { contentType: 'image/png', size: bff.config.signoff.signatureMaxBytes + 1 },
      auth,
    );
    expect([huge.status, huge.body.error.code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    // The limit in words the approver reads, in the unit it is set in (512 KB, not "0MB").
    expect(huge.body.error.message).toBe(
      `文件不能超过 ${bff.config.signoff.signatureMaxBytes / 1024}KB，请压缩后重新上传`,
    );
    // Nothing was decided by any of that.
    expect((await coreTasks()).find((t) => t.id === task.id)!.status).toBe('open');
  });
});

describe('supervision', () => {
  test("each supervisor's yellow and red lists are exactly the seeded running cases near or past their deadline in their scope", async () => {
    const { cases } = await admin<{ cases: CoreCase[] }>('GET', '/__admin/cases');
    const warned = cases.filter((c) => c.warning !== 'green');
    expect(warned.filter((c) => c.warning === 'red').length).toBeGreaterThan(0);
    expect(warned.filter((c) => c.warning === 'yellow').length).toBeGreaterThan(0);
    const open = (await coreTasks()).filter((t) => t.status === 'open');
    const supervisors = staff.filter((s) => s.role === 'supervisor');
    expect(supervisors.some((s) => s.hallId) && supervisors.some((s) => s.departmentCode)).toBe(true);
    for (const supervisor of supervisors) {
      const auth = await login(supervisor);
      const inScope = warned.filter((c) =>
        supervisor.hallId
          ? district(c.hallId) === district(supervisor.hallId)
          : c.departmentCode === supervisor.departmentCode,
      );
      for (const warning of ['yellow', 'red'] as const) {
        const answer = await call('GET', `/api/v1/staff/supervision?warning=${warning}`, undefined, auth);
        expect(answer.status).toBe(200);
        const listed = answer.body.cases as {
          acceptNo: string;
          warning: string;
          approverId: string | null;
          approverName: string | null;
        }[];
        expect(listed.map((c) => c.acceptNo).sort()).toEqual(
          inScope
            .filter((c) => c.warning === warning)
            .map((c) => c.acceptNo)
            .sort(),
        );
        for (const c of listed) {
          const task = open.find((t) => t.acceptNo === c.acceptNo);
          expect(c.approverId).toBe(task?.approverId ?? null);
          expect(c.approverName).toBe(task ? member(task.approverId).name : null);
        }
      }
      const both = await call('GET', '/api/v1/staff/supervision', undefined, auth);
      expect(both.body.counts).toEqual({
        red: inScope.filter((c) => c.warning === 'red').length,
        yellow: inScope.filter((c) => c.warning === 'yellow').length,
      });
    }

    const districtSupervisor = supervisors.find((s) => s.hallId)!;
    const elsewhere = halls.find((h) => h.district !== district(districtSupervisor.hallId!))!;
    expect(
      (
        await call(
          'GET',
          `/api/v1/staff/supervision?hallId=${elsewhere.id}`,
          undefined,
          await login(districtSupervisor),
        )
      ).status,
    ).toBe(403);
    const departmentSupervisor = supervisors.find((s) => s.departmentCode)!;
    const otherDepartment = supervisors.find(
      (s) => s.departmentCode && s.departmentCode !== departmentSupervisor.departmentCode,
    )!.departmentCode;
    expect(
      (
        await call(
          'GET',
          `/api/v1/staff/supervision?departmentCode=${otherDepartment}`,
          undefined,
          await login(departmentSupervisor),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          'GET',
          '/api/v1/staff/supervision?warning=purple',
          undefined,
          await login(departmentSupervisor),
        )
      ).status,
    ).toBe(400);
    const approver = staff.find((s) => s.role === 'approver')!;
    expect((await call('GET', '/api/v1/staff/supervision', undefined, await login(approver))).status).toBe(
      403,
    );
  });

  test('a yellow or red task reaches its approver as one message per warning, however often the sweep runs', async () => {
    const red = (await coreTasks()).find((t) => t.status === 'open' && t.warning === 'red')!;
    const auth = await login(member(red.approverId));
    const warnings = async () =>
      (await call('GET', '/api/v1/messages?pageSize=50', undefined, auth)).body.messages.filter(
        (m: { kind: string; body: string }) => m.kind === 'task_warning' && m.body.includes(red.acceptNo),
      );
    await until(async () => (await warnings()).length > 0, 'the warning message');
    const [message] = await warnings();
    expect(message.title).toBe('审批任务已超期');
    expect(message.link).toBe('/packages/staff/tasks/index');
    // Three more sweeps (each asks the core system for its supervision list) change nothing.
    const sweeps = async () => (await admin('GET', '/__admin/stats')).requests['GET /api/supervision'] ?? 0;
    const before = await sweeps();
    await until(async () => (await sweeps()) >= before + 3, 'three more warning sweeps');
    expect(await warnings()).toHaveLength(1);
  });

  test('督办: a supervisor reminds the approver of a red case with a note; the approver sees it on the task and in messages, the audit screen lists it', async () => {
    const open = (await coreTasks()).filter((t) => t.status === 'open');
    const red = open.find((t) => t.warning === 'red')!;
    const green = open.find((t) => t.warning === 'green')!;
    const { hallId } = await coreCase(red.acceptNo);
    const supervisor = staff.find(
      (s) => s.role === 'supervisor' && s.hallId && district(s.hallId) === district(hallId),
    )!;
    const outsider = staff.find(
      (s) => s.role === 'supervisor' && s.hallId && district(s.hallId) !== district(hallId),
    )!;
    const auth = await login(supervisor);
    const remind = (acceptNo: string, body: unknown, as = auth) =>
      call('POST', `/api/v1/staff/supervision/${acceptNo}/remind`, body, as);

    // Refused without a change: a note too short, another district, a case not warned, an approver.
    expect([
      (await remind(red.acceptNo, { note: '快' })).status,
      (await remind(red.acceptNo, { note: '快' })).body.error.code,
    ]).toEqual([400, 'INVALID_INPUT']);
    expect((await remind(red.acceptNo, { note: '请今日办结' }, await login(outsider))).status).toBe(404);
    expect((await remind(green.acceptNo, { note: '请今日办结' })).status).toBe(404);
    expect(
      (await remind(red.acceptNo, { note: '请今日办结' }, await login(member(red.approverId)))).status,
    ).toBe(403);
    expect(await bff.app.db.collection('supervision_reminders').countDocuments()).toBe(0);

    const sent = await remind(red.acceptNo, { note: '已超期三日，请今日办结并回复' });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual(
      expect.objectContaining({
        acceptNo: red.acceptNo,
        approverId: red.approverId,
        supervisorId: supervisor.id,
        supervisorName: supervisor.name,
        warning: 'red',
        note: '已超期三日，请今日办结并回复',
      }),
    );

    const approverAuth = await login(member(red.approverId));
    const task = (await call('GET', `/api/v1/staff/tasks/${red.id}`, undefined, approverAuth)).body;
    expect(task.reminders).toEqual([sent.body]);
    const messages = (
      await call('GET', '/api/v1/messages?pageSize=50', undefined, approverAuth)
    ).body.messages.filter((m: { kind: string }) => m.kind === 'task_reminder');
    expect(messages).toEqual([
      expect.objectContaining({
        title: expect.stringContaining('督办'),
        body: expect.stringContaining('已超期三日，请今日办结并回复'),
      }),
    ]);
    expect(
      (await call('GET', `/api/v1/staff/audit?acceptNo=${red.acceptNo}`, undefined, auth)).body.reminders,
    ).toEqual([sent.body]);
    expect(
      (await call('GET', `/api/v1/staff/audit?acceptNo=${red.acceptNo}`, undefined, await login(outsider)))
        .body.reminders,
    ).toEqual([]);
  });
});

// Last: it changes the log by hand, as someone with database access might.
describe('the audit log', () => {
  test('records every applied decision, verifies its chain, and detects a changed or removed entry', async () => {
    const { acceptNo, task, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const signatureKey = await sign(auth, task.id);
    const decided = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { decision: 'approve', opinion: '审查通过', signatureKey, version: task.version },
      auth,
    );
    expect(decided.status).toBe(200);

    const { hallId } = await coreCase(acceptNo);
    const supervisor = staff.find(
      (s) => s.role === 'supervisor' && s.hallId && district(s.hallId) === district(hallId),
    )!;
    const outsider = staff.find(
      (s) => s.role === 'supervisor' && s.hallId && district(s.hallId) !== district(hallId),
    )!;
    const supervisorAuth = await login(supervisor);
    const view = await call('GET', `/api/v1/staff/audit?acceptNo=${acceptNo}`, undefined, supervisorAuth);
    expect(view.status).toBe(200);
    expect(view.body.chain).toEqual({
      verified: true,
      length: await bff.app.db.collection('audit_log').countDocuments(),
      brokenAt: null,
    });
    expect(view.body.entries).toEqual([
      expect.objectContaining({
        actorId: approver.id,
        role: 'approver',
        taskId: task.id,
        acceptNo,
        decision: 'approve',
        opinion: '审查通过',
        signatureKey,
        requestId: expect.any(String),
      }),
    ]);
    const entry = view.body.entries[0];
    // The supervisor sees who signed, by name, and the signature image itself (a signed URL that works).
    expect(entry.actorName).toBe(approver.name);
    const image = await fetch(entry.signatureUrl);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    const withoutUrl = ({ signatureUrl: _url, ...rest }: { signatureUrl: string }) => rest;
    expect(
      (
        await call('GET', `/api/v1/staff/audit?taskId=${task.id}`, undefined, supervisorAuth)
      ).body.entries.map(withoutUrl),
    ).toEqual([withoutUrl(entry)]);
    expect(
      (await call('GET', `/api/v1/staff/audit?acceptNo=${acceptNo}`, undefined, await login(outsider))).body
        .entries,
    ).toEqual([]);
    expect((await call('GET', '/api/v1/staff/audit', undefined, auth)).status).toBe(403);
    // Every decision of this suite that the core system applied is in the log, once.
    const all = (await call('GET', '/api/v1/staff/audit', undefined, supervisorAuth)).body;
    const appliedInScope = await bff.app.db.collection('task_decisions').countDocuments({ state: 'applied' });
    expect(all.chain.length).toBe(appliedInScope);

    const log = bff.app.db.collection('audit_log');
    const original = await log.findOne({ _id: entry.seq } as object);
    await log.updateOne({ _id: entry.seq }, { $set: { opinion: '审查不通过' } });
    const tampered = await call('GET', '/api/v1/staff/audit', undefined, supervisorAuth);
    expect(tampered.body.chain).toMatchObject({ verified: false, brokenAt: entry.seq });

    await log.replaceOne({ _id: entry.seq }, original!);
    expect((await call('GET', '/api/v1/staff/audit', undefined, supervisorAuth)).body.chain.verified).toBe(
      true,
    );
    const first = await log.findOne({ _id: 1 } as object);
    await log.deleteOne({ _id: 1 } as object);
    const removed = await call('GET', '/api/v1/staff/audit', undefined, supervisorAuth);
    expect(removed.body.chain).toMatchObject({ verified: false, brokenAt: 2 });
    await log.insertOne(first!);
    expect((await call('GET', '/api/v1/staff/audit', undefined, supervisorAuth)).body.chain.verified).toBe(
      true,
    );
  });
});

describe('signature images', () => {
  test('an image never used by a decision is deleted from OSS after the grace period; a used one stays', async () => {
    const { task: unusedTask, approver } = await caseInReview(resident.idNumber);
    const auth = await login(approver);
    const orphan = await sign(auth, unusedTask.id);
    const { task, approver: decider } = await caseInReview(resident.idNumber);
    const deciderAuth = await login(decider);
    const used = await sign(deciderAuth, task.id);
    const decided = await call(
      'POST',
      `/api/v1/staff/tasks/${task.id}/decision`,
      { decision: 'approve', opinion: '同意', signatureKey: used, version: task.version },
      deciderAuth,
    );
    expect(decided.status).toBe(200);
    const oss = ossClient(bff.world.oss);
    const inOss = (key: string) =>
      oss.head(key).then(
        () => 200,
        (error: { status: number }) => error.status,
      );
    const state = async (key: string) =>
      (await bff.app.db.collection('signature_uploads').findOne({ key }))?.state;
    expect([await state(orphan), await state(used)]).toEqual(['issued', 'used']);
    expect([await inOss(orphan), await inOss(used)]).toEqual([200, 200]);

    // An instance whose clock is past the grace period sweeps.
    const later = await buildApp(
      { ...bff.config, upload: { ...bff.config.upload, sweepMs: 200 } },
      { now: new MovableClock(Date.now() + bff.config.upload.orphanGraceMs + 60_000).now },
    );
    await later.ready();
    try {
      await until(async () => (await state(orphan)) === 'deleted', 'the orphan signature to be swept');
    } finally {
      await later.close();
    }
    expect(await state(used)).toBe('used');
    expect([await inOss(orphan), await inOss(used)]).toEqual([404, 200]);
  });
});
