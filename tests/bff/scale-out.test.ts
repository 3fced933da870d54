// Three BFF processes over one database behind a round-robin balancer, as a city runs them:
// no overbooking and gap-free numbers across instances, a webhook replayed to another instance
// refused, each reminder sent once however many instances sweep, and a periodic job's lease
// taken over when the instance holding it is killed.
import { signRequest } from '@onewindow/bff/plugins/core-signature';
import { startBffProcesses, type BffCluster } from '../support/bff-processes';
import { bearer, boundCitizens, fetchCaller, type ApiCall, type Citizen } from '../support/citizens';
import { scaled } from '../support/time-scale';
import { until } from '../support/until';

// Next Monday 09:30 Shanghai: halls open, the week's slots bookable.
const monday = (() => {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const days = ((8 - shanghaiNow.getUTCDay()) % 7) || 7;
  return new Date(Date.UTC(shanghaiNow.getUTCFullYear(), shanghaiNow.getUTCMonth(), shanghaiNow.getUTCDate() + days)).toISOString().slice(0, 10);
})();

let cluster: BffCluster;
let call: ApiCall;
let people: Citizen[];
let next = 0;
const person = () => people[next++];

beforeAll(async () => {
  cluster = await startBffProcesses('scaleout', 3, { ONEWINDOW_NOW: `${monday}T09:30:00+08:00`, BOOKING_SWEEP_MS: '200', NOTIFY_RETRY_MS: '200' });
  call = fetchCaller(cluster.url);
  people = await boundCitizens(call, cluster.world, 80, 10);
}, scaled(180_000));
afterAll(() => cluster?.stop());

async function districtHall() {
  const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
  return halls[0] as { id: string; categories: { code: string; prefix: string }[] };
}

test('30 citizens through 3 instances for one slot of 10 places: exactly 10 booked, the database agrees', async () => {
  const hall = await districtHall();
  const { items } = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body;
  const item = items.find((i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC');
  const { slots } = (await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${item.code}&from=${monday}&to=${monday}`)).body;
  const slot = slots.find((s: { kind: string; remaining: number; start: string }) => s.kind === 'regular' && s.remaining === 10 && Date.parse(s.start) > Date.parse(`${monday}T11:00:00+08:00`));
  const crowd = Array.from({ length: 30 }, person);
  const answers = await Promise.all(crowd.map((c) => call('POST', '/api/v1/appointments', { hallId: hall.id, itemCode: item.code, start: slot.start }, bearer(c.token))));
  expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
  expect(answers.filter((a) => a.status !== 201).map((a) => a.body.error.code)).toEqual(Array(20).fill('SLOT_FULL'));
  const db = cluster.db.client.db();
  expect(await db.collection('appointments').countDocuments({ hallId: hall.id, start: new Date(slot.start), status: 'booked' })).toBe(10);
  expect((await db.collection('slots').findOne({ hallId: hall.id, start: new Date(slot.start) }))?.taken).toBe(10);
});

test('numbers taken through 3 instances at once are unique and gap-free', async () => {
  const hall = await districtHall();
  const line = hall.categories[1];
  const crowd = Array.from({ length: 30 }, person);
  const answers = await Promise.all(crowd.map((c) => call('POST', `/api/v1/halls/${hall.id}/tickets`, { category: line.code }, bearer(c.token))));
  expect(answers.filter((a) => a.status !== 201)).toEqual([]);
  expect(answers.map((a) => a.body.number).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `${line.prefix}${String(i + 1).padStart(3, '0')}`));
});

test('a webhook accepted by one instance and replayed to another is refused', async () => {
  const [first, second] = cluster.instances;
  const body = JSON.stringify({ id: `evt-replay-${Date.now()}`, type: 'case.status_changed', acceptNo: 'NO-SUCH-CASE', sequence: 1, occurredAt: new Date().toISOString(), data: { status: 'reviewing' } });
  const url = new URL(`${first.url}/api/v1/hooks/core/case-events`);
  const headers = { ...signRequest(cluster.world.core.appKey, cluster.world.core.appSecret, 'POST', url, body), 'content-type': 'application/json' };
  expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
  const replayed = await fetch(`${second.url}/api/v1/hooks/core/case-events`, { method: 'POST', headers, body });
  expect(replayed.status).toBe(401);
});

test('a reminder due while 3 instances sweep reaches the citizen once', async () => {
  const citizen = person();
  const db = cluster.db.client.db();
  const start = new Date(Date.parse(`${monday}T10:10:00+08:00`));
  // Arranged directly: a booking made last week for 10:10, 40 minutes after the instances' clock started, not yet reminded.
  await db.collection('appointments').insertOne({
    userId: citizen.id,
    personKey: `scaleout-${citizen.id}`,
    hallId: 'H-scaleout',
    hallName: '测试大厅',
    itemCode: 'I-scaleout',
    itemName: '测试事项',
    category: 'ZH',
    start,
    end: new Date(start.getTime() + 30 * 60_000),
    day: monday,
    kind: 'regular',
    status: 'booked',
    bookingCode: 'SCALEOUT',
    reminded: { dayBefore: true, hourBefore: false },
    ticketId: null,
    createdAt: new Date(),
  });
  const reminders = () => db.collection('messages').countDocuments({ userId: citizen.id, kind: 'booking_reminder' });
  await until(async () => (await reminders()) > 0, 'the reminder');
  // The sweep has run several times since: its lease, renewed at every run, has moved on by a second.
  const leases = db.collection<{ _id: string; until: Date }>('job_leases');
  const leaseUntil = async () => (await leases.findOne({ _id: 'booking sweep' }))?.until.getTime() ?? 0;
  const seen = await leaseUntil();
  await until(async () => (await leaseUntil()) > seen + 1000, 'more booking sweeps');
  expect(await reminders()).toBe(1);
});

test("a periodic job's lease moves to another instance when its holder is killed", async () => {
  const leases = cluster.db.client.db().collection<{ _id: string; holder: string; until: Date }>('job_leases');
  const holderOf = async () => (await leases.findOne({ _id: 'booking sweep' }))?.holder;
  const holder = await until(holderOf, 'a holder of the booking sweep');
  const victim = cluster.instances.find((i) => holder.includes(`:${i.child.pid}:`))!;
  expect(victim).toBeDefined();
  victim.child.kill('SIGKILL');
  // The lease lasts max(2 × 200 ms, 5 s): another instance holds it once it has expired.
  const successor = await until(async () => {
    const now = await holderOf();
    return now && now !== holder ? now : undefined;
  }, 'another instance to take the lease', 15_000);
  expect(cluster.instances.some((i) => i !== victim && successor.includes(`:${i.child.pid}:`))).toBe(true);
});
