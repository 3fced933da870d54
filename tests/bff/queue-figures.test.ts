// The centre's operating figures, checked against a hand computation: one day of a district
// hall's queue is played through the real API on a clock the suite sets (two lines, two windows
// with their clerks, ten tickets with chosen times, a no-show, two abandoned tickets, a booking
// kept and one not), and every figure of every grouping (line, window, clerk; by day and by hour)
// is compared with the numbers worked out by hand below. Then the CSV, and every refusal.
import type { Staff } from '@onewindow/mock/core/model';
import type { Hall } from '@onewindow/shared-types';
import { figuresCsv } from '@onewindow/bff/modules/queue/figures';
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, boundCitizens, signIn, type ApiCall, injectCaller } from '../support/citizens';
import { staffDirectory } from '../support/core-client';
import { scaled } from '../support/time-scale';

let bff: TestBff;
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

// The played day D is next Monday; the suite's clock is set to each event's Shanghai time.
const DAY = (() => {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const daysToMonday = (8 - shanghaiNow.getUTCDay()) % 7 || 7;
  return new Date(
    Date.UTC(
      shanghaiNow.getUTCFullYear(),
      shanghaiNow.getUTCMonth(),
      shanghaiNow.getUTCDate() + daysToMonday,
    ),
  )
    .toISOString()
    .slice(0, 10);
})();
const NEXT_DAY = new Date(Date.parse(`${DAY}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
let clock = Date.parse(`${DAY}T08:00:00+08:00`);
const now = () => new Date(clock);
const at = (hhmm: string, day = DAY) => {
  clock = Date.parse(`${day}T${hhmm}:00+08:00`);
};

let hall: Hall;
let otherDistrictHall: Hall;
let directory: Staff[];
let password: string;
let supervisor: string;
let w1: Hall['windows'][number];
let w7: Hall['windows'][number];
let clerk1: Staff;
let clerk7: Staff;

async function login(member: Staff): Promise<string> {
  const answer = await call('POST', '/api/v1/auth/staff', { username: member.username, password });
  expect(answer.status).toBe(200);
  return answer.body.accessToken;
}

const figures = (query: Record<string, string>, token = supervisor) =>
  call('GET', `/api/v1/staff/queue/figures?${new URLSearchParams(query)}`, undefined, bearer(token));

beforeAll(async () => {
  bff = await startTestBff(
    'queue_figures',
    { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000' },
    { now },
  );
  const halls: Hall[] = (await call('GET', '/api/v1/halls?level=district')).body.halls;
  hall = halls[0];
  otherDistrictHall = halls.find((h) => h.district !== hall.district)!;
  ({ staff: directory, password } = await staffDirectory(bff.world.core));
  supervisor = await login(directory.find((s) => s.role === 'supervisor' && s.hallId === hall.id)!);
  // 1号窗口 serves 社保医保 (SB) and 综合; 7号综合窗口 serves every line, so the groupings differ.
  w1 = hall.windows.find((w) => w.id === `${hall.id}-W1`)!;
  w7 = hall.windows.find((w) => w.id === `${hall.id}-W7`)!;
  expect(w1.categories).toEqual(['SB', 'ZH']);
  expect(w7.categories).toEqual(expect.arrayContaining(['SB', 'MZ']));
  clerk1 = directory.find((s) => s.windowId === w1.id)!;
  clerk7 = directory.find((s) => s.windowId === w7.id)!;
  await playTheDay();
}, scaled(120_000));
afterAll(() => bff.stop());

/**
 * The day, in Shanghai time (A = 社保医保 SB, B = 民政残联 MZ):
 *
 * | ticket | line | drawn | window | called | ended            | wait | service |
 * |--------|------|-------|--------|--------|------------------|------|---------|
 * | A001   | SB   | 09:00 | W1     | 09:05  | done 09:15       |  5   | 10      |
 * | B001   | MZ   | 09:02 | W7     | 09:06  | done 09:20       |  4   | 14      |
 * | A002   | SB   | 09:10 | W7     | 09:21  | done 09:29       | 11   |  8      |
 * | A003   | SB   | 09:12 | W1     | 09:30  | skipped 09:33    |  –   |  –      | no-show
 * | B002   | MZ   | 09:35 | –      | –      | cancelled 09:50  |  –   |  –      | abandoned
 * | A004   | SB   | 09:40 | W1     | 09:55  | done 10:05       | 15   | 10      | exactly the target
 * | A005   | SB   | 10:00 | W7     | 10:03  | done 10:10       |  3   |  7      | booking 10:00 checked in
 * | B003   | MZ   | 10:01 | W7     | 10:20  | done 10:34       | 19   | 14      | over the target
 * | A006   | SB   | 10:02 | W1     | 10:06  | done 10:16       |  4   | 10      |
 * | A007   | SB   | 10:30 | –      | –      | still waiting    |  –   |  –      | abandoned once the day ends
 *
 * Bookings (SB): 10:00 (checked in at 10:00 → A005) and 10:30 (never checked in).
 * Each call below is the one the calling rule makes at that moment (checked in the test).
 */
async function playTheDay(): Promise<void> {
  const [booker, absentee] = await boundCitizens(call, bff.world, 2);
  const people = await Promise.all(Array.from({ length: 9 }, () => signIn(call, bff.world)));
  const [c1, c7] = await Promise.all([login(clerk1), login(clerk7)]);
  const items = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body.items;
  const item = items.find((i: { category: string; bookable: boolean }) => i.category === 'SB' && i.bookable);
  const slots = (
    await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${item.code}&from=${DAY}&to=${DAY}`)
  ).body.slots as { start: string }[];
  const slot = (hhmm: string) =>
    slots.find((s) => Date.parse(s.start) === Date.parse(`${DAY}T${hhmm}:00+08:00`))!;

  at('08:00');
  const book = async (citizen: { token: string }, hhmm: string) => {
    const answer = await call(
      'POST',
      '/api/v1/appointments',
      { hallId: hall.id, itemCode: item.code, start: slot(hhmm).start },
      bearer(citizen.token),
    );
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const kept = await book(booker, '10:00');
  await book(absentee, '10:30');

  const tickets = new Map<string, string>(); // number → id
  const owners = new Map<string, string>(); // number → token
  // Each step at its Shanghai time: the suite's clock is set first.
  const take = async (hhmm: string, who: number, category: string, number: string) => {
    at(hhmm);
    const answer = await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category },
      bearer(people[who].token),
    );
    expect([answer.status, answer.body.number]).toEqual([201, number]);
    tickets.set(number, answer.body.id);
    owners.set(number, people[who].token);
  };
  const callNext = async (hhmm: string, token: string, windowId: string, number: string) => {
    at(hhmm);
    const answer = await call(
      'POST',
      `/api/v1/staff/windows/${windowId}/call-next`,
      undefined,
      bearer(token),
    );
    expect([answer.status, answer.body.current?.number]).toEqual([200, number]);
  };
  const act = async (hhmm: string, token: string, number: string, action: 'complete' | 'skip') => {
    at(hhmm);
    const answer = await call(
      'POST',
      `/api/v1/staff/tickets/${tickets.get(number)}/${action}`,
      undefined,
      bearer(token),
    );
    expect(answer.status).toBe(200);
  };

  await take('09:00', 0, 'SB', 'A001');
  await take('09:02', 1, 'MZ', 'B001');
  await callNext('09:05', c1, w1.id, 'A001');
  await callNext('09:06', c7, w7.id, 'B001');
  await take('09:10', 2, 'SB', 'A002');
  await take('09:12', 3, 'SB', 'A003');
  await act('09:15', c1, 'A001', 'complete');
  await act('09:20', c7, 'B001', 'complete');
  await callNext('09:21', c7, w7.id, 'A002');
  await act('09:29', c7, 'A002', 'complete');
  await callNext('09:30', c1, w1.id, 'A003');
  await act('09:33', c1, 'A003', 'skip');
  await take('09:35', 4, 'MZ', 'B002');
  await take('09:40', 5, 'SB', 'A004');
  at('09:50');
  expect(
    (
      await call(
        'POST',
        `/api/v1/tickets/${tickets.get('B002')}/cancel`,
        undefined,
        bearer(owners.get('B002')!),
      )
    ).status,
  ).toBe(200);
  await callNext('09:55', c1, w1.id, 'A004');
  at('10:00');
  const checkIn = await call(
    'POST',
    `/api/v1/appointments/${kept}/check-in`,
    undefined,
    bearer(booker.token),
  );
  expect([checkIn.status, checkIn.body.ticket?.number]).toEqual([200, 'A005']);
  tickets.set('A005', checkIn.body.ticket.id);
  await take('10:01', 6, 'MZ', 'B003');
  await take('10:02', 7, 'SB', 'A006');
  await callNext('10:03', c7, w7.id, 'A005'); // the checked-in booking goes first
  await act('10:05', c1, 'A004', 'complete');
  await callNext('10:06', c1, w1.id, 'A006');
  await act('10:10', c7, 'A005', 'complete');
  await act('10:16', c1, 'A006', 'complete');
  await callNext('10:20', c7, w7.id, 'B003');
  await take('10:30', 8, 'SB', 'A007');
  await act('10:34', c7, 'B003', 'complete');
}

const H09 = `${DAY} 09:00`;
const H10 = `${DAY} 10:00`;
const MIN = 60; // seconds

/** The figures of a row, without its bucket, key and label. */
type Figures = {
  issued: number;
  served: number;
  noShows: number;
  abandoned: number;
  waitAvgSeconds: number | null;
  waitP90Seconds: number | null;
  serviceAvgSeconds: number | null;
  serviceP90Seconds: number | null;
  withinTarget: number;
  withinTargetRate: number | null;
  bookings: number;
  bookingsKept: number;
};
/**
 * A row of the hand computation: tickets (issued, served, no-shows, abandoned), wait and service
 * in seconds (average, p90; null when none was served), called within the target (count, rate),
 * bookings (made, kept).
 */
const byHand = (
  [issued, served, noShows, abandoned]: [number, number, number, number],
  wait: [number, number] | null,
  service: [number, number] | null,
  [withinTarget, withinTargetRate]: [number, number | null],
  [bookings, bookingsKept]: [number, number],
): Figures => ({
  issued,
  served,
  noShows,
  abandoned,
  waitAvgSeconds: wait?.[0] ?? null,
  waitP90Seconds: wait?.[1] ?? null,
  serviceAvgSeconds: service?.[0] ?? null,
  serviceP90Seconds: service?.[1] ?? null,
  withinTarget,
  withinTargetRate,
  bookings,
  bookingsKept,
});

// The hand computation. Target 15 min (the default); p90 is the nearest rank: the ⌈0.9·n⌉-th
// smallest; averages are rounded to whole seconds.
// issued: A001–A007, B001–B003
// served: A001 B001 A002 A004 A005 B003 A006
// no-shows: A003
// abandoned: B002 cancelled, A007 left waiting when the day ended
// average wait: (5+4+11+15+3+19+4)=61 min / 7 = 8.714 min = 522.86 s
// p90 wait: sorted 3,4,4,5,11,15,19: ⌈6.3⌉ = 7th = 19
// average service: (10+14+8+10+7+14+10)=73 / 7 = 10.4286 min = 625.71 s
// p90 service: sorted 7,8,10,10,10,14,14: 7th = 14
// within target: every wait but B003's 19 (A004's 15 counts: at most the target)
// within-target rate: 6/7
// bookings: 10:00 and 10:30
// bookings kept: 10:00
const TOTAL: Figures = byHand([10, 7, 1, 2], [523, 19 * MIN], [626, 14 * MIN], [6, 0.8571], [2, 1]);

const BY_LINE_DAY: Record<'SB' | 'MZ', Figures> = {
  // A001–A007; served A001 A002 A004 A005 A006
  // abandoned: A007
  // average wait: (5+11+15+3+4)=38 / 5 = 7.6 min
  // p90 wait: sorted 3,4,5,11,15: ⌈4.5⌉ = 5th
  // average service: (10+8+10+7+10)=45 / 5 = 9 min
  // p90 service: sorted 7,8,10,10,10: 5th
  SB: byHand([7, 5, 1, 1], [456, 15 * MIN], [540, 10 * MIN], [5, 1], [2, 1]),
  // B001–B003; served B001 B003
  // abandoned: B002
  // average wait: (4+19)/2 = 11.5 min
  // p90 wait: ⌈1.8⌉ = 2nd of 4,19
  // average service: (14+14)/2
  // within target: B001 (B003 waited 19)
  MZ: byHand([3, 2, 0, 1], [690, 19 * MIN], [14 * MIN, 14 * MIN], [1, 0.5], [0, 0]),
};

const BY_LINE_HOUR: Record<string, Figures> = {
  // A001 A002 A003 A004; served A001 A002 A004
  // average wait: (5+11+15)=31 / 3 = 10.333 min
  // p90 wait: ⌈2.7⌉ = 3rd of 5,11,15
  // average service: (10+8+10)=28 / 3 = 9.333 min
  // p90 service: 3rd of 8,10,10
  [`${H09}|SB`]: byHand([4, 3, 1, 0], [620, 15 * MIN], [560, 10 * MIN], [3, 1], [0, 0]),
  // B001 B002; served B001
  [`${H09}|MZ`]: byHand([2, 1, 0, 1], [4 * MIN, 4 * MIN], [14 * MIN, 14 * MIN], [1, 1], [0, 0]),
  // A005 A006 A007; served A005 A006; the bookings of 10:00 and 10:30
  // average wait: (3+4)/2 = 3.5 min
  // p90 wait: ⌈1.8⌉ = 2nd of 3,4
  // average service: (7+10)/2 = 8.5 min
  [`${H10}|SB`]: byHand([3, 2, 0, 1], [210, 4 * MIN], [510, 10 * MIN], [2, 1], [2, 1]),
  // B003
  [`${H10}|MZ`]: byHand([1, 1, 0, 0], [19 * MIN, 19 * MIN], [14 * MIN, 14 * MIN], [0, 0], [0, 0]),
};

// By window; the clerks are one per window here, so the clerk grouping has the same figures
// under the clerks' ids and names. 「未叫号」(key null) holds what no window called.
const BY_WINDOW_DAY: Record<'W1' | 'W7' | 'none', Figures> = {
  // A001 A003 A004 A006; served A001 A004 A006
  // no-shows: A003
  // average wait: (5+15+4)=24 / 3 = 8 min
  // p90 wait: 3rd of 4,5,15
  // average service: 10,10,10
  W1: byHand([4, 3, 1, 0], [480, 15 * MIN], [10 * MIN, 10 * MIN], [3, 1], [0, 0]),
  // B001 A002 A005 B003, all served
  // average wait: (4+11+3+19)=37 / 4 = 9.25 min
  // p90 wait: ⌈3.6⌉ = 4th of 3,4,11,19
  // average service: (14+8+7+14)=43 / 4 = 10.75 min
  // p90 service: 4th of 7,8,14,14
  // bookings: the 10:00 booking, served here as A005
  W7: byHand([4, 4, 0, 0], [555, 19 * MIN], [645, 14 * MIN], [3, 0.75], [1, 1]),
  // B002 A007, and the 10:30 booking that never came
  none: byHand([2, 0, 0, 2], null, null, [0, null], [1, 0]),
};

const BY_WINDOW_HOUR: Record<string, Figures> = {
  // A001 A003 A004; served A001 A004
  // average wait: (5+15)/2
  [`${H09}|W1`]: byHand([3, 2, 1, 0], [10 * MIN, 15 * MIN], [10 * MIN, 10 * MIN], [2, 1], [0, 0]),
  // B001 A002
  // average wait: (4+11)/2 = 7.5 min
  // average service: (14+8)/2
  [`${H09}|W7`]: byHand([2, 2, 0, 0], [450, 11 * MIN], [11 * MIN, 14 * MIN], [2, 1], [0, 0]),
  // B002
  [`${H09}|none`]: byHand([1, 0, 0, 1], null, null, [0, null], [0, 0]),
  // A006
  [`${H10}|W1`]: byHand([1, 1, 0, 0], [4 * MIN, 4 * MIN], [10 * MIN, 10 * MIN], [1, 1], [0, 0]),
  // A005 B003; the 10:00 booking
  // average wait: (3+19)/2
  // average service: (7+14)/2 = 10.5 min
  [`${H10}|W7`]: byHand([2, 2, 0, 0], [11 * MIN, 19 * MIN], [630, 14 * MIN], [1, 0.5], [1, 1]),
  // A007; the 10:30 booking
  [`${H10}|none`]: byHand([1, 0, 0, 1], null, null, [0, null], [1, 0]),
};

const dayQuery = (groupBy: string, bucket: string) => ({ from: DAY, to: DAY, groupBy, bucket });

describe('every figure of the played day, as computed by hand', () => {
  beforeAll(() => at('08:00', NEXT_DAY)); // the day has ended: A007 is abandoned

  test('by line, by day', async () => {
    const answer = await figures(dayQuery('line', 'day'));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(
      expect.objectContaining({
        hallId: hall.id,
        hallName: hall.name,
        from: DAY,
        to: DAY,
        targetWaitMinutes: 15,
      }),
    );
    expect(answer.body.total).toEqual({ bucket: null, key: null, label: '全部', ...TOTAL });
    const groups = [
      { key: 'MZ', label: '民政残联', ...BY_LINE_DAY.MZ },
      { key: 'SB', label: '社保医保', ...BY_LINE_DAY.SB },
    ];
    expect(answer.body.groups).toEqual(groups.map((g) => ({ bucket: null, ...g })));
    expect(answer.body.rows).toEqual(groups.map((g) => ({ bucket: DAY, ...g })));
  });

  test('by line, by hour', async () => {
    const answer = await figures(dayQuery('line', 'hour'));
    expect(answer.status).toBe(200);
    expect(answer.body.total).toEqual({ bucket: null, key: null, label: '全部', ...TOTAL });
    expect(answer.body.groups).toEqual([
      { bucket: null, key: 'MZ', label: '民政残联', ...BY_LINE_DAY.MZ },
      { bucket: null, key: 'SB', label: '社保医保', ...BY_LINE_DAY.SB },
    ]);
    expect(answer.body.rows).toEqual([
      { bucket: H09, key: 'MZ', label: '民政残联', ...BY_LINE_HOUR[`${H09}|MZ`] },
      { bucket: H09, key: 'SB', label: '社保医保', ...BY_LINE_HOUR[`${H09}|SB`] },
      { bucket: H10, key: 'MZ', label: '民政残联', ...BY_LINE_HOUR[`${H10}|MZ`] },
      { bucket: H10, key: 'SB', label: '社保医保', ...BY_LINE_HOUR[`${H10}|SB`] },
    ]);
  });

  // The window and clerk groupings: the same figures, under each grouping's keys and labels.
  const groupings = [
    {
      groupBy: 'window',
      key: (w: 'W1' | 'W7') => (w === 'W1' ? w1.id : w7.id),
      label: (w: 'W1' | 'W7') => (w === 'W1' ? '1号窗口' : '7号综合窗口'),
    },
    {
      groupBy: 'clerk',
      key: (w: 'W1' | 'W7') => (w === 'W1' ? clerk1.id : clerk7.id),
      label: (w: 'W1' | 'W7') => (w === 'W1' ? clerk1.name : clerk7.name),
    },
  ];
  for (const grouping of groupings) {
    test(`by ${grouping.groupBy}, by day and by hour`, async () => {
      expect(w1.name).toBe('1号窗口');
      expect(w7.name).toBe('7号综合窗口');
      const named = (w: 'W1' | 'W7') => ({ key: grouping.key(w), label: grouping.label(w) });
      const uncalled = { key: null, label: '未叫号' };

      const byDay = await figures(dayQuery(grouping.groupBy, 'day'));
      expect(byDay.status).toBe(200);
      expect(byDay.body.total).toEqual({ bucket: null, key: null, label: '全部', ...TOTAL });
      const groups = [
        { ...named('W1'), ...BY_WINDOW_DAY.W1 },
        { ...named('W7'), ...BY_WINDOW_DAY.W7 },
        { ...uncalled, ...BY_WINDOW_DAY.none },
      ];
      expect(byDay.body.groups).toEqual(groups.map((g) => ({ bucket: null, ...g })));
      expect(byDay.body.rows).toEqual(groups.map((g) => ({ bucket: DAY, ...g })));

      const byHour = await figures(dayQuery(grouping.groupBy, 'hour'));
      expect(byHour.status).toBe(200);
      expect(byHour.body.total).toEqual({ bucket: null, key: null, label: '全部', ...TOTAL });
      expect(byHour.body.groups).toEqual(groups.map((g) => ({ bucket: null, ...g })));
      expect(byHour.body.rows).toEqual([
        { bucket: H09, ...named('W1'), ...BY_WINDOW_HOUR[`${H09}|W1`] },
        { bucket: H09, ...named('W7'), ...BY_WINDOW_HOUR[`${H09}|W7`] },
        { bucket: H09, ...uncalled, ...BY_WINDOW_HOUR[`${H09}|none`] },
        { bucket: H10, ...named('W1'), ...BY_WINDOW_HOUR[`${H10}|W1`] },
        { bucket: H10, ...named('W7'), ...BY_WINDOW_HOUR[`${H10}|W7`] },
        { bucket: H10, ...uncalled, ...BY_WINDOW_HOUR[`${H10}|none`] },
      ]);
    });
  }

  test('a period around the day has the same figures; days without tickets add no rows', async () => {
    const answer = await figures({
      from: `${DAY.slice(0, 8)}01`,
      to: NEXT_DAY,
      groupBy: 'line',
      bucket: 'day',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.total).toEqual({ bucket: null, key: null, label: '全部', ...TOTAL });
    expect(answer.body.rows.map((r: { bucket: string }) => r.bucket)).toEqual([DAY, DAY]);
  });

  test('the CSV: a byte-order mark, the header, each row, each group and the total, in minutes', async () => {
    const answer = await bff.app.inject({
      method: 'GET',
      url: `/api/v1/staff/queue/figures.csv?${new URLSearchParams(dayQuery('line', 'day'))}`,
      headers: bearer(supervisor),
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toContain(
      `filename="queue-figures-${hall.id}-${DAY}-${DAY}.csv"`,
    );
    expect(answer.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(`运营数据-${hall.name}-${DAY}-${DAY}.csv`)}`,
    );
    expect(answer.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = answer.rawPayload.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toEqual([
      '日期,业务,取号数,办结数,平均等候(分钟),P90等候(分钟),平均办理(分钟),P90办理(分钟),15分钟内叫号,15分钟内叫号占比,过号未到,放弃,预约数,预约履约数',
      // 690 s = 11.5 min, 1140 s = 19.0, 840 s = 14.0; 1/2 = 50.0%
      `${DAY},民政残联,3,2,11.5,19.0,14.0,14.0,1,50.0%,0,1,0,0`,
      // 456 s = 7.6 min, 900 s = 15.0, 540 s = 9.0, 600 s = 10.0; 5/5 = 100.0%
      `${DAY},社保医保,7,5,7.6,15.0,9.0,10.0,5,100.0%,1,1,2,1`,
      `合计,民政残联,3,2,11.5,19.0,14.0,14.0,1,50.0%,0,1,0,0`,
      `合计,社保医保,7,5,7.6,15.0,9.0,10.0,5,100.0%,1,1,2,1`,
      // 523 s = 8.72 min, 626 s = 10.43 min; 0.8571 = 85.7%
      '合计,全部,10,7,8.7,19.0,10.4,14.0,6,85.7%,1,2,2,1',
      '',
    ]);
  });
});

test('CSV fields: commas, quotes and line breaks quoted (RFC 4180), formulas defused, nulls empty', () => {
  const row = { bucket: `${DAY} 09:00`, key: 'K', ...byHand([1, 0, 0, 1], null, null, [0, null], [0, 0]) };
  const csv = figuresCsv({
    hallId: 'H',
    hallName: '大厅',
    from: DAY,
    to: DAY,
    groupBy: 'clerk',
    bucket: 'hour',
    targetWaitMinutes: 20,
    total: { ...row, bucket: null, key: null, label: '全部' },
    groups: [],
    rows: [
      { ...row, label: '王,五' },
      { ...row, label: '李"四"' },
      { ...row, label: '赵\n六' },
      { ...row, label: '=HYPERLINK("x")' },
    ],
  });
  expect(csv.split('\r\n')).toEqual([
    '\uFEFF时段,工作人员,取号数,办结数,平均等候(分钟),P90等候(分钟),平均办理(分钟),P90办理(分钟),20分钟内叫号,20分钟内叫号占比,过号未到,放弃,预约数,预约履约数',
    `${DAY} 09:00,"王,五",1,0,,,,,0,,0,1,0,0`,
    `${DAY} 09:00,"李""四""",1,0,,,,,0,,0,1,0,0`,
    `${DAY} 09:00,"赵\n六",1,0,,,,,0,,0,1,0,0`,
    `${DAY} 09:00,"'=HYPERLINK(""x"")",1,0,,,,,0,,0,1,0,0`,
    '合计,全部,1,0,,,,,0,,0,1,0,0',
    '',
  ]);
});

test('while the day runs, a ticket still waiting is not abandoned', async () => {
  at('10:40');
  const answer = await figures(dayQuery('line', 'day'));
  expect(answer.status).toBe(200);
  // B002 only; A007 is still in the queue
  expect([answer.body.total.issued, answer.body.total.abandoned]).toEqual([10, 1]);
});

describe('refusals', () => {
  test('only supervisors: a citizen, a window clerk and an approver get 403 FORBIDDEN', async () => {
    const citizen = await signIn(call, bff.world);
    const approver = await login(directory.find((s) => s.role === 'approver')!);
    const clerk = await login(clerk1);
    for (const token of [citizen.token, approver, clerk]) {
      for (const path of ['figures', 'figures.csv']) {
        const answer = await call(
          'GET',
          `/api/v1/staff/queue/${path}?${new URLSearchParams(dayQuery('line', 'day'))}`,
          undefined,
          bearer(token),
        );
        expect([answer.status, answer.body.error.code]).toEqual([403, 'FORBIDDEN']);
      }
    }
    const anonymous = await call(
      'GET',
      `/api/v1/staff/queue/figures?${new URLSearchParams(dayQuery('line', 'day'))}`,
    );
    expect(anonymous.status).toBe(401);
  });

  test("another district's hall, and a department's supervisor (no hall), are refused", async () => {
    const foreign = await figures({ ...dayQuery('line', 'day'), hallId: otherDistrictHall.id });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(foreign.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    const unknown = await figures({ ...dayQuery('line', 'day'), hallId: 'H-NOPE' });
    expect([unknown.status, unknown.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const department = await login(directory.find((s) => s.role === 'supervisor' && s.departmentCode)!);
    const answer = await figures(dayQuery('line', 'day'), department);
    expect([answer.status, answer.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(answer.body.error.message).toContain('大厅');
  });

  test('bad queries: 400 INVALID_INPUT with a Chinese message', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ from: NEXT_DAY, to: DAY, groupBy: 'line', bucket: 'day' }, /开始日期不能晚于结束日期/],
      [{ from: '2026-01-01', to: '2026-02-01', groupBy: 'line', bucket: 'day' }, /最多统计 31 天/], // 32 days
      [{ from: DAY, to: DAY, groupBy: 'item', bucket: 'day' }, /./],
      [{ from: DAY, to: DAY, groupBy: 'line', bucket: 'week' }, /./],
      [{ from: '2026-02-30', to: DAY, groupBy: 'line', bucket: 'day' }, /./],
      [{ from: DAY, groupBy: 'line', bucket: 'day' }, /./],
    ];
    for (const [query, message] of cases) {
      const answer = await figures(query);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'INVALID_INPUT']);
      expect(answer.body.error.message).toMatch(message);
      expect(answer.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // 31 days is the longest period: accepted.
    expect(
      (await figures({ from: '2026-01-01', to: '2026-01-31', groupBy: 'line', bucket: 'day' })).status,
    ).toBe(200);
  });
});

/**
 * The rules that decide where a ticket counts, on a day of their own in a street hall of the same
 * district (its two 综合窗口 serve every line), the day after D, all in the 09:00 hour:
 *
 * | ticket | drawn | events                                                        | line | window | wait | service |
 * |--------|-------|---------------------------------------------------------------|------|--------|------|---------|
 * | A001   | 09:00 | W1 calls 09:05, recalls 09:07, completes 09:17                | SB   | W1     |  7   | 10      |
 * | A002   | 09:01 | W1 calls 09:18, transfers to MZ 09:20; W2 calls 09:21, done 09:31 | MZ | W2    | 20   | 10      |
 * | A003   | 09:32 | W1 calls 09:33, skips 09:35; rejoins 09:40; W2 calls 09:45, done 09:50 | SB | W2 | 13  |  5      |
 * | A004   | 09:52 | W1 calls 09:53, skips 09:55, never comes back                 | SB   | W1     |  –   |  –      | no-show
 *
 * Waiting runs to the last call (a recall, or the call after a transfer or a rejoin); a transferred
 * ticket counts in the line it was served in, a rejoined one at the window that served it and not
 * as a no-show.
 */
describe('recall, transfer and rejoin, as computed by hand', () => {
  let street: Hall;
  const H = `${NEXT_DAY} 09:00`;
  // by line: SB A001 A003 A004 (waits 7, 13; services 10, 5); MZ A002
  const SB = byHand([3, 2, 1, 0], [10 * MIN, 13 * MIN], [450, 10 * MIN], [2, 1], [0, 0]);
  const MZ = byHand([1, 1, 0, 0], [20 * MIN, 20 * MIN], [10 * MIN, 10 * MIN], [0, 0], [0, 0]);
  // by window: W1 A001 (7, 10) and A004 (no-show); W2 A002 (20, 10) and A003 (13, 5)
  const W1 = byHand([2, 1, 1, 0], [7 * MIN, 7 * MIN], [10 * MIN, 10 * MIN], [1, 1], [0, 0]);
  // average wait (20+13)/2 = 16.5 min = 990 s; p90 the 2nd of 13, 20
  const W2 = byHand([2, 2, 0, 0], [990, 20 * MIN], [450, 10 * MIN], [1, 0.5], [0, 0]);
  // total: waits 7, 20, 13 = 40/3 min = 800 s, p90 the 3rd; services 10, 10, 5 = 25/3 min = 500 s
  const ALL = byHand([4, 3, 1, 0], [800, 20 * MIN], [500, 10 * MIN], [2, 0.6667], [0, 0]);

  beforeAll(async () => {
    const streets: Hall[] = (await call('GET', '/api/v1/halls?level=street')).body.halls;
    street = streets.find((h) => h.district === hall.district)!;
    const [s1, s2] = street.windows;
    const [c1, c2] = await Promise.all(
      [s1, s2].map((w) => login(directory.find((s) => s.windowId === w.id)!)),
    );
    const people = await Promise.all(Array.from({ length: 4 }, () => signIn(call, bff.world)));
    const ids = new Map<string, string>();
    const step = async (hhmm: string, token: string, path: string, body?: unknown) => {
      at(hhmm, NEXT_DAY);
      const answer = await call('POST', `/api/v1${path}`, body, bearer(token));
      expect([path, answer.status]).toEqual([path, path.endsWith('/tickets') ? 201 : 200]);
      return answer.body;
    };
    const take = async (hhmm: string, who: number, number: string) => {
      const ticket = await step(hhmm, people[who].token, `/halls/${street.id}/tickets`, { category: 'SB' });
      expect(ticket.number).toBe(number);
      ids.set(number, ticket.id);
    };
    const callNext = async (hhmm: string, token: string, windowId: string, number: string) =>
      expect((await step(hhmm, token, `/staff/windows/${windowId}/call-next`)).current?.number).toBe(number);
    const act = (hhmm: string, token: string, number: string, action: string, body?: unknown) =>
      step(hhmm, token, `/staff/tickets/${ids.get(number)}/${action}`, body);

    await take('09:00', 0, 'A001');
    await take('09:01', 1, 'A002');
    await callNext('09:05', c1, s1.id, 'A001');
    await act('09:07', c1, 'A001', 'recall');
    await act('09:17', c1, 'A001', 'complete');
    await callNext('09:18', c1, s1.id, 'A002');
    await act('09:20', c1, 'A002', 'transfer', { category: 'MZ' });
    await callNext('09:21', c2, s2.id, 'A002');
    await act('09:31', c2, 'A002', 'complete');
    await take('09:32', 2, 'A003');
    await callNext('09:33', c1, s1.id, 'A003');
    await act('09:35', c1, 'A003', 'skip');
    await step('09:40', people[2].token, `/tickets/${ids.get('A003')}/rejoin`);
    await callNext('09:45', c2, s2.id, 'A003');
    await act('09:50', c2, 'A003', 'complete');
    await take('09:52', 3, 'A004');
    await callNext('09:53', c1, s1.id, 'A004');
    await act('09:55', c1, 'A004', 'skip');
    at('08:00', new Date(Date.parse(`${NEXT_DAY}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
  }, scaled(60_000));

  const query = (groupBy: string, bucket: string) => ({
    from: NEXT_DAY,
    to: NEXT_DAY,
    groupBy,
    bucket,
    hallId: street.id,
  });

  test('by line: the transferred ticket in the line that served it', async () => {
    for (const bucket of ['day', 'hour']) {
      const answer = await figures(query('line', bucket));
      expect(answer.status).toBe(200);
      expect(answer.body.total).toEqual({ bucket: null, key: null, label: '全部', ...ALL });
      const groups = [
        { key: 'MZ', label: '民政残联', ...MZ },
        { key: 'SB', label: '社保医保', ...SB },
      ];
      expect(answer.body.groups).toEqual(groups.map((g) => ({ bucket: null, ...g })));
      expect(answer.body.rows).toEqual(
        groups.map((g) => ({ bucket: bucket === 'day' ? NEXT_DAY : H, ...g })),
      );
    }
  });

  test('by window and by clerk: each ticket where it was called last', async () => {
    const [s1, s2] = street.windows;
    const clerkOf = (w: Hall['windows'][number]) => directory.find((s) => s.windowId === w.id)!;
    for (const [groupBy, one, two] of [
      ['window', { key: s1.id, label: s1.name }, { key: s2.id, label: s2.name }],
      [
        'clerk',
        { key: clerkOf(s1).id, label: clerkOf(s1).name },
        { key: clerkOf(s2).id, label: clerkOf(s2).name },
      ],
    ] as const) {
      for (const bucket of ['day', 'hour']) {
        const answer = await figures(query(groupBy, bucket));
        expect(answer.status).toBe(200);
        expect(answer.body.total).toEqual({ bucket: null, key: null, label: '全部', ...ALL });
        const groups = [
          { ...one, ...W1 },
          { ...two, ...W2 },
        ];
        expect(answer.body.groups).toEqual(groups.map((g) => ({ bucket: null, ...g })));
        expect(answer.body.rows).toEqual(
          groups.map((g) => ({ bucket: bucket === 'day' ? NEXT_DAY : H, ...g })),
        );
      }
    }
  });
});
