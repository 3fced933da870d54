// SMS (issue 24): the channel policy per notice kind with and without WeChat consent (the WeChat
// and SMS simulators each get exactly what they should, once), delivery receipts on each message,
// the per-phone daily limit, quiet hours, opt-out, a gateway outage retried until it answers, an
// unreachable phone, and the receipt hook's secret. Notices come from real case events: the core
// simulator accepts a case and moves it to review, which is two 进度 notices.
import { smsReceiptUrl, startTestBff, type TestBff } from '../support/bff';
import { MovableClock, shanghaiHourToday } from '../support/clock';
import { caseInCorrection } from '../support/cases';
import { bearer, bindResident, injectCaller, postJson, type ApiCall } from '../support/citizens';
import { decidedCase, ratableItem } from '../support/core-client';
import { until } from '../support/until';
import { scaled } from '../support/time-scale';

let bff: TestBff;
const clock = new MovableClock();
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
let item: { code: string };
let hallId: string;

beforeAll(async () => {
  bff = await startTestBff(
    'sms',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      NOTIFY_RETRY_MS: '150',
      NOTIFY_PUSH_ATTEMPTS: '1',
      SMS_RETRY_MS: '150',
      SMS_DAILY_LIMIT_PER_PHONE: '6',
      BOOKING_SWEEP_MS: '150',
      SMS_QUIET_HOURS: '21-8',
    },
    { now: clock.now },
  );
  const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
  bff.world.core.setWebhookUrl(`${address}/api/v1/hooks/core/case-events`);
  bff.world.sms.setReceiptUrl(smsReceiptUrl(address));
  const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
  hallId = halls[0].id;
  item = (await call('GET', `/api/v1/items?hallId=${hallId}&pageSize=50`)).body.items.find(
    (i: { approvalType: string }) => i.approvalType === 'promised',
  );
}, scaled(60_000));
afterAll(() => bff.stop());
beforeEach(() => {
  clock.set(shanghaiHourToday(10)); // office hours, outside quiet hours, whenever the suite runs
});
afterEach(async () => {
  await postJson(`${bff.world.sms.url}/dev/faults`, {
    unavailable: 0,
    receiptFailures: 0,
    holdReceipts: false,
  });
});

interface Person {
  id: string;
  token: string;
  openid: string;
  phone: string;
  idNumber: string;
}

/** A new resident, signed in through WeChat and bound with real name (and so a phone). */
async function person(): Promise<Person> {
  const { citizens } = await postJson(`${bff.world.core.url}/__admin/citizens`, { count: 1 });
  const resident = citizens[0] as { name: string; idNumber: string; phone: string };
  const session = await bindResident(call, bff.world, resident);
  return { ...session, phone: resident.phone, idNumber: resident.idNumber };
}

/** A case accepted and moved to review: two case_progress notices. */
async function caseFor(p: Person): Promise<string> {
  const created = await postJson(`${bff.world.core.url}/__admin/cases`, {
    idNumber: p.idNumber,
    itemCode: item.code,
    hallId,
  });
  await postJson(`${bff.world.core.url}/__admin/cases/${created.acceptNo}/review`, {});
  return created.acceptNo as string;
}

const texts = async (p: Person) =>
  (
    (await (await fetch(`${bff.world.sms.url}/dev/messages?phone=${p.phone}`)).json()).messages as {
      content: string;
      receipt: { success: boolean } | null;
    }[]
  ).map((m) => m.content);
const wechatInbox = async (p: Person) =>
  (await (await fetch(`${bff.world.wechat.url}/dev/messages?openid=${p.openid}`)).json())
    .messages as unknown[];
const progress = async (p: Person) =>
  (
    (await call('GET', '/api/v1/messages', undefined, bearer(p.token))).body.messages as {
      kind: string;
      title: string;
      delivery: { wechat: string | null; sms: string | null };
    }[]
  ).filter((m) => m.kind === 'case_progress');
const smsStates = async (p: Person) =>
  (await progress(p))
    .map((m) => m.delivery.sms)
    .sort()
    .join();
const stored = async (p: Person) =>
  bff.app.db.collection('messages').find({ userId: p.id, kind: 'case_progress' }).toArray();
/** Every channel of every message of the person's has settled: nothing more can go out. */
async function settled(p: Person, wait = true): Promise<boolean> {
  const done = async () =>
    (await bff.app.db.collection('messages').find({ userId: p.id }).toArray()).every(
      (m) => !['pending', 'waiting', 'sent'].includes(m.sms?.state) && m.push?.state !== 'pending',
    );
  if (wait) await until(done, 'every channel settled');
  return done();
}
/** The citizen accepts `count` subscribe messages of one template in WeChat, and the app records them. */
async function consent(p: Person, template: keyof TestBff['world']['wechat']['templateIds'], count = 1) {
  const templateId = bff.world.wechat.templateIds[template];
  await postJson(`${bff.world.wechat.url}/dev/consent`, { openid: p.openid, templateId, count });
  for (let i = 0; i < count; i += 1)
    expect(
      (await call('POST', '/api/v1/subscriptions', { templateIds: [templateId] }, bearer(p.token))).status,
    ).toBe(200);
}

describe('channel policy', () => {
  test(
    'progress: WeChat where consented, SMS otherwise — each message once, on one channel, receipts recorded',
    async () => {
      const p = await person();
      const template = bff.world.wechat.templateIds.caseProgress;
      await postJson(`${bff.world.wechat.url}/dev/consent`, { openid: p.openid, templateId: template });
      expect(
        (await call('POST', '/api/v1/subscriptions', { templateIds: [template] }, bearer(p.token))).status,
      ).toBe(200);
      const acceptNo = await caseFor(p);
      // One consent: one notice goes by WeChat (its SMS skipped), the other by SMS, delivered.
      await until(
        async () => (await smsStates(p)) === 'delivered,skipped',
        'one SMS delivered and one skipped',
        20_000,
      );
      expect((await progress(p)).map((m) => m.delivery.wechat).sort()).toEqual(['no_consent', 'sent']);
      expect(await wechatInbox(p)).toHaveLength(1);
      const sms = await texts(p);
      expect(sms).toHaveLength(1);
      expect(sms[0]).toMatch(new RegExp(`^【一窗通办】您的办件${acceptNo}`));
      // Nothing more goes out once every channel has settled.
      await until(
        async () =>
          (await stored(p)).every(
            (m) => !['pending', 'waiting'].includes(m.sms.state) && m.push.state !== 'pending',
          ),
        'everything settled',
      );
      expect(await texts(p)).toHaveLength(1);
      // The phone is never on the message.
      expect(JSON.stringify(await stored(p))).not.toContain(p.phone);
    },
    scaled(40_000),
  );

  test(
    'no consent at all: every progress notice by SMS, none by WeChat',
    async () => {
      const p = await person();
      await caseFor(p);
      await until(async () => (await smsStates(p)) === 'delivered,delivered', 'both delivered', 20_000);
      expect(await texts(p)).toHaveLength(2);
      expect(await wechatInbox(p)).toHaveLength(0);
    },
    scaled(40_000),
  );
  test(
    'correction notice: WeChat to who consented, SMS to who did not — each once, on one channel',
    async () => {
      const [consented, unconsented] = [await person(), await person()];
      await consent(consented, 'correctionNotice');
      await caseInCorrection(bff.world, consented.idNumber);
      const { acceptNo } = await caseInCorrection(bff.world, unconsented.idNumber);
      const correction = async (p: Person) =>
        (await bff.app.db.collection('messages').findOne({ userId: p.id, kind: 'case_correction' }))!;
      await until(
        async () =>
          (await correction(consented))?.sms?.state === 'skipped' &&
          (await correction(unconsented))?.sms?.state === 'delivered',
        'the correction notice settled on each channel',
        20_000,
      );
      expect((await correction(consented)).push.state).toBe('sent');
      expect((await correction(unconsented)).push.state).toBe('no_consent');
      const pushed = async (p: Person) =>
        (await wechatInbox(p)).filter((m: any) => m.template === 'correctionNotice');
      expect(await pushed(consented)).toHaveLength(1);
      expect(await pushed(unconsented)).toHaveLength(0);
      const asked = async (p: Person) => (await texts(p)).filter((t) => t.includes('需补正材料'));
      expect(await asked(consented)).toHaveLength(0);
      expect(await asked(unconsented)).toEqual([expect.stringContaining(`您的办件${acceptNo}`)]);
      await settled(consented);
      await settled(unconsented);
      expect(await pushed(consented)).toHaveLength(1);
      expect(await asked(unconsented)).toHaveLength(1);
      // One notice says it: no separate 待补正 progress notice, by SMS or in the message centre.
      expect((await texts(unconsented)).filter((t) => t.includes('待补正'))).toHaveLength(0);
      expect((await progress(unconsented)).filter((m) => m.title.endsWith('待补正'))).toHaveLength(0);
    },
    scaled(40_000),
  );

  test(
    'result ready: the completed case is told once — by WeChat where consented, else by SMS',
    async () => {
      const ratable = await ratableItem(bff.world.core);
      const [consented, unconsented] = [await person(), await person()];
      await consent(consented, 'caseProgress', 6);
      const done = async (p: Person) =>
        (
          (await call('GET', '/api/v1/messages', undefined, bearer(p.token))).body.messages as {
            kind: string;
            title: string;
            delivery: unknown;
          }[]
        ).filter((m) => m.kind === 'case_result' || m.title.includes('已办结'));
      const finished = await decidedCase(bff.world.core, consented.idNumber, ratable);
      const acceptNo = await decidedCase(bff.world.core, unconsented.idNumber, ratable);
      await until(
        async () =>
          (await done(consented)).length > 0 &&
          (await done(unconsented)).length > 0 &&
          (await settled(consented, false)) &&
          (await settled(unconsented, false)),
        'the completion notices settled',
        20_000,
      );
      expect((await done(consented)).map((m) => m.delivery)).toEqual([{ wechat: 'sent', sms: 'skipped' }]);
      expect((await done(unconsented)).map((m) => m.delivery)).toEqual([
        { wechat: 'no_consent', sms: 'delivered' },
      ]);
      const told = async (p: Person, no: string) =>
        (await texts(p)).filter(
          (t) => t.includes(`您的办件${no}`) && t.includes('已办结，办理结果：未通过，详情'),
        );
      expect(await told(consented, finished)).toHaveLength(0);
      expect(await told(unconsented, acceptNo)).toHaveLength(1);
      expect(
        (await wechatInbox(consented)).filter(
          (m: any) =>
            m.template === 'caseProgress' &&
            m.data.phrase3.value === '已办结' &&
            m.data.thing5.value === '办理结果：未通过',
        ),
      ).toHaveLength(1);

      // The citizen chooses pickup and collects the result: told 已送达 once; choosing told nothing.
      const chosen = await call(
        'PUT',
        `/api/v1/cases/${acceptNo}/delivery`,
        { method: 'pickup', hallId: ratable.hallIds[0] },
        bearer(unconsented.token),
      );
      expect(chosen.status).toBe(200);
      await postJson(`${bff.world.core.url}/__admin/cases/${acceptNo}/deliver`, {});
      const all = async () =>
        (await call('GET', '/api/v1/messages', undefined, bearer(unconsented.token))).body.messages as {
          title: string;
        }[];
      await until(
        async () =>
          (await all()).some((m) => m.title.endsWith('已送达')) && (await settled(unconsented, false)),
        'the delivery notice settled',
        20_000,
      );
      expect((await all()).filter((m) => m.title.endsWith('已送达'))).toHaveLength(1);
      expect(await done(unconsented)).toHaveLength(1);
      expect((await texts(unconsented)).filter((t) => t.includes('已送达'))).toHaveLength(1);
    },
    scaled(40_000),
  );

  test(
    'booking reminder: WeChat to who consented, SMS to who did not — each once, on one channel',
    async () => {
      const [consented, unconsented] = [await person(), await person()];
      await consent(consented, 'bookingReminder');
      // A slot three days ahead at 10:00, booked by both; the clock then moves to 23 hours before it.
      const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
      const hall = halls.find((h: { id: string }) => h.id === hallId);
      const bookable = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body.items.find(
        (i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC',
      );
      const day = new Date(clock.now().getTime() + 8 * 3600_000 + 3 * 86_400_000);
      while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
      const date = day.toISOString().slice(0, 10);
      const { slots } = (
        await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${bookable.code}&from=${date}&to=${date}`)
      ).body;
      const slot = slots.find((s: { start: string }) => s.start === `${date}T02:00:00.000Z`);
      const codes: string[] = [];
      for (const p of [consented, unconsented]) {
        const booked = await call(
          'POST',
          '/api/v1/appointments',
          { hallId: hall.id, itemCode: bookable.code, start: slot.start },
          bearer(p.token),
        );
        expect(booked.status).toBe(201);
        codes.push(booked.body.bookingCode);
      }
      clock.set(Date.parse(slot.start) - 23 * 3600_000);
      const reminder = async (p: Person) =>
        (await bff.app.db.collection('messages').findOne({ userId: p.id, kind: 'booking_reminder' }))!;
      await until(
        async () =>
          (await reminder(consented))?.sms?.state === 'skipped' &&
          (await reminder(unconsented))?.sms?.state === 'delivered',
        'the day-before reminder settled on each channel',
        20_000,
      );
      const pushed = async (p: Person) =>
        (await wechatInbox(p)).filter((m: any) => m.template === 'bookingReminder');
      const reminded = async (p: Person) => (await texts(p)).filter((t) => t.includes('预约码'));
      expect(await pushed(consented)).toHaveLength(1);
      expect(await pushed(unconsented)).toHaveLength(0);
      expect(await reminded(consented)).toHaveLength(0);
      expect(await reminded(unconsented)).toEqual([expect.stringContaining(`预约码${codes[1]}`)]);
      await settled(consented);
      await settled(unconsented);
      expect(await pushed(consented)).toHaveLength(1);
      expect(await reminded(unconsented)).toHaveLength(1);
    },
    scaled(40_000),
  );
});

describe('queue call', () => {
  test(
    '"your turn" goes by WeChat and by SMS, each once',
    async () => {
      // A working Monday morning, so the hall is open.
      const shanghai = new Date(Date.now() + 8 * 3600_000);
      clock.set(shanghaiHourToday(10) + ((8 - shanghai.getUTCDay()) % 7 || 7) * 86_400_000);
      const p = await person();
      const template = bff.world.wechat.templateIds.queueCalled;
      await postJson(`${bff.world.wechat.url}/dev/consent`, {
        openid: p.openid,
        templateId: template,
        count: 5,
      });
      await call('POST', '/api/v1/subscriptions', { templateIds: [template] }, bearer(p.token));
      await call('POST', '/api/v1/subscriptions', { templateIds: [template] }, bearer(p.token));
      const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
      const hall = halls.find((h: { id: string }) => h.id === hallId);
      const window = hall.windows.find((w: { categories: string[] }) => w.categories.length > 0);
      const taken = await call(
        'POST',
        `/api/v1/halls/${hall.id}/tickets`,
        { category: window.categories[0] },
        bearer(p.token),
      );
      expect(taken.status).toBe(201);
      const { staff, password } = await (await fetch(`${bff.world.core.url}/__admin/staff`)).json();
      const clerk = staff.find((s: { windowId?: string }) => s.windowId === window.id);
      const clerkToken = (await call('POST', '/api/v1/auth/staff', { username: clerk.username, password }))
        .body.accessToken;
      const called = await call(
        'POST',
        `/api/v1/staff/windows/${window.id}/call-next`,
        {},
        bearer(clerkToken),
      );
      expect(called.body.current.id).toBe(taken.body.id);
      const calls = async () => (await texts(p)).filter((t) => t.includes(`请${taken.body.number}号`));
      await until(async () => (await calls()).length === 1, 'the SMS call');
      const callMessage = async () =>
        (await bff.app.db.collection('messages').findOne({ userId: p.id, kind: 'queue_called' }))!;
      await until(
        async () =>
          (await callMessage()).push.state === 'sent' && (await callMessage()).sms.state === 'delivered',
        'both channels settled',
      );
      expect(
        (await wechatInbox(p)).filter(
          (m: any) => m.template === 'queueCalled' && m.data.thing4.value.startsWith('请到'),
        ),
      ).toHaveLength(1);
      expect(await calls()).toHaveLength(1);

      // Without consent the call still reaches the phone, by SMS alone.
      const unconsented = await person();
      const next = await call(
        'POST',
        `/api/v1/halls/${hall.id}/tickets`,
        { category: window.categories[0] },
        bearer(unconsented.token),
      );
      expect(next.status).toBe(201);
      const staffPost = (path: string) => call('POST', `/api/v1/staff/${path}`, {}, bearer(clerkToken));
      expect((await staffPost(`tickets/${taken.body.id}/complete`)).status).toBe(200);
      expect((await staffPost(`windows/${window.id}/call-next`)).body.current.id).toBe(next.body.id);
      const nextCall = async () =>
        (await bff.app.db.collection('messages').findOne({ userId: unconsented.id, kind: 'queue_called' }))!;
      await until(
        async () =>
          (await nextCall())?.push.state === 'no_consent' && (await nextCall()).sms.state === 'delivered',
        'the SMS-only call settled',
      );
      expect((await texts(unconsented)).filter((t) => t.includes(`请${next.body.number}号`))).toHaveLength(1);
      expect(await wechatInbox(unconsented)).toHaveLength(0);
    },
    scaled(40_000),
  );
});

describe('limits, quiet hours, opt-out', () => {
  test(
    'a phone over its daily limit gets nothing more that day; the message centre still has it',
    async () => {
      const p = await person();
      for (let i = 0; i < 4; i += 1) await caseFor(p); // eight notices, limit six
      await until(
        async () =>
          (await progress(p)).length === 8 &&
          (await smsStates(p)) ===
            'delivered,delivered,delivered,delivered,delivered,delivered,limited,limited',
        'six delivered, two limited',
        30_000,
      );
      expect(await texts(p)).toHaveLength(6);
      // The next day the allowance is back.
      clock.advance(24 * 3600_000);
      await caseFor(p);
      await until(
        async () => (await progress(p)).filter((m) => m.delivery.sms === 'delivered').length === 8,
        'two more delivered the next day',
        30_000,
      );
      expect(await texts(p)).toHaveLength(8);
    },
    scaled(60_000),
  );

  test(
    'non-urgent SMS wait through quiet hours and go when they end',
    async () => {
      const p = await person();
      clock.set(shanghaiHourToday(23));
      await caseFor(p);
      await until(
        async () =>
          (await stored(p)).length === 2 &&
          (await stored(p)).every((m) => m.sms.state === 'pending' && m.sms.lastError === 'quiet_hours'),
        'both held for quiet hours',
        20_000,
      );
      expect(await texts(p)).toHaveLength(0);
      clock.set(shanghaiHourToday(24 + 8) + 60_000); // 08:01 the next morning
      await until(
        async () => (await smsStates(p)) === 'delivered,delivered',
        'both delivered after quiet hours',
        20_000,
      );
      expect(await texts(p)).toHaveLength(2);
    },
    scaled(40_000),
  );

  test(
    'opt-out: no SMS at all, the message centre unchanged; opting back in applies to later notices',
    async () => {
      const p = await person();
      expect((await call('GET', '/api/v1/me/sms', undefined, bearer(p.token))).body).toEqual({
        optedOut: false,
      });
      expect((await call('PUT', '/api/v1/me/sms', { optedOut: 'yes' }, bearer(p.token))).status).toBe(400);
      expect((await call('PUT', '/api/v1/me/sms', { optedOut: true }, bearer(p.token))).body).toEqual({
        optedOut: true,
      });
      await caseFor(p);
      await until(async () => (await smsStates(p)) === 'opted_out,opted_out', 'both opted out', 20_000);
      expect(await texts(p)).toHaveLength(0);
      await call('PUT', '/api/v1/me/sms', { optedOut: false }, bearer(p.token));
      await caseFor(p);
      await until(
        async () => (await progress(p)).filter((m) => m.delivery.sms === 'delivered').length === 2,
        'later notices delivered',
        20_000,
      );
    },
    scaled(40_000),
  );
});

describe('gateway failures', () => {
  test(
    'the gateway down: each SMS stays pending, is retried, and goes exactly once when it is back',
    async () => {
      const p = await person();
      await postJson(`${bff.world.sms.url}/dev/faults`, { unavailable: 1000 });
      await caseFor(p);
      await until(
        async () =>
          (await stored(p)).length === 2 &&
          (await stored(p)).every(
            (m) => m.sms.attempts >= 2 && m.sms.lastError?.includes('ServiceUnavailable'),
          ),
        'two failed attempts each',
        20_000,
      );
      // The citizen's message centre shows both, their SMS pending; the phone has nothing yet.
      expect(await smsStates(p)).toBe('pending,pending');
      expect(await texts(p)).toHaveLength(0);
      await postJson(`${bff.world.sms.url}/dev/faults`, { unavailable: 0 });
      await until(
        async () => (await smsStates(p)) === 'delivered,delivered',
        'both delivered after the outage',
        30_000,
      );
      expect(await texts(p)).toHaveLength(2);
    },
    scaled(40_000),
  );

  test(
    'lost receipts are pushed again; an unreachable phone is marked undelivered',
    async () => {
      const p = await person();
      await postJson(`${bff.world.sms.url}/dev/faults`, { receiptFailures: 2 });
      await postJson(`${bff.world.sms.url}/dev/unreachable`, { phone: p.phone });
      await caseFor(p);
      await until(async () => (await smsStates(p)) === 'undelivered,undelivered', 'both undelivered', 30_000);
      expect((await stored(p))[0].sms.lastError).toBe('MOBILE_NOT_ON_SERVICE');
    },
    scaled(40_000),
  );

  test('the receipt hook needs its secret and well-formed receipts', async () => {
    const receipt = { phone_number: '13800000000', success: true, err_code: 'DELIVERED', biz_id: '1^0' };
    const forged = await bff.app.inject({
      method: 'POST',
      url: '/api/v1/hooks/sms/receipts/not-the-secret-token-at-all',
      payload: [receipt],
    });
    expect(forged.statusCode).toBe(404);
    const hook = smsReceiptUrl('');
    const bad = await bff.app.inject({
      method: 'POST',
      url: hook,
      payload: [{ ...receipt, success: 'maybe' }],
    });
    expect([bad.statusCode, JSON.parse(bad.body).error.code]).toEqual([400, 'INVALID_INPUT']);
    const fine = await bff.app.inject({ method: 'POST', url: hook, payload: [receipt] });
    expect(JSON.parse(fine.body)).toEqual({ code: 0, msg: '成功' });
  });
});
