// Reporting to the provincial 好差评 system (simulator, signed HTTP, version 2): every rating
// reported and acknowledged once, the rater only as a keyed hash; the province down, then back —
// every rating pending meanwhile (the day's reconciliation lists them), then acknowledged exactly
// once and the reconciliation balancing; a report sent again under its id counted once.
import { listenForCaseEvents, startTestBff, type TestBff } from '../support/bff';
import { bearer, injectCaller, postJson, signIn, type ApiCall } from '../support/citizens';
import { decidedCaseOfBoundResident, ratableItem, staffDirectory } from '../support/core-client';
import { until } from '../support/until';
import { scaled } from '../support/time-scale';

let bff: TestBff;
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
const rating = {
  channel: 'online',
  level: 4,
  indicators: { overall: 4, efficiency: 4, guideAccuracy: 5, convenience: 4, usability: 4 },
};
let item: { code: string; hallIds: string[] };
let supervisor: Record<string, string>;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  bff = await startTestBff('province', { RATE_LIMIT_PER_MINUTE: '100000', PROVINCE_RETRY_MS: '150' });
  await listenForCaseEvents(bff);
  item = await ratableItem(bff.world.core);
  const { staff, password } = await staffDirectory(bff.world.core);
  const member = staff.find((s) => s.role === 'supervisor')!;
  supervisor = bearer(
    (await call('POST', '/api/v1/auth/staff', { username: member.username, password })).body.accessToken,
  );
}, scaled(60_000));
afterAll(() => bff.stop());

/** A bound resident's completed case, rated in the app. */
async function ratedCase(): Promise<{
  acceptNo: string;
  ratingId: string;
  userId: string;
  token: string;
  name: string;
  phone: string;
}> {
  const { acceptNo, session, resident } = await decidedCaseOfBoundResident(bff.world, call, item);
  const rated = await call('POST', '/api/v1/ratings', { ...rating, acceptNo }, bearer(session.token));
  expect(rated.status).toBe(201);
  return {
    acceptNo,
    ratingId: rated.body.id,
    userId: session.id,
    token: session.token,
    name: resident.name,
    phone: resident.phone,
  };
}

const atProvince = async () =>
  (await (await fetch(`${bff.world.province.url}/dev/reports`)).json()).reports as {
    reportId: string;
    body: Record<string, any>;
  }[];
const reconciliation = async () =>
  (await call('GET', `/api/v1/staff/ratings/province-reconciliation?date=${today()}`, undefined, supervisor))
    .body;

test(
  'a rating is reported with the national fields, acknowledged once, the rater only as a keyed hash',
  async () => {
    const r = await ratedCase();
    const reportId = `rating:${r.ratingId}`;
    await until(
      async () =>
        (await bff.app.db.collection('province_reports').findOne({ _id: reportId as never }))?.state ===
        'acknowledged',
      'the acknowledgement',
    );
    // 事项版本: the version of the item's guide the case followed, as the guide shows it.
    const { guideVersion } = (
      await call('GET', `/api/v1/items/${item.code}/guide-feedback`, undefined, bearer(r.token))
    ).body;
    expect(guideVersion).toMatch(/^[0-9a-f]{12}$/);
    const reports = (await atProvince()).filter((p) => p.reportId === reportId);
    expect(reports).toHaveLength(1);
    expect(reports[0].body).toEqual(
      expect.objectContaining({
        version: '2',
        caseNo: r.acceptNo,
        itemCode: item.code,
        itemVersion: guideVersion,
        regionCode: '330100',
        channel: 'app',
        level: 4,
        raterKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    );
    const sent = JSON.stringify(reports[0].body);
    for (const secret of [r.userId, r.name, r.phone]) expect(sent).not.toContain(secret);
  },
  scaled(30_000),
);

test(
  'the province down: ratings wait as pending and unmatched, then are acknowledged once each and the day balances',
  async () => {
    await postJson(`${bff.world.province.url}/dev/faults`, { unavailable: 1000 });
    const rated = [await ratedCase(), await ratedCase()];
    const ids = rated.map((r) => `rating:${r.ratingId}`);
    await until(
      async () =>
        (await bff.app.db
          .collection('province_reports')
          .countDocuments({ _id: { $in: ids as never[] }, attempts: { $gte: 2 }, state: 'pending' })) === 2,
      'two failed attempts each',
    );
    const during = await reconciliation();
    expect(during.unmatched.map((u: { reportId: string }) => u.reportId)).toEqual(
      expect.arrayContaining(ids),
    );
    expect(during.unmatched[0].lastError).toContain('503');
    expect(during.pending).toBe(during.unmatched.length);
    expect(during.sent).toBe(during.acknowledged + during.pending);
    await postJson(`${bff.world.province.url}/dev/faults`, { unavailable: 0 });
    await until(
      async () => (await reconciliation()).unmatched.length === 0,
      'every report acknowledged',
      20_000,
    );
    const after = await reconciliation();
    expect(after.sent).toBe(after.acknowledged);
    expect(after.pending).toBe(0);
    const province = await atProvince();
    for (const id of ids) expect(province.filter((p) => p.reportId === id)).toHaveLength(1);
    expect(province).toHaveLength(after.acknowledged);
  },
  scaled(40_000),
);

test(
  'a report sent again under its id (an acknowledgement lost) is counted once by the province',
  async () => {
    const r = await ratedCase();
    const reportId = `rating:${r.ratingId}`;
    const reports = bff.app.db.collection('province_reports');
    await until(
      async () => (await reports.findOne({ _id: reportId as never }))?.state === 'acknowledged',
      'the acknowledgement',
    );
    const first = (await reports.findOne({ _id: reportId as never }))!.ackId;
    // As if the answer had been lost: the outbox still thinks it pending, and sends it again.
    await reports.updateOne(
      { _id: reportId as never },
      { $set: { state: 'pending', nextAt: new Date(0), ackId: null } },
    );
    await until(
      async () => (await reports.findOne({ _id: reportId as never }))?.state === 'acknowledged',
      'the second acknowledgement',
    );
    expect((await reports.findOne({ _id: reportId as never }))!.ackId).toBe(first);
    expect((await atProvince()).filter((p) => p.reportId === reportId)).toHaveLength(1);
  },
  scaled(30_000),
);

test(
  'a guide answer and the app rating are reported too (the app again as its next revision), each acknowledged once',
  async () => {
    const citizen = bearer((await signIn(call, bff.world)).token);
    expect(
      (
        await call(
          'PUT',
          `/api/v1/items/${item.code}/guide-feedback`,
          { accurate: false, comment: '收费标准已变' },
          citizen,
        )
      ).status,
    ).toBe(200);
    expect((await call('PUT', '/api/v1/app-feedback', { level: 4 }, citizen)).status).toBe(200);
    expect((await call('PUT', '/api/v1/app-feedback', { level: 2, comment: '字太小' }, citizen)).status).toBe(
      200,
    );
    const ours = async () =>
      (await atProvince()).filter(
        (p) =>
          (p.reportId.startsWith('guide:') && p.body.itemCode === item.code) || p.reportId.startsWith('app:'),
      );
    await until(async () => (await ours()).length === 3, 'three reports at the province');
    const sent = await ours();
    const guide = sent.find((p) => p.reportId.startsWith('guide:'))!;
    expect(guide.body).toEqual(
      expect.objectContaining({
        version: '2',
        itemCode: item.code,
        guideVersion: expect.stringMatching(/^[0-9a-f]{12}$/),
        accurate: false,
        regionCode: '330100',
        raterKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    );
    const app = sent.filter((p) => p.reportId.startsWith('app:')).map((p) => p.body);
    expect(app.map((b) => [b.revision, b.level])).toEqual(
      expect.arrayContaining([
        [1, 4],
        [2, 2],
      ]),
    );
    expect(new Set(sent.map((p) => p.reportId)).size).toBe(3);
    await until(async () => (await reconciliation()).pending === 0, 'the day balanced');
    const day = await reconciliation();
    const kinds = Object.fromEntries(day.byKind.map((k: { kind: string }) => [k.kind, k]));
    expect(kinds.guide).toEqual(expect.objectContaining({ sent: 1, acknowledged: 1, pending: 0 }));
    expect(kinds.app).toEqual(expect.objectContaining({ sent: 2, acknowledged: 2, pending: 0 }));
  },
  scaled(30_000),
);

test('the reconciliation is for supervisors, with a valid date', async () => {
  expect((await call('GET', `/api/v1/staff/ratings/province-reconciliation?date=${today()}`)).status).toBe(
    401,
  );
  expect(
    (await call('GET', '/api/v1/staff/ratings/province-reconciliation?date=yesterday', undefined, supervisor))
      .status,
  ).toBe(400);
});
