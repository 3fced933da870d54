// After a bad rating (issue 24): the follow-up's close and its rectification report to the
// province are one transaction (a failure between them leaves neither); the citizen sees the
// close in 我的评价 and rates the rectification once (satisfied or not, with a comment), which
// is stored, reported to the province as a rectification result from the citizen, and shown to
// the supervisor; a window clerk sees the ratings of their own handlings only (never who rated)
// and appeals a bad one from that list.
import type { Hall } from '@onewindow/shared-types';
import type { Staff } from '@onewindow/mock/core/model';
import { staffBearer, type TestBff } from '../support/bff';
import { bearer, injectCaller, signIn, type ApiCall } from '../support/citizens';
import { decidedCaseOfBoundResident, districtSupervisor } from '../support/core-client';
import { shanghaiWeekdayAWeekAhead, MovableClock } from '../support/clock';
import { BAD_ONLINE_RATING, startRatingBff } from '../support/ratings';
import { until } from '../support/until';
import { scaled } from '../support/time-scale';
import { ObjectId } from 'mongodb';

/** Next Tuesday (Shanghai), so the halls are open. */
const tuesday = shanghaiWeekdayAWeekAhead(2);
const clock = new MovableClock(`${tuesday}T10:00:00+08:00`);

let bff: TestBff;
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
let item: { code: string; hallIds: string[] };
let staff: Staff[];
let password: string;
let halls: Hall[];

beforeAll(async () => {
  ({ bff, item, staff, password, halls } = await startRatingBff(
    'rating-rectification',
    { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000', PROVINCE_RETRY_MS: '150' },
    { now: clock.now },
  ));
}, scaled(60_000));
afterAll(() => bff.stop());

const login = (member: Staff) => staffBearer(call, member, password);
const supervisorFor = (hallId: string) => districtSupervisor(staff, halls, hallId);
const reports = () => bff.app.db.collection<{ _id: string; state: string }>('province_reports');
const atProvince = async () =>
  (await (await fetch(`${bff.world.province.url}/dev/reports`)).json()).reports as {
    reportId: string;
    kind: string;
    body: Record<string, unknown>;
  }[];

/** A bad rating of a completed case, called back by the supervisor (ready to close). */
async function calledBackBadRating() {
  const { acceptNo, session } = await decidedCaseOfBoundResident(bff.world, call, item);
  const citizen = bearer(session.token);
  const rated = await call('POST', '/api/v1/ratings', { ...BAD_ONLINE_RATING, acceptNo }, citizen);
  expect(rated.status).toBe(201);
  const supervisor = await login(supervisorFor(item.hallIds[0]));
  const act = (action: string, note: string) =>
    call('POST', `/api/v1/staff/follow-ups/${rated.body.id}`, { action, note }, supervisor);
  expect((await act('callback', '已电话联系办事人')).status).toBe(200);
  expect((await act('rectify', '窗口增设导办人员')).status).toBe(200);
  return { id: rated.body.id as string, citizen, supervisor, act };
}

test(
  'closing a follow-up and its rectification report are one transaction: a failure between them leaves neither',
  async () => {
    const { id, act } = await calledBackBadRating();
    const reportId = `rectification:${id}`;
    // A report already under that id makes the outbox write fail after the close was written.
    await reports().insertOne({ _id: reportId, state: 'planted' });
    const failed = await act('close', '已整改完毕');
    expect(failed.status).toBe(500);
    const rating = await bff.app.db.collection('ratings').findOne({ _id: new ObjectId(id) });
    expect(rating!.followUp.status).toBe('open');
    expect(rating!.followUp.closedAt).toBeNull();
    expect(await reports().find({ _id: reportId }).toArray()).toEqual([{ _id: reportId, state: 'planted' }]);

    await reports().deleteOne({ _id: reportId });
    const closed = await act('close', '已整改完毕');
    expect(closed.status).toBe(200);
    await until(
      async () => (await reports().findOne({ _id: reportId }))?.state === 'acknowledged',
      'the rectification acknowledged',
    );
    const sent = (await atProvince()).filter((r) => r.reportId === reportId);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual(
      expect.objectContaining({ source: 'department', result: '已整改完毕', rectified: true }),
    );
  },
  scaled(40_000),
);

test(
  'the citizen sees the close and rates the rectification once; reported as a citizen rectification result, seen by the supervisor',
  async () => {
    const { id, citizen, supervisor, act } = await calledBackBadRating();
    const review = (who: Record<string, string>, body: unknown) =>
      call('POST', `/api/v1/ratings/${id}/rectification-review`, body, who);
    const mine = async () =>
      (await call('GET', '/api/v1/ratings/mine', undefined, citizen)).body.ratings.find(
        (r: { id: string }) => r.id === id,
      );
    // Not yet closed: nothing to rate.
    expect((await mine()).followUp.reviewable).toBe(false);
    expect((await review(citizen, { satisfied: true })).body.error.code).toBe('REVIEW_NOT_OPEN');
    expect((await act('close', '已整改：增设导办人员，缩短等候')).status).toBe(200);
    // Asked in the message centre too, once, pointing at 我的评价.
    const asked = (await call('GET', '/api/v1/messages', undefined, citizen)).body.messages.filter(
      (m: { kind: string }) => m.kind === 'rectification_review',
    );
    expect(asked).toEqual([
      expect.objectContaining({
        link: '/packages/rating/mine/index',
        body: expect.stringContaining('已整改：增设导办人员，缩短等候'),
      }),
    ]);
    expect((await mine()).followUp).toEqual(
      expect.objectContaining({
        status: 'closed',
        closeNote: '已整改：增设导办人员，缩短等候',
        closedAt: expect.any(String),
        reviewable: true,
        review: null,
      }),
    );
    // Bad input and someone else's rating are refused.
    expect((await review(citizen, { satisfied: 'yes' })).status).toBe(400);
    expect((await review(citizen, { satisfied: true, extra: 1 })).status).toBe(400);
    const stranger = bearer((await signIn(call, bff.world)).token);
    expect((await review(stranger, { satisfied: true })).status).toBe(404);
    expect((await review(supervisor, { satisfied: true })).status).toBe(403);
    // Two taps at once: one verdict stored.
    const both = await Promise.all([
      review(citizen, { satisfied: false, comment: '等候时间仍然较长' }),
      review(citizen, { satisfied: true }),
    ]);
    expect(both.map((b) => b.status).sort()).toEqual([200, 409]);
    const kept = both.find((b) => b.status === 200)!.body.followUp.review;
    expect(both.find((b) => b.status === 409)!.body.error.code).toBe('ALREADY_REVIEWED');
    expect((await mine()).followUp).toEqual(
      expect.objectContaining({ reviewable: false, review: expect.objectContaining(kept) }),
    );
    expect((await review(citizen, { satisfied: true })).body.error.code).toBe('ALREADY_REVIEWED');

    const reportId = `rectification-review:${id}`;
    await until(
      async () => (await reports().findOne({ _id: reportId }))?.state === 'acknowledged',
      'the verdict acknowledged',
    );
    const sent = (await atProvince()).filter((r) => r.reportId === reportId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual(expect.objectContaining({ kind: 'rectification' }));
    expect(sent[0].body).toEqual(
      expect.objectContaining({
        source: 'citizen',
        satisfied: kept.satisfied,
        ratingReportId: `rating:${id}`,
        raterKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    );
    const listed = (
      await call('GET', '/api/v1/staff/follow-ups?status=closed', undefined, supervisor)
    ).body.followUps.find((f: { id: string }) => f.id === id);
    expect(listed.rating.followUp.review).toEqual(expect.objectContaining(kept));
  },
  scaled(40_000),
);

const isClerkOf = (w: { id: string }) => (s: Staff) => s.windowId === w.id && s.role === 'window';
const clerkOf = (w: { id: string }) => staff.find(isClerkOf(w))!;
/** A district hall where at least two windows have a clerk, and those windows. */
function districtHallWithTwoClerks() {
  const withClerk = (h: Hall) => h.windows.filter((w) => staff.some(isClerkOf(w)));
  const hall = halls.find((h) => h.level === 'district' && withClerk(h).length >= 2)!;
  return { hall, windows: withClerk(hall) };
}
/** The citizen's ticket for the window's first line, called and completed there by the clerk. */
async function servedTicket(
  hallId: string,
  window: Hall['windows'][number],
  citizen: Record<string, string>,
  clerk: Record<string, string>,
) {
  const ticket = await call(
    'POST',
    `/api/v1/halls/${hallId}/tickets`,
    { category: window.categories[0] },
    citizen,
  );
  expect(ticket.status).toBe(201);
  expect((await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, clerk)).status).toBe(
    200,
  );
  expect(
    (await call('POST', `/api/v1/staff/tickets/${ticket.body.id}/complete`, undefined, clerk)).status,
  ).toBe(200);
  return ticket.body as { id: string; number: string };
}

test(
  'a window clerk sees the ratings of their own handlings only, never who rated, and appeals a bad one from the list',
  async () => {
    const { hall, windows } = districtHallWithTwoClerks();
    const [windowA, windowB] = windows;
    const offline = { overall: 1, serviceEfficiency: 1, serviceLevel: 2, attitude: 1 };
    /** A citizen's ticket served at `window`, rated `level`. */
    const ratedAt = async (window: Hall['windows'][number], level: number) => {
      const session = await signIn(call, bff.world);
      const citizen = bearer(session.token);
      const ticket = await servedTicket(hall.id, window, citizen, await login(clerkOf(window)));
      const rated = await call(
        'POST',
        '/api/v1/ratings',
        { ticketId: ticket.id, channel: 'offline', level, indicators: { ...offline, overall: level } },
        citizen,
      );
      expect(rated.status).toBe(201);
      return { id: rated.body.id as string, userId: session.id };
    };
    const a1 = await ratedAt(windowA, 1);
    const a2 = await ratedAt(windowA, 5);
    const b1 = await ratedAt(windowB, 2);
    const clerkA = await login(clerkOf(windowA));
    const clerkB = await login(clerkOf(windowB));
    const listOf = async (who: Record<string, string>) =>
      (await call('GET', '/api/v1/staff/ratings/mine', undefined, who)).body.ratings as {
        id: string;
        level: number;
        canAppeal: boolean;
        handling: string;
        appeal: { status: string } | null;
      }[];
    const ofA = await listOf(clerkA);
    expect(ofA.map((r) => r.id)).toEqual(expect.arrayContaining([a1.id, a2.id]));
    expect(ofA.map((r) => r.id)).not.toContain(b1.id);
    const ofB = await listOf(clerkB);
    expect(ofB.map((r) => r.id)).toContain(b1.id);
    expect(ofB.map((r) => r.id)).not.toContain(a1.id);
    expect(ofB.map((r) => r.id)).not.toContain(a2.id);
    // Never who rated.
    const body = JSON.stringify(ofA);
    for (const secret of [a1.userId, a2.userId, 'userId']) expect(body).not.toContain(secret);
    // Citizens and supervisors have no such list.
    const citizen = bearer((await signIn(call, bff.world)).token);
    expect((await call('GET', '/api/v1/staff/ratings/mine', undefined, citizen)).status).toBe(403);
    expect(
      (await call('GET', '/api/v1/staff/ratings/mine', undefined, await login(supervisorFor(hall.id))))
        .status,
    ).toBe(403);
    expect((await call('GET', '/api/v1/staff/ratings/mine')).status).toBe(401);
    // The bad one can be appealed, the good one not; another clerk's cannot be appealed by A.
    expect(ofA.find((r) => r.id === a1.id)!.canAppeal).toBe(true);
    expect(ofA.find((r) => r.id === a2.id)!.canAppeal).toBe(false);
    expect(
      (await call('POST', `/api/v1/staff/ratings/${b1.id}/appeal`, { reason: '不是我办理的' }, clerkA))
        .status,
    ).toBe(404);
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/ratings/${a1.id}/appeal`,
          { reason: '群众误评，已沟通说明' },
          clerkA,
        )
      ).status,
    ).toBe(200);
    const after = (await listOf(clerkA)).find((r) => r.id === a1.id)!;
    expect(after).toEqual(
      expect.objectContaining({ canAppeal: false, appeal: expect.objectContaining({ status: 'pending' }) }),
    );
  },
  scaled(60_000),
);

test(
  "the window's QR code is bound to the last ticket the clerk completed there: it opens that handling, once; another window is refused",
  async () => {
    const { hall, windows } = districtHallWithTwoClerks();
    const [window, other] = windows;
    const clerk = await login(clerkOf(window));
    const windowLink = () => call('POST', `/api/v1/staff/windows/${window.id}/rating-link`, undefined, clerk);
    const served = async (citizen: Record<string, string>) => servedTicket(hall.id, window, citizen, clerk);
    await served(bearer((await signIn(call, bff.world)).token));
    const owner = bearer((await signIn(call, bff.world)).token);
    const last = await served(owner);
    const answer = await windowLink();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(
      expect.objectContaining({ ticketId: last.id, number: last.number, rated: false }),
    );
    const token = answer.body.link.token as string;
    expect(answer.body.link.url).toContain(`rate/index?t=${token}`);
    // The link opens that handling's rate page, without login, and rates it once.
    const shown = await call('GET', `/api/v1/rate/${token}`);
    expect(shown.body).toEqual(expect.objectContaining({ channel: 'offline', rated: false }));
    expect(shown.body.label).toContain(last.number);
    const offline = { overall: 5, serviceEfficiency: 5, serviceLevel: 5, attitude: 5 };
    expect(
      (await call('POST', `/api/v1/rate/${token}`, { channel: 'offline', level: 5, indicators: offline }))
        .status,
    ).toBe(201);
    expect((await bff.app.db.collection('ratings').findOne({ 'target.id': last.id }))!.via).toBe('qr');
    // One rating per handling across channels: the ticket's owner cannot rate it again in the app.
    const again = await call(
      'POST',
      '/api/v1/ratings',
      { ticketId: last.id, channel: 'offline', level: 1, indicators: { ...offline, overall: 1 } },
      owner,
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_RATED']);
    expect(await bff.app.db.collection('ratings').countDocuments({ 'target.id': last.id })).toBe(1);
    // Rated: the window shows no code for it any more.
    expect((await windowLink()).body).toEqual(
      expect.objectContaining({ ticketId: last.id, rated: true, link: null }),
    );
    // Another window, a citizen: refused.
    expect(
      (await call('POST', `/api/v1/staff/windows/${other.id}/rating-link`, undefined, clerk)).status,
    ).toBe(403);
    const citizen = bearer((await signIn(call, bff.world)).token);
    expect(
      (await call('POST', `/api/v1/staff/windows/${window.id}/rating-link`, undefined, citizen)).status,
    ).toBe(403);
  },
  scaled(60_000),
);
