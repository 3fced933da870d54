// Rating (好差评): both channels with their indicator sets, one rating and one re-rating,
// refusals for other people's and unserved handlings, follow-ups due in working days (across
// a weekend, configured holidays and a make-up working Saturday), supervisors' actions and
// scope, and statistics checked against a hand computation over 1,000 seeded ratings.
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, bindResident, boundCitizens, type ApiCall, injectCaller } from '../support/citizens';
import { staffDirectory } from '../support/core-client';
import { scaled } from '../support/time-scale';
import { nextShanghaiMonday, MovableClock } from '../support/clock';
import { addDays } from '@onewindow/shared-types/shanghai-time';
import type { Hall } from '@onewindow/shared-types';
import type { Staff } from '@onewindow/mock/core/model';

const DAY = 86_400_000;
/** Next Monday (Shanghai), so the halls are open and the working-day arithmetic is known. */
const monday = nextShanghaiMonday();
const HOLIDAYS = [addDays(monday, 8), addDays(monday, 9)]; // the Tuesday and Wednesday of the week after
const MAKEUP = [addDays(monday, 12)]; // that week's Saturday is worked

let bff: TestBff;
const clock = new MovableClock(`${monday}T10:00:00+08:00`);

const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

interface Resident {
  name: string;
  idNumber: string;
  phone: string;
  cases: { acceptNo: string; status: string }[];
}
let staff: Staff[];
let password: string;
let halls: Hall[];
let residents: Resident[];

const online = { overall: 5, efficiency: 4, guideAccuracy: 5, convenience: 4, usability: 3 };
const offline = { overall: 2, serviceEfficiency: 1, serviceLevel: 2, attitude: 2 };

async function staffToken(member: Staff): Promise<Record<string, string>> {
  const login = await call('POST', '/api/v1/auth/staff', { username: member.username, password });
  expect(login.status).toBe(200);
  return bearer(login.body.accessToken);
}
async function bindAs(resident: Resident) {
  return bearer((await bindResident(call, bff.world, resident)).token);
}
const districtCentre = (district: string) =>
  halls.find((h) => h.level === 'district' && h.district === district)!;
const supervisorOf = (district: string) =>
  staff.find((s) => s.role === 'supervisor' && s.hallId === districtCentre(district).id)!;

beforeAll(async () => {
  bff = await startTestBff(
    'rating',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      HOLIDAYS: HOLIDAYS.join(','),
      MAKEUP_WORKDAYS: MAKEUP.join(','),
    },
    { now: clock.now },
  );
  ({ staff, password } = await staffDirectory(bff.world.core));
  halls = (await call('GET', '/api/v1/halls')).body.halls;
  ({ citizens: residents } = await (await fetch(`${bff.world.core.url}/__admin/citizens`)).json());
}, scaled(60_000));
afterAll(() => bff.stop());

/** A served ticket: taken by the citizen, called and completed at a district centre window. */
async function servedTicket(citizen: Record<string, string>) {
  const hall = halls.find((h) => h.level === 'district')!;
  const window = hall.windows[0];
  const category = window.categories[0];
  const ticket = await call('POST', `/api/v1/halls/${hall.id}/tickets`, { category }, citizen);
  expect(ticket.status).toBe(201);
  const clerk = staff.find((s) => s.windowId === window.id)!;
  const auth = await staffToken(clerk);
  expect((await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, auth)).status).toBe(
    200,
  );
  expect(
    (await call('POST', `/api/v1/staff/tickets/${ticket.body.id}/complete`, undefined, auth)).status,
  ).toBe(200);
  return { id: ticket.body.id as string, hall, window, clerk };
}

describe('rating a handling', () => {
  test('a served ticket is rated on the offline indicators; where, who and the stage come from the ticket', async () => {
    const [citizen] = await boundCitizens(call, bff.world, 1);
    const auth = bearer(citizen.token);
    const waiting = await call(
      'POST',
      `/api/v1/halls/${halls.find((h) => h.level === 'district')!.id}/tickets`,
      { category: halls.find((h) => h.level === 'district')!.windows[1].categories[0] },
      auth,
    );
    const unserved = await call(
      'POST',
      '/api/v1/ratings',
      {
        ticketId: waiting.body.id,
        channel: 'offline',
        level: 5,
        indicators: { overall: 5, serviceEfficiency: 5, serviceLevel: 5, attitude: 5 },
      },
      auth,
    );
    expect([unserved.status, unserved.body.error.code]).toEqual([409, 'NOT_RATABLE']);
    await call('POST', `/api/v1/tickets/${waiting.body.id}/cancel`, undefined, auth);

    const served = await servedTicket(auth);
    // The prompt to rate reached the message centre.
    const messages = (await call('GET', '/api/v1/messages', undefined, auth)).body.messages;
    expect(messages.find((m: { kind: string }) => m.kind === 'rating_prompt')).toEqual(
      expect.objectContaining({ link: `/packages/rating/rate/index?ticketId=${served.id}` }),
    );

    const wrongSet = await call(
      'POST',
      '/api/v1/ratings',
      { ticketId: served.id, channel: 'offline', level: 2, indicators: online },
      auth,
    );
    expect([wrongSet.status, wrongSet.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    const wrongChannel = await call(
      'POST',
      '/api/v1/ratings',
      { ticketId: served.id, channel: 'online', level: 2, indicators: online },
      auth,
    );
    expect([wrongChannel.status, wrongChannel.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    // Tags follow the channel: 操作不便 is about the online platform, not a window.
    const wrongTag = await call(
      'POST',
      '/api/v1/ratings',
      { ticketId: served.id, channel: 'offline', level: 2, indicators: offline, tags: ['操作不便'] },
      auth,
    );
    expect([wrongTag.status, wrongTag.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect(wrongTag.body.error.message).toMatch(/^「操作不便」不是现场服务评价的标签/);
    const stranger = await boundCitizens(call, bff.world, 1);
    const foreign = await call(
      'POST',
      '/api/v1/ratings',
      { ticketId: served.id, channel: 'offline', level: 5, indicators: { ...offline, overall: 5 } },
      bearer(stranger[0].token),
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);

    const comment = '<script>alert(1)</script> 等了很久';
    const rated = await call(
      'POST',
      '/api/v1/ratings',
      {
        ticketId: served.id,
        channel: 'offline',
        level: 2,
        indicators: offline,
        comment,
        tags: ['等待时间长'],
        stage: '收件',
      },
      auth,
    );
    expect(rated.status).toBe(201);
    expect(rated.body).toEqual(
      expect.objectContaining({
        channel: 'offline',
        level: 2,
        levelLabel: '不满意',
        indicators: offline,
        comment,
        stage: '收件',
        hallId: served.hall.id,
        windowId: served.window.id,
        rerating: false,
        effective: true,
        followUp: expect.objectContaining({ status: 'open', overdue: false }),
      }),
    );
    expect((await bff.app.db.collection('ratings').findOne({ 'target.id': served.id }))!.staffId).toBe(
      served.clerk.id,
    );
    const again = await call(
      'POST',
      '/api/v1/ratings',
      {
        ticketId: served.id,
        channel: 'offline',
        level: 5,
        indicators: { overall: 5, serviceEfficiency: 5, serviceLevel: 5, attitude: 5 },
      },
      auth,
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_RATED']);
    expect((await call('GET', '/api/v1/ratings/mine', undefined, auth)).body.ratings).toHaveLength(1);
  });

  test('a case is rated online once; after completion once more, the latest counts and both are kept', async () => {
    const withRunning = residents.find((r) => r.cases.some((c) => c.status === 'reviewing'))!;
    const running = withRunning.cases.find((c) => c.status === 'reviewing')!;
    const auth = await bindAs(withRunning);
    const waitTag = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: running.acceptNo, channel: 'online', level: 4, indicators: online, tags: ['等待时间长'] },
      auth,
    );
    expect([waitTag.status, waitTag.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect(waitTag.body.error.message).toMatch(/^「等待时间长」不是网上办事评价的标签/);
    const first = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: running.acceptNo, channel: 'online', level: 4, indicators: online, tags: ['操作不便'] },
      auth,
    );
    expect([first.status, first.body.stage, first.body.followUp]).toEqual([201, '审批', null]);
    const early = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: running.acceptNo, channel: 'online', level: 5, indicators: online },
      auth,
    );
    expect([early.status, early.body.error.code]).toEqual([409, 'ALREADY_RATED']);
    // The stage is the case's (审查 → 审批), whatever the client says.
    const wrongStage = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: running.acceptNo, channel: 'online', level: 5, indicators: online, stage: '咨询' },
      auth,
    );
    expect([wrongStage.status, wrongStage.body.error.code]).toEqual([400, 'INVALID_INPUT']);

    const withDone = residents.find(
      (r) => r !== withRunning && r.cases.some((c) => c.status === 'completed'),
    )!;
    const done = withDone.cases.find((c) => c.status === 'completed')!;
    const owner = await bindAs(withDone);
    // A double tap is one rating, not a rating and its re-rating.
    const answers = await Promise.all(
      [1, 2].map(() =>
        call(
          'POST',
          '/api/v1/ratings',
          { acceptNo: done.acceptNo, channel: 'online', level: 2, indicators: online },
          owner,
        ),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const rerated = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: done.acceptNo, channel: 'online', level: 4, indicators: online },
      owner,
    );
    expect([rerated.status, rerated.body.rerating, rerated.body.effective]).toEqual([201, true, true]);
    const third = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: done.acceptNo, channel: 'online', level: 1, indicators: online },
      owner,
    );
    expect([third.status, third.body.error.code]).toEqual([409, 'ALREADY_RATED']);
    const mine = (await call('GET', '/api/v1/ratings/mine', undefined, owner)).body.ratings.filter(
      (r: { target: { id: string } }) => r.target.id === done.acceptNo,
    );
    expect(mine).toHaveLength(2);
    expect(mine.filter((r: { effective: boolean }) => r.effective)).toHaveLength(1);
    expect(mine.find((r: { effective: boolean }) => r.effective).rerating).toBe(true);
    expect(mine.every((r: { stage: string }) => r.stage === '出件')).toBe(true);
    // Both kept; the retired bad rating's follow-up is closed as superseded, so 待办 agrees with the statistics.
    expect(mine.find((r: { effective: boolean }) => !r.effective)).toEqual(
      expect.objectContaining({ level: 2, followUp: expect.objectContaining({ status: 'closed' }) }),
    );

    const foreign = await call(
      'POST',
      '/api/v1/ratings',
      { acceptNo: done.acceptNo, channel: 'online', level: 5, indicators: online },
      auth,
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const bad: [object, string][] = [
      [{ level: 6 }, 'INVALID_INPUT'],
      [{ indicators: { ...online, attitude: 3 } }, 'INVALID_INPUT'],
      [{ indicators: { overall: 5 } }, 'INVALID_INPUT'],
      [{ comment: '很'.repeat(301) }, 'INVALID_INPUT'],
      [{ tags: ['随便写的标签'] }, 'INVALID_INPUT'],
      [{ acceptNo: { $ne: null } }, 'INVALID_INPUT'],
      [{ ticketId: '0123456789abcdef01234567' }, 'INVALID_INPUT'],
    ];
    for (const [change, code] of bad) {
      const refused = await call(
        'POST',
        '/api/v1/ratings',
        { acceptNo: running.acceptNo, channel: 'online', level: 5, indicators: online, ...change },
        auth,
      );
      expect([JSON.stringify(change), refused.body.error?.code]).toEqual([JSON.stringify(change), code]);
    }
  });
});

describe('follow-ups', () => {
  test('a bad rating is due 15 working days later, skipping the weekend and holidays and counting the make-up Saturday; supervisors work and close it', async () => {
    const [citizen] = await boundCitizens(call, bff.world, 1);
    const auth = bearer(citizen.token);
    const served = await servedTicket(auth);
    const rated = await call(
      'POST',
      '/api/v1/ratings',
      { ticketId: served.id, channel: 'offline', level: 1, indicators: offline },
      auth,
    );
    // Tue–Fri (4), Mon (5), Tue/Wed off, Thu–Sat (8), Mon–Fri (13), Mon–Tue (15): the end of the Tuesday three weeks on.
    expect(rated.body.followUp.dueAt).toBe(new Date(`${addDays(monday, 23)}T00:00:00+08:00`).toISOString());

    const district = served.hall.district;
    const supervisor = await staffToken(supervisorOf(district));
    const list = await call('GET', '/api/v1/staff/follow-ups?status=open', undefined, supervisor);
    expect(list.status).toBe(200);
    expect(list.body.followUps.map((f: { id: string }) => f.id)).toContain(rated.body.id);
    const otherDistrict = halls.find((h) => h.level === 'district' && h.district !== district)!.district;
    const outsider = await staffToken(supervisorOf(otherDistrict));
    expect(
      (await call('GET', '/api/v1/staff/follow-ups', undefined, outsider)).body.followUps.map(
        (f: { id: string }) => f.id,
      ),
    ).not.toContain(rated.body.id);
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/follow-ups/${rated.body.id}`,
          { action: 'callback', note: '已电话回访' },
          outsider,
        )
      ).status,
    ).toBe(404);
    expect((await call('GET', '/api/v1/staff/follow-ups', undefined, auth)).status).toBe(403);

    const early = await call(
      'POST',
      `/api/v1/staff/follow-ups/${rated.body.id}`,
      { action: 'close', note: '办结' },
      supervisor,
    );
    expect([early.status, early.body.error.code]).toEqual([409, 'FOLLOW_UP_INCOMPLETE']);
    // Past the deadline it is flagged overdue.
    clock.set(`${addDays(monday, 23)}T09:00:00+08:00`);
    const overdue = await call('GET', '/api/v1/staff/follow-ups?status=overdue', undefined, supervisor);
    expect(overdue.body.followUps.find((f: { id: string }) => f.id === rated.body.id)).toEqual(
      expect.objectContaining({ overdue: true }),
    );
    expect(overdue.body.overdue).toBeGreaterThanOrEqual(1);
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/follow-ups/${rated.body.id}`,
          { action: 'callback', note: '已电话回访，群众反映等候时间长' },
          supervisor,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/follow-ups/${rated.body.id}`,
          { action: 'rectify', note: '高峰时段增开窗口' },
          supervisor,
        )
      ).status,
    ).toBe(200);
    const closes = await Promise.all(
      [1, 2].map(() =>
        call(
          'POST',
          `/api/v1/staff/follow-ups/${rated.body.id}`,
          { action: 'close', note: '整改完成，群众认可' },
          supervisor,
        ),
      ),
    );
    expect(closes.map((c) => [c.status, c.body.error?.code]).sort()).toEqual([
      [200, undefined],
      [409, 'FOLLOW_UP_CLOSED'],
    ]);
    const closed = closes.find((c) => c.status === 200)!.body;
    const late = await call(
      'POST',
      `/api/v1/staff/follow-ups/${rated.body.id}`,
      { action: 'callback', note: '再次回访' },
      supervisor,
    );
    expect([late.status, late.body.error.code]).toEqual([409, 'FOLLOW_UP_CLOSED']);
    expect(closed).toEqual(
      expect.objectContaining({
        status: 'closed',
        overdue: false,
        closeNote: '整改完成，群众认可',
        callbacks: [expect.objectContaining({ note: '已电话回访，群众反映等候时间长' })],
        rectifications: [expect.objectContaining({ note: '高峰时段增开窗口' })],
      }),
    );
    clock.set(`${monday}T10:00:00+08:00`);
  });
});

describe('statistics', () => {
  interface Seeded {
    district: string;
    hallId: string;
    windowId: string | null;
    staffId: string | null;
    itemCode: string | null;
    itemName: string | null;
    departmentCode: string | null;
    department: string | null;
    channel: 'online' | 'offline';
    level: number;
    indicators: Record<string, number>;
    ratedAt: Date;
    effective: boolean;
    followUp: { status: 'open' | 'closed'; callbacks: unknown[]; rectifications: unknown[] } | null;
  }

  test('1,000 seeded ratings: counts, satisfaction, indicator averages, follow-up and rectification rates by every grouping, exact at the period edges', async () => {
    const centre = halls.find((h) => h.level === 'district')!;
    const district = centre.district;
    const inDistrict = halls.filter((h) => h.district === district);
    const elsewhere = halls.filter((h) => h.district !== district);
    // The calendar month two months before the test's clock, whenever the suite runs.
    const firstOfMonthBefore = (months: number) => {
      const [year, month] = monday.split('-').map(Number);
      return new Date(Date.UTC(year, month - 1 - months, 1)).toISOString().slice(0, 10);
    };
    const from = firstOfMonthBefore(2);
    const to = addDays(firstOfMonthBefore(1), -1);
    let seed = 20261123;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const items = [
      ['I1', '城乡低保申请', 'MZJ', '民政局'],
      ['I2', '医保参保登记', 'YBJ', '医疗保障局'],
      ['I3', '个体工商户登记', 'SJJ', '市场监督管理局'],
      ['I4', '公积金提取', 'GJJ', '住房公积金管理中心'],
    ] as const;
    const edges = [
      `${from}T00:00:00.000+08:00`,
      `${to}T23:59:59.999+08:00`,
      `${addDays(to, 1)}T00:00:00.000+08:00`,
      `${addDays(from, -1)}T23:59:59.999+08:00`,
    ];
    const seeded: Seeded[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const hall = random() < 0.8 ? pick(inDistrict) : pick(elsewhere);
      const channel = random() < 0.5 ? 'online' : 'offline';
      const window = channel === 'offline' ? pick(hall.windows) : null;
      const item = random() < 0.85 ? pick(items) : null;
      const level = 1 + Math.floor(random() * 5);
      const codes =
        channel === 'online'
          ? ['overall', 'efficiency', 'guideAccuracy', 'convenience', 'usability']
          : ['overall', 'serviceEfficiency', 'serviceLevel', 'attitude'];
      const at =
        i < 40
          ? new Date(edges[i % 4])
          : new Date(Date.parse(`${addDays(from, -3)}T00:00:00+08:00`) + Math.floor(random() * 37 * DAY));
      seeded.push({
        district: hall.district,
        hallId: hall.id,
        windowId: window?.id ?? null,
        staffId: window ? `staff-${window.id}` : null,
        itemCode: item?.[0] ?? null,
        itemName: item?.[1] ?? null,
        departmentCode: item?.[2] ?? null,
        department: item?.[3] ?? null,
        channel,
        level,
        indicators: Object.fromEntries(codes.map((c) => [c, 1 + Math.floor(random() * 5)])),
        ratedAt: at,
        effective: random() < 0.93,
        followUp:
          level <= 2
            ? {
                status: random() < 0.5 ? 'closed' : 'open',
                callbacks: random() < 0.7 ? [{ at, by: 'sup', note: '回访' }] : [],
                rectifications: random() < 0.5 ? [{ at, by: 'sup', note: '整改' }] : [],
              }
            : null,
      });
    }
    await bff.app.db.collection('ratings').insertMany(
      seeded.map((r, i) => ({
        userId: 'seeded',
        target: { kind: 'case', id: `SEED${i}`, label: `seed ${i}` },
        sequence: 1,
        comment: '',
        tags: [],
        stage: '收件',
        ...r,
        followUp: r.followUp
          ? {
              dueAt: new Date(`${addDays(to, 21)}T00:00:00+08:00`),
              closedAt: null,
              closedBy: null,
              closeNote: null,
              ...r.followUp,
            }
          : null,
      })),
    );

    // The hand computation: Shanghai days from..to inclusive, effective ratings of the district.
    const start = Date.parse(`${from}T00:00:00+08:00`);
    const end = Date.parse(`${addDays(to, 1)}T00:00:00+08:00`);
    const counted = seeded.filter(
      (r) =>
        r.district === district && r.effective && r.ratedAt.getTime() >= start && r.ratedAt.getTime() < end,
    );
    // The first and last instants of the period are in it; the instants just outside are not.
    expect(
      [0, 1, 2, 3].map((e) => counted.some((r) => r.ratedAt.getTime() === Date.parse(edges[e]))),
    ).toEqual([true, true, false, false]);
    const round = (v: number) => Math.round(v * 10_000) / 10_000;
    const expectRow = (rows: Seeded[]) => {
      const levels = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<number, number>;
      for (const r of rows) levels[r.level] += 1;
      const bad = levels[1] + levels[2];
      const indicators: Record<string, number> = {};
      for (const code of [
        'overall',
        'efficiency',
        'guideAccuracy',
        'convenience',
        'usability',
        'serviceEfficiency',
        'serviceLevel',
        'attitude',
      ]) {
        const values = rows.filter((r) => code in r.indicators).map((r) => r.indicators[code]);
        if (values.length) indicators[code] = round(values.reduce((a, b) => a + b, 0) / values.length);
      }
      const badRows = rows.filter((r) => r.level <= 2);
      return {
        count: rows.length,
        levels,
        satisfactionRate: rows.length ? round((levels[3] + levels[4] + levels[5]) / rows.length) : null,
        indicators,
        bad,
        followUpRate: bad
          ? round(badRows.filter((r) => r.followUp!.callbacks.length > 0).length / bad)
          : null,
        rectificationRate: bad
          ? round(
              badRows.filter((r) => r.followUp!.status === 'closed' && r.followUp!.rectifications.length > 0)
                .length / bad,
            )
          : null,
      };
    };
    const supervisor = await staffToken(supervisorOf(district));
    // The ratings made by the other tests of this file are in another period (next week), so they do not count here.
    const keyOf = {
      window: (r: Seeded) => r.windowId,
      item: (r: Seeded) => r.itemCode,
      department: (r: Seeded) => r.departmentCode,
      staff: (r: Seeded) => r.staffId,
    };
    for (const groupBy of ['window', 'item', 'department', 'staff'] as const) {
      const answer = await call(
        'GET',
        `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=${groupBy}`,
        undefined,
        supervisor,
      );
      expect(answer.status).toBe(200);
      const { label: _label, key: _key, ...total } = answer.body.total;
      expect(total).toEqual(expectRow(counted));
      const expectedGroups = new Map<string, Seeded[]>();
      for (const r of counted) {
        const key = String(keyOf[groupBy](r));
        expectedGroups.set(key, [...(expectedGroups.get(key) ?? []), r]);
      }
      expect(answer.body.groups).toHaveLength(expectedGroups.size);
      for (const group of answer.body.groups) {
        const { label, key, ...numbers } = group;
        expect([groupBy, key, numbers]).toEqual([groupBy, key, expectRow(expectedGroups.get(String(key))!)]);
        expect(typeof label).toBe('string');
      }
    }
    const byWindow = (
      await call(
        'GET',
        `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=window`,
        undefined,
        supervisor,
      )
    ).body.groups;
    expect(byWindow.find((g: { key: string | null }) => g.key === null).label).toBe('网上办事（无窗口）');
    const aWindow = inDistrict
      .flatMap((h) => h.windows.map((w) => ({ h, w })))
      .find(({ w }) => byWindow.some((g: { key: string }) => g.key === w.id))!;
    expect(byWindow.find((g: { key: string }) => g.key === aWindow.w.id).label).toBe(
      `${aWindow.h.name} ${aWindow.w.name}`,
    );

    // One day only: the first of the period, from its Shanghai midnight.
    const oneDay = await call(
      'GET',
      `/api/v1/staff/ratings/stats?from=${from}&to=${from}&groupBy=item`,
      undefined,
      supervisor,
    );
    expect(oneDay.body.total.count).toBe(
      counted.filter((r) => r.ratedAt.getTime() < Date.parse(`${addDays(from, 1)}T00:00:00+08:00`)).length,
    );

    // Scope: another district's hall is 403; a department's supervisor sees only the department.
    const foreignHall = elsewhere[0].id;
    const refused = await call(
      'GET',
      `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=window&hallId=${foreignHall}`,
      undefined,
      supervisor,
    );
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const ownHall = await call(
      'GET',
      `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=window&hallId=${centre.id}`,
      undefined,
      supervisor,
    );
    expect(ownHall.body.total.count).toBe(counted.filter((r) => r.hallId === centre.id).length);
    const departmentChief = staff.find((s) => s.role === 'supervisor' && s.departmentCode === 'MZJ')!;
    const chief = await staffToken(departmentChief);
    const department = await call(
      'GET',
      `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=department`,
      undefined,
      chief,
    );
    expect(department.body.groups.map((g: { key: string }) => g.key)).toEqual(['MZJ']);
    expect(department.body.total.count).toBe(
      seeded.filter(
        (r) =>
          r.departmentCode === 'MZJ' &&
          r.effective &&
          r.ratedAt.getTime() >= start &&
          r.ratedAt.getTime() < end,
      ).length,
    );
    expect(
      (
        await call(
          'GET',
          `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=item&departmentCode=YBJ`,
          undefined,
          chief,
        )
      ).status,
    ).toBe(403);
    const citizen = (await boundCitizens(call, bff.world, 1))[0];
    expect(
      (
        await call(
          'GET',
          `/api/v1/staff/ratings/stats?from=${from}&to=${to}&groupBy=item`,
          undefined,
          bearer(citizen.token),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          'GET',
          `/api/v1/staff/ratings/stats?from=${to}&to=${from}&groupBy=item`,
          undefined,
          supervisor,
        )
      ).body.error.code,
    ).toBe('INVALID_INPUT');
  });
});
