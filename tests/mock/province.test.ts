// The provincial 好差评 simulator through HTTP, as the BFF's reporter calls it: the signature,
// its clock window and nonce, the national fields and version 2, one acknowledgement per
// report id, rectifications only of known ratings, and an outage.
import { randomBytes } from 'node:crypto';
import { provinceSignature, startProvince, type ProvinceHandle } from '@onewindow/mock/province/server';

let province: ProvinceHandle;
beforeAll(async () => {
  province = await startProvince({ appId: 'city-test', appSecret: 'province-secret-0123456789' });
});
afterAll(() => province.stop());

async function report(
  path: string,
  body: unknown,
  tamper: { secret?: string; timestamp?: string; nonce?: string } = {},
) {
  const raw = JSON.stringify(body);
  const timestamp = tamper.timestamp ?? String(Date.now());
  const nonce = tamper.nonce ?? randomBytes(8).toString('hex');
  const signature = provinceSignature(
    tamper.secret ?? province.appSecret,
    province.appId,
    timestamp,
    nonce,
    raw,
  );
  const response = await fetch(`${province.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-app-id': province.appId,
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-signature': signature,
    },
    body: raw,
  });
  return { status: response.status, body: await response.json() };
}
const rating = (reportId: string) => ({
  reportId,
  version: '2',
  caseNo: 'YC202612010001',
  itemCode: 'ITEM-1',
  itemVersion: '3f2a9c01d4e5',
  deptCode: 'D01',
  regionCode: '330100',
  channel: 'qr',
  level: 5,
  indicators: { overall: 5 },
  ratedAt: new Date().toISOString(),
  raterKey: 'ab'.repeat(16),
});

test('a signed rating is acknowledged once; the same report id again is a duplicate with the same ack', async () => {
  const first = await report('/api/v2/evaluations', rating('rating:1'));
  expect(first).toEqual({
    status: 200,
    body: expect.objectContaining({ code: 0, duplicate: false, ackId: expect.any(String) }),
  });
  const again = await report('/api/v2/evaluations', rating('rating:1'));
  expect(again.body).toEqual(expect.objectContaining({ code: 0, duplicate: true, ackId: first.body.ackId }));
  const held = (await (await fetch(`${province.url}/dev/reports`)).json()).reports;
  expect(held.filter((r: { reportId: string }) => r.reportId === 'rating:1')).toHaveLength(1);
});

test('a wrong secret, a stale timestamp and a reused nonce are refused', async () => {
  expect(
    (await report('/api/v2/evaluations', rating('rating:2'), { secret: 'not-the-secret-at-all' })).body.code,
  ).toBe(40102);
  expect(
    (await report('/api/v2/evaluations', rating('rating:2'), { timestamp: String(Date.now() - 10 * 60_000) }))
      .body.code,
  ).toBe(40103);
  expect((await report('/api/v2/evaluations', rating('rating:2'), { nonce: 'same-nonce' })).status).toBe(200);
  expect((await report('/api/v2/evaluations', rating('rating:3'), { nonce: 'same-nonce' })).body.code).toBe(
    40104,
  );
});

test('missing national fields, another version or a level out of range are refused; rectifications need their rating', async () => {
  const { raterKey, ...withoutRater } = rating('rating:4');
  expect(raterKey).toBeTruthy();
  expect((await report('/api/v2/evaluations', withoutRater)).body).toEqual(
    expect.objectContaining({ code: 40002, msg: expect.stringContaining('raterKey') }),
  );
  const { itemVersion, ...unversioned } = rating('rating:4');
  expect(itemVersion).toBeTruthy();
  expect((await report('/api/v2/evaluations', unversioned)).body).toEqual(
    expect.objectContaining({ code: 40002, msg: expect.stringContaining('itemVersion') }),
  );
  expect((await report('/api/v2/evaluations', { ...rating('rating:4'), version: '1' })).body.code).toBe(
    40003,
  );
  expect((await report('/api/v2/evaluations', { ...rating('rating:4'), level: 6 })).body.code).toBe(40004);
  const rectification = {
    reportId: 'rectification:9',
    version: '2',
    ratingReportId: 'rating:9',
    result: '已整改',
    closedAt: new Date().toISOString(),
  };
  expect((await report('/api/v2/rectifications', rectification)).status).toBe(404);
  expect(
    (await report('/api/v2/rectifications', { ...rectification, ratingReportId: 'rating:1' })).body.code,
  ).toBe(0);
});

test('an outage answers 503 and then recovers', async () => {
  await fetch(`${province.url}/dev/faults`, { method: 'POST', body: JSON.stringify({ unavailable: 1 }) });
  expect((await report('/api/v2/evaluations', rating('rating:5'))).status).toBe(503);
  expect((await report('/api/v2/evaluations', rating('rating:5'))).body.code).toBe(0);
});

test("a guide's and the platform's ratings, and a citizen's verdict on a rectification, each with their fields", async () => {
  const guide = {
    reportId: 'guide:abc',
    version: '2',
    itemCode: 'ITEM-1',
    guideVersion: '0123456789ab',
    regionCode: '330100',
    accurate: false,
    comment: '材料清单不一致',
    ratedAt: new Date().toISOString(),
    raterKey: 'cd'.repeat(16),
  };
  expect((await report('/api/v2/guide-evaluations', guide)).body).toEqual(
    expect.objectContaining({ code: 0, duplicate: false }),
  );
  const { guideVersion: _omitted, ...noVersion } = guide;
  void _omitted;
  expect((await report('/api/v2/guide-evaluations', { ...noVersion, reportId: 'guide:x' })).body.code).toBe(
    40002,
  );
  expect(
    (await report('/api/v2/guide-evaluations', { ...guide, reportId: 'guide:y', accurate: 'no' })).body.code,
  ).toBe(40005);
  const platform = {
    reportId: 'app:abc:1',
    version: '2',
    platform: 'onewindow-miniapp',
    regionCode: '330100',
    level: 4,
    ratedAt: new Date().toISOString(),
    raterKey: 'ef'.repeat(16),
  };
  expect((await report('/api/v2/platform-evaluations', platform)).body.code).toBe(0);
  expect(
    (await report('/api/v2/platform-evaluations', { ...platform, reportId: 'app:abc:2', level: 9 })).body
      .code,
  ).toBe(40004);
  await report('/api/v2/evaluations', rating('rating:verdict'));
  const verdict = {
    reportId: 'rectification-review:1',
    version: '2',
    ratingReportId: 'rating:verdict',
    source: 'citizen',
    result: '不满意：仍需改进',
    closedAt: new Date().toISOString(),
  };
  expect((await report('/api/v2/rectifications', verdict)).body.code).toBe(40006);
  expect((await report('/api/v2/rectifications', { ...verdict, satisfied: false })).body.code).toBe(0);
});
