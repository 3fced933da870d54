// The bad-rating workflow of issue 24: staged follow-up deadlines (contact within 1 working day,
// rectify within 5, close within 15) across a weekend and a holiday, overdue per stage, done
// late still overdue; the citizen sees the stages; an appeal by the rated department decided by
// a supervisor — upheld takes the rating out of statistics but keeps it, rejected leaves it —
// and each is decided once.
import type { Staff } from '@onewindow/mock/core/model';
import { staffBearer, type TestBff } from '../support/bff';
import { bearer, injectCaller, signIn, type ApiCall } from '../support/citizens';
import { decidedCaseOfBoundResident, districtSupervisor } from '../support/core-client';
import { ObjectId } from 'mongodb';
import { addDays } from '@onewindow/shared-types/shanghai-time';
import { shanghaiWeekdayAWeekAhead, MovableClock } from '../support/clock';
import { BAD_ONLINE_RATING, startRatingBff } from '../support/ratings';
import { scaled } from '../support/time-scale';

/** The Friday (Shanghai) a week or more ahead. */
const friday = shanghaiWeekdayAWeekAhead(5);
const HOLIDAY = addDays(friday, 3); // the Monday after
const midnightAfter = (date: string) => new Date(`${addDays(date, 1)}T00:00:00+08:00`).toISOString();

let bff: TestBff;
const clock = new MovableClock(`${friday}T10:00:00+08:00`);
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
let item: { code: string; hallIds: string[] };
let staff: Staff[];
let password: string;
let halls: { id: string; district: string }[];

beforeAll(async () => {
  ({ bff, item, staff, password, halls } = await startRatingBff(
    'rating-appeals',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      HOLIDAYS: HOLIDAY,
      MAKEUP_WORKDAYS: '',
    },
    { now: clock.now },
  ));
}, scaled(60_000));
afterAll(() => bff.stop());

const login = (member: Staff) => staffBearer(call, member, password);

/** A bad rating of a completed case, with the case's department. */
async function badRating() {
  const { acceptNo, session } = await decidedCaseOfBoundResident(bff.world, call, item);
  const rated = await call(
    'POST',
    '/api/v1/ratings',
    { ...BAD_ONLINE_RATING, acceptNo },
    bearer(session.token),
  );
  expect(rated.status).toBe(201);
  return { rating: rated.body, citizen: bearer(session.token) };
}

const supervisorFor = (hallId: string) => districtSupervisor(staff, halls, hallId);

test(
  'staged deadlines skip the weekend and the holiday; a stage past due is overdue, done late stays overdue',
  async () => {
    clock.set(`${friday}T10:00:00+08:00`);
    const { rating, citizen } = await badRating();
    const stages = rating.followUp.stages as {
      stage: string;
      dueAt: string;
      overdue: boolean;
      doneAt: string | null;
    }[];
    expect(stages.map((s) => s.stage)).toEqual(['contact', 'rectify', 'close']);
    // Friday's rating: Saturday, Sunday and the Monday holiday are not working days.
    expect(stages[0].dueAt).toBe(midnightAfter(addDays(friday, 4))); // Tuesday
    expect(stages[1].dueAt).toBe(midnightAfter(addDays(friday, 10))); // Tue, Wed, Thu, Fri, Mon
    expect(stages.every((s) => !s.overdue)).toBe(true);
    // Wednesday, nobody has called: the contact stage is overdue, the others not yet.
    clock.set(`${addDays(friday, 5)}T10:00:00+08:00`);
    const supervisor = await login(supervisorFor(item.hallIds[0]));
    const listed = (
      await call('GET', '/api/v1/staff/follow-ups?status=open', undefined, supervisor)
    ).body.followUps.find((f: { id: string }) => f.id === rating.id);
    expect(listed.stages.map((s: { overdue: boolean }) => s.overdue)).toEqual([true, false, false]);
    const called = await call(
      'POST',
      `/api/v1/staff/follow-ups/${rating.id}`,
      { action: 'callback', note: '已电话联系办事人' },
      supervisor,
    );
    expect(called.body.stages[0]).toEqual(
      expect.objectContaining({ doneAt: expect.any(String), overdue: true }),
    );
    const rectified = await call(
      'POST',
      `/api/v1/staff/follow-ups/${rating.id}`,
      { action: 'rectify', note: '优化审批流程' },
      supervisor,
    );
    expect(rectified.body.stages[1]).toEqual(
      expect.objectContaining({ doneAt: expect.any(String), overdue: false }),
    );
    // The citizen sees the same progress on their own rating.
    const mine = (await call('GET', '/api/v1/ratings/mine', undefined, citizen)).body.ratings.find(
      (r: { id: string }) => r.id === rating.id,
    );
    expect(mine.followUp.stages.map((s: { doneAt: string | null }) => Boolean(s.doneAt))).toEqual([
      true,
      true,
      false,
    ]);
  },
  scaled(40_000),
);

test(
  'appeals: upheld keeps the rating out of statistics, rejected leaves it in; each decided once, by the rated side only',
  async () => {
    clock.set(`${friday}T10:00:00+08:00`);
    const first = await badRating();
    const second = await badRating();
    const department = first.rating.departmentCode as string;
    const approver = staff.find((s) => s.role === 'approver' && s.departmentCode === department);
    const otherApprover = staff.find((s) => s.role === 'approver' && s.departmentCode !== department);
    expect(approver && otherApprover).toBeTruthy();
    const supervisor = await login(supervisorFor(item.hallIds[0]));
    const stats = async () =>
      (
        await call(
          'GET',
          `/api/v1/staff/ratings/stats?from=${friday}&to=${friday}&groupBy=department`,
          undefined,
          supervisor,
        )
      ).body.total.count as number;
    const before = await stats();

    const byOther = await call(
      'POST',
      `/api/v1/staff/ratings/${first.rating.id}/appeal`,
      { reason: '不是我们部门的办件' },
      await login(otherApprover!),
    );
    expect(byOther.status).toBe(404);
    const rated = await login(approver!);
    const filed = await call(
      'POST',
      `/api/v1/staff/ratings/${first.rating.id}/appeal`,
      { reason: '办事人恶意差评，已有录音为证' },
      rated,
    );
    expect(filed.status).toBe(200);
    expect(filed.body.appeal).toEqual(expect.objectContaining({ status: 'pending' }));
    expect(JSON.stringify(filed.body)).not.toMatch(/userId/);
    expect(
      (await call('POST', `/api/v1/staff/ratings/${first.rating.id}/appeal`, { reason: '再次申诉' }, rated))
        .body.error.code,
    ).toBe('APPEAL_FILED');
    expect(
      (await call('POST', `/api/v1/staff/ratings/${second.rating.id}/appeal`, { reason: '评价有误' }, rated))
        .status,
    ).toBe(200);
    // Only supervisors decide, with a reason.
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/ratings/${first.rating.id}/appeal/decision`,
          { decision: 'upheld', reason: '核实属实' },
          rated,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/ratings/${first.rating.id}/appeal/decision`,
          { decision: 'upheld' },
          supervisor,
        )
      ).status,
    ).toBe(400);
    const upheld = await call(
      'POST',
      `/api/v1/staff/ratings/${first.rating.id}/appeal/decision`,
      { decision: 'upheld', reason: '经核实属恶意评价' },
      supervisor,
    );
    expect(upheld.body.appeal).toEqual(
      expect.objectContaining({ status: 'upheld', decisionReason: '经核实属恶意评价' }),
    );
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/ratings/${first.rating.id}/appeal/decision`,
          { decision: 'rejected', reason: '改判' },
          supervisor,
        )
      ).body.error.code,
    ).toBe('APPEAL_DECIDED');
    const rejected = await call(
      'POST',
      `/api/v1/staff/ratings/${second.rating.id}/appeal/decision`,
      { decision: 'rejected', reason: '评价属实' },
      supervisor,
    );
    expect(rejected.body.appeal.status).toBe('rejected');
    // Before: both counted. After: the upheld one is out, the rejected one stays; both are kept.
    expect(await stats()).toBe(before - 1);
    expect(
      await bff.app.db
        .collection('ratings')
        .countDocuments({ _id: { $in: [first.rating.id, second.rating.id].map((id) => new ObjectId(id)) } }),
    ).toBe(2);
  },
  scaled(40_000),
);

test('a guide and the app are rated too: a guide once per citizen and version, the app once (a second replaces it); accuracy and average for supervisors', async () => {
  const citizen = async () => bearer((await signIn(call, bff.world)).token);
  const [a, b] = [await citizen(), await citizen()];
  const guide = (who: Record<string, string>, code: string, body: unknown) =>
    call('PUT', `/api/v1/items/${code}/guide-feedback`, body, who);
  const before = (await call('GET', `/api/v1/items/${item.code}/guide-feedback`, undefined, a)).body;
  expect(before).toEqual({ guideVersion: expect.stringMatching(/^[0-9a-f]{12}$/), answer: null });
  const answered = await guide(a, item.code, { accurate: false, comment: '材料清单和窗口要求不一致' });
  expect(answered.status).toBe(200);
  expect(answered.body).toEqual({
    guideVersion: before.guideVersion,
    answer: expect.objectContaining({ accurate: false, comment: '材料清单和窗口要求不一致' }),
  });
  // The same version is answered once: a second answer (or a double tap) is refused, the first kept.
  expect((await guide(a, item.code, { accurate: true })).body.error.code).toBe('GUIDE_FEEDBACK_GIVEN');
  expect((await call('GET', `/api/v1/items/${item.code}/guide-feedback`, undefined, a)).body.answer).toEqual(
    expect.objectContaining({ accurate: false }),
  );
  const twice = await Promise.all([
    guide(b, item.code, { accurate: true }),
    guide(b, item.code, { accurate: true }),
  ]);
  expect(twice.map((t) => t.status).sort()).toEqual([200, 409]);
  expect((await guide(b, 'NO-SUCH-ITEM', { accurate: true })).status).toBe(404);
  expect((await guide(b, item.code, { accurate: 'yes' })).status).toBe(400);
  expect((await call('GET', `/api/v1/items/${item.code}/guide-feedback`)).status).toBe(401);
  expect((await call('PUT', '/api/v1/app-feedback', { level: 5 }, a)).status).toBe(200);
  expect((await call('PUT', '/api/v1/app-feedback', { level: 3, comment: '字太小' }, b)).status).toBe(200);
  expect((await call('PUT', '/api/v1/app-feedback', { level: 6 }, b)).status).toBe(400);
  const supervisor = await login(supervisorFor(item.hallIds[0]));
  expect((await call('GET', '/api/v1/staff/ratings/feedback', undefined, a)).status).toBe(403);
  const summary = (await call('GET', '/api/v1/staff/ratings/feedback', undefined, supervisor)).body;
  expect(summary.guides.find((g: { itemCode: string }) => g.itemCode === item.code)).toEqual(
    expect.objectContaining({ answers: 2, accurate: 1, accuracyRate: 0.5 }),
  );
  expect(summary.app).toEqual({ count: 2, average: 4 });
});
