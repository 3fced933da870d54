// Rating links (扫码评价, 短信评价): a short signed token bound to one handling opens the rate
// page without login; it works once and expires; a forged one, another handling's or a used
// one is refused with its own code; the one-rating-per-handling rule holds across the app and
// every link; two uses at once rate once. A case that completes sends its owner an SMS (through
// the SMS simulator) whose link rates it, once.
import { listenForCaseEvents, smsReceiptUrl, startTestBff, type TestBff } from '../support/bff';
import { MovableClock, shanghaiHourToday } from '../support/clock';
import { bearer, injectCaller, type ApiCall } from '../support/citizens';
import { boundResident, decidedCase, ratableItem } from '../support/core-client';
import { until } from '../support/until';
import { scaled } from '../support/time-scale';

let bff: TestBff;
const clock = new MovableClock();
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);
const online = { overall: 5, efficiency: 4, guideAccuracy: 5, convenience: 4, usability: 4 };
const rating = { channel: 'online', level: 5, indicators: online, comment: '办得很快' };
let item: { code: string; hallIds: string[] };

beforeAll(async () => {
  bff = await startTestBff(
    'rating-links',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATING_LINK_TTL_HOURS: '200',
      RATING_LATE_DAYS: '7',
      RATING_LINK_BASE: 'https://pj.example.gov.cn',
      NOTIFY_RETRY_MS: '150',
      SMS_RETRY_MS: '150',
    },
    { now: clock.now },
  );
  const address = await listenForCaseEvents(bff);
  bff.world.sms.setReceiptUrl(smsReceiptUrl(address));
  item = await ratableItem(bff.world.core);
}, scaled(60_000));
afterAll(() => bff.stop());
beforeEach(() => {
  clock.set(shanghaiHourToday(10));
});

interface Person {
  token: string;
  phone: string;
  idNumber: string;
}

async function person(): Promise<Person> {
  const { session, resident } = await boundResident(bff.world, call);
  return { token: session.token, phone: resident.phone, idNumber: resident.idNumber };
}

/** A case of the person's, accepted, reviewed and completed (not approved) by its approver. */
const completedCase = (p: Person) => decidedCase(bff.world.core, p.idNumber, item);

const link = async (p: Person, acceptNo: string) => {
  const answer = await call('POST', '/api/v1/ratings/links', { acceptNo }, bearer(p.token));
  expect(answer.status).toBe(201);
  return answer.body as { token: string; url: string; expiresAt: string };
};
const rateBy = (token: string, body: unknown = rating) => call('POST', `/api/v1/rate/${token}`, body);
const code = (answer: { status: number; body: any }) => [answer.status, answer.body?.error?.code];

describe('扫码评价', () => {
  test(
    "a link to one's own case opens without login, rates once, and is refused the second time",
    async () => {
      const p = await person();
      const acceptNo = await completedCase(p);
      const { token, url } = await link(p, acceptNo);
      expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(url).toBe(`https://pj.example.gov.cn/#/packages/rating/rate/index?t=${token}`);
      const shown = await call('GET', `/api/v1/rate/${token}`);
      expect(shown.body).toEqual(
        expect.objectContaining({
          label: expect.stringContaining(acceptNo),
          channel: 'online',
          rated: false,
        }),
      );
      const rated = await rateBy(token);
      expect(rated.status).toBe(201);
      expect(rated.body.target).toEqual(expect.objectContaining({ kind: 'case', id: acceptNo }));
      expect((await bff.app.db.collection('ratings').findOne({ 'target.id': acceptNo }))?.via).toBe('qr');
      expect(code(await rateBy(token))).toEqual([409, 'RATING_LINK_USED']);
      expect(code(await call('GET', `/api/v1/rate/${token}`))).toEqual([409, 'RATING_LINK_USED']);
    },
    scaled(30_000),
  );

  test(
    "forged, malformed, expired and other people's links are refused with their codes",
    async () => {
      const p = await person();
      const acceptNo = await completedCase(p);
      const { token } = await link(p, acceptNo);
      const forged = `${token.slice(0, 21)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(code(await rateBy(forged))).toEqual([404, 'RATING_LINK_INVALID']);
      expect(code(await call('GET', `/api/v1/rate/${token.slice(0, 12)}AAAAAAAAAA`))).toEqual([
        404,
        'RATING_LINK_INVALID',
      ]);
      expect(code(await call('GET', '/api/v1/rate/short'))).toEqual([404, 'RATING_LINK_INVALID']);
      // The handling comes from the link: a body naming another one is not accepted.
      expect(code(await rateBy(token, { ...rating, acceptNo: 'YC20260000001' }))).toEqual([
        400,
        'INVALID_INPUT',
      ]);
      // Someone else cannot mint a link to this case.
      const stranger = await person();
      expect((await call('POST', '/api/v1/ratings/links', { acceptNo }, bearer(stranger.token))).status).toBe(
        404,
      );
      expect((await call('POST', '/api/v1/ratings/links', { acceptNo }, {})).status).toBe(401);
      clock.advance(200 * 3600_000 + 1000);
      expect(code(await rateBy(token))).toEqual([410, 'RATING_LINK_EXPIRED']);
      expect(await bff.app.db.collection('ratings').countDocuments({ 'target.id': acceptNo })).toBe(0);
    },
    scaled(30_000),
  );

  test(
    'a bad rating body leaves the link usable; two uses at once rate once',
    async () => {
      const p = await person();
      const acceptNo = await completedCase(p);
      const { token } = await link(p, acceptNo);
      expect(code(await rateBy(token, { ...rating, indicators: { overall: 5 } }))).toEqual([
        400,
        'INVALID_INPUT',
      ]);
      const answers = await Promise.all([rateBy(token), rateBy(token), rateBy(token)]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      expect(await bff.app.db.collection('ratings').countDocuments({ 'target.id': acceptNo })).toBe(1);
    },
    scaled(30_000),
  );

  test(
    "one rule across channels: a link rating, the app's one re-rating of the completed case, then nothing more",
    async () => {
      const p = await person();
      const acceptNo = await completedCase(p);
      const first = await link(p, acceptNo);
      const spare = await link(p, acceptNo);
      expect(
        (await rateBy(first.token, { ...rating, level: 2, indicators: { ...online, overall: 2 } })).status,
      ).toBe(201);
      expect((await call('POST', '/api/v1/ratings', { ...rating, acceptNo }, bearer(p.token))).status).toBe(
        201,
      );
      expect(code(await rateBy(spare.token))).toEqual([409, 'ALREADY_RATED']);
      // The handling is rated: the spare link is spent too.
      expect(code(await rateBy(spare.token))).toEqual([409, 'RATING_LINK_USED']);
      expect(await bff.app.db.collection('ratings').countDocuments({ 'target.id': acceptNo })).toBe(2);
    },
    scaled(30_000),
  );
});

describe('late rating', () => {
  test(
    'a finished case can be rated within the configured days after it finished, not after',
    async () => {
      const p = await person();
      const late = await completedCase(p);
      const onTime = await completedCase(p);
      clock.advance(6 * 86_400_000);
      expect((await rateBy((await link(p, onTime)).token)).status).toBe(201);
      clock.advance(2 * 86_400_000);
      const { token } = await link(p, late);
      expect(code(await rateBy(token))).toEqual([410, 'RATING_PERIOD_OVER']);
      expect(
        code(await call('POST', '/api/v1/ratings', { ...rating, acceptNo: late }, bearer(p.token))),
      ).toEqual([410, 'RATING_PERIOD_OVER']);
      // The refusal left the link usable: it was the rating that could not be made.
      expect((await call('GET', `/api/v1/rate/${token}`)).status).toBe(200);
    },
    scaled(30_000),
  );
});

describe('短信评价', () => {
  test(
    'a completed case sends its owner an SMS whose link rates it once',
    async () => {
      const p = await person();
      const acceptNo = await completedCase(p);
      const texts = async () =>
        (
          (await (await fetch(`${bff.world.sms.url}/dev/messages?phone=${p.phone}`)).json()).messages as {
            content: string;
          }[]
        )
          .map((m) => m.content)
          .filter((t) => t.includes('请对本次服务评价'));
      const [sms] = await until(
        async () => ((await texts()).length > 0 ? await texts() : null),
        'the rating SMS',
        20_000,
      );
      expect(sms).toContain(acceptNo);
      const token = /[?&]t=([A-Za-z0-9_-]{22})/.exec(sms)![1];
      expect((await call('GET', `/api/v1/rate/${token}`)).body.label).toContain(acceptNo);
      expect((await rateBy(token)).status).toBe(201);
      expect((await bff.app.db.collection('ratings').findOne({ 'target.id': acceptNo }))?.via).toBe('sms');
      expect(code(await rateBy(token))).toEqual([409, 'RATING_LINK_USED']);
      expect(await texts()).toHaveLength(1);
    },
    scaled(40_000),
  );
});
