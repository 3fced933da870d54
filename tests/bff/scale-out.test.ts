// Three BFF processes over one database behind a round-robin balancer, as a city runs them:
// no overbooking and gap-free numbers across instances, a webhook replayed to another instance
// refused, each reminder sent once however many instances sweep, and a periodic job's lease
// taken over when the instance holding it is killed.
import { signRequest } from '@onewindow/bff/plugins/core-signature';
import { startBffProcesses, type BffCluster } from '../support/bff-processes';
import { bearer, boundCitizens, fetchCaller, type ApiCall, type Citizen } from '../support/citizens';
import { openEventStream } from '../support/sse';
import { scaled } from '../support/time-scale';
import { until } from '../support/until';

// Next Monday 09:30 Shanghai: halls open, the week's slots bookable.
const monday = (() => {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const days = (8 - shanghaiNow.getUTCDay()) % 7 || 7;
  return new Date(
    Date.UTC(shanghaiNow.getUTCFullYear(), shanghaiNow.getUTCMonth(), shanghaiNow.getUTCDate() + days),
  )
    .toISOString()
    .slice(0, 10);
})();

let cluster: BffCluster;
let clockStartedAt = 0;
/** The instances' clock: it started at Monday 09:30 and runs on. */
const instanceNow = () => Date.parse(`${monday}T09:30:00+08:00`) + (Date.now() - clockStartedAt);
let call: ApiCall;
let people: Citizen[];
let next = 0;
const person = () => people[next++];
/** A citizen under 65: an ordinary ticket, not 绿色通道. */
const ordinary = (): Citizen => {
  let citizen = person();
  while (Number(citizen.idNumber.slice(6, 10)) <= 1962) citizen = person();
  return citizen;
};

beforeAll(async () => {
  clockStartedAt = Date.now();
  // One clock for all three: it read Monday 09:30 at the same real instant in each process.
  cluster = await startBffProcesses('scaleout', 3, {
    ONEWINDOW_NOW: `${monday}T09:30:00+08:00`,
    ONEWINDOW_NOW_AT: new Date(clockStartedAt).toISOString(),
    BOOKING_SWEEP_MS: '200',
    NOTIFY_RETRY_MS: '200',
    LOOKUP_PER_IP_PER_MINUTE: '5',
    LOOKUP_MIN_MS: '0',
    TASK_WARNING_SWEEP_MS: '300',
  });
  call = fetchCaller(cluster.url);
  people = await boundCitizens(call, cluster.world, 80, 10);
}, scaled(180_000));
afterAll(() => cluster?.stop());

interface Hall {
  id: string;
  categories: { code: string; prefix: string }[];
  windows: { id: string; categories: string[] }[];
}

async function districtHall(): Promise<Hall> {
  const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
  return halls[0];
}

async function windowClerk(windowId: string): Promise<Record<string, string>> {
  const { staff, password } = await (await fetch(`${cluster.world.core.url}/__admin/staff`)).json();
  const clerk = staff.find((s: { windowId?: string }) => s.windowId === windowId);
  const login = await call('POST', '/api/v1/auth/staff', { username: clerk.username, password });
  expect(login.status).toBe(200);
  return bearer(login.body.accessToken);
}

test('30 citizens through 3 instances for one slot of 10 places: exactly 10 booked, the database agrees', async () => {
  const hall = await districtHall();
  const { items } = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body;
  const item = items.find((i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC');
  const { slots } = (
    await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${item.code}&from=${monday}&to=${monday}`)
  ).body;
  const slot = slots.find(
    (s: { kind: string; remaining: number; start: string }) =>
      s.kind === 'regular' &&
      s.remaining === 10 &&
      Date.parse(s.start) > Date.parse(`${monday}T11:00:00+08:00`),
  );
  const crowd = Array.from({ length: 30 }, person);
  const answers = await Promise.all(
    crowd.map((c) =>
      call(
        'POST',
        '/api/v1/appointments',
        { hallId: hall.id, itemCode: item.code, start: slot.start },
        bearer(c.token),
      ),
    ),
  );
  expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
  expect(answers.filter((a) => a.status !== 201).map((a) => a.body.error.code)).toEqual(
    Array(20).fill('SLOT_FULL'),
  );
  const db = cluster.db.client.db();
  expect(
    await db
      .collection('appointments')
      .countDocuments({ hallId: hall.id, start: new Date(slot.start), status: 'booked' }),
  ).toBe(10);
  expect(
    (await db.collection('slots').findOne({ hallId: hall.id, start: new Date(slot.start) }))?.taken,
  ).toBe(10);
});

test('numbers taken through 3 instances at once are unique and gap-free', async () => {
  const hall = await districtHall();
  const line = hall.categories[1];
  const crowd = Array.from({ length: 30 }, person);
  const answers = await Promise.all(
    crowd.map((c) =>
      call('POST', `/api/v1/halls/${hall.id}/tickets`, { category: line.code }, bearer(c.token)),
    ),
  );
  expect(answers.filter((a) => a.status !== 201)).toEqual([]);
  expect(answers.map((a) => a.body.number).sort()).toEqual(
    Array.from({ length: 30 }, (_, i) => `${line.prefix}${String(i + 1).padStart(3, '0')}`),
  );
});

test('a route limit holds across instances: 12 lookups from one address through 3 instances, 5 answered', async () => {
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      call('POST', '/api/v1/cases/lookup', {
        acceptNo: `NO${String(i).padStart(10, '0')}`,
        verifier: '1234',
      }),
    ),
  );
  expect(answers.filter((a) => a.status === 429)).toHaveLength(7);
  expect(answers.filter((a) => a.status !== 429).map((a) => a.body.error.code)).toEqual(
    Array(5).fill('CASE_NOT_FOUND'),
  );
});

test('a webhook accepted by one instance and replayed to another is refused', async () => {
  const [first, second] = cluster.instances;
  const body = JSON.stringify({
    id: `evt-replay-${Date.now()}`,
    type: 'case.status_changed',
    acceptNo: 'NO-SUCH-CASE',
    sequence: 1,
    occurredAt: new Date().toISOString(),
    data: { status: 'reviewing' },
  });
  const url = new URL(`${first.url}/api/v1/hooks/core/case-events`);
  const headers = {
    ...signRequest(cluster.world.core.appKey, cluster.world.core.appSecret, 'POST', url, body),
    'content-type': 'application/json',
  };
  expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
  const replayed = await fetch(`${second.url}/api/v1/hooks/core/case-events`, {
    method: 'POST',
    headers,
    body,
  });
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
  const reminders = () =>
    db.collection('messages').countDocuments({ userId: citizen.id, kind: 'booking_reminder' });
  await until(async () => (await reminders()) > 0, 'the reminder');
  // The sweep has run several times since: its lease, renewed at every run, has moved on by a second.
  const leases = db.collection<{ _id: string; until: Date }>('job_leases');
  const leaseUntil = async () => (await leases.findOne({ _id: 'booking sweep' }))?.until.getTime() ?? 0;
  const seen = await leaseUntil();
  await until(async () => (await leaseUntil()) > seen + 1000, 'more booking sweeps');
  expect(await reminders()).toBe(1);
});

test('a ticket stream on one instance hears a call, a check-in and a transfer made on the others (the delay is measured by the fan-out bench)', async () => {
  const hall = await districtHall();
  // Two lines of their own (each with a window serving it and 综合), untouched by the other tests.
  const [x, y] = hall.categories.filter((c) => c.code !== 'ZH').slice(2, 4);
  const windowOf = (code: string) =>
    hall.windows.find((w) => w.categories.length === 2 && w.categories.includes(code))!;
  const [ahead, watcher, transferred, booker] = [ordinary(), ordinary(), ordinary(), person()];
  const take = (who: Citizen, code: string) =>
    call('POST', `/api/v1/halls/${hall.id}/tickets`, { category: code }, bearer(who.token));
  expect((await take(transferred, y.code)).status).toBe(201);
  expect((await take(ahead, x.code)).status).toBe(201);
  const mine = (await take(watcher, x.code)).body;
  const [here, there, elsewhere] = cluster.instances;
  const stream = await openEventStream(`${here.url}/api/v1/tickets/${mine.id}/events`, bearer(watcher.token));
  try {
    expect((await stream.next()).ahead).toBe(1);

    // A call at another instance: the one ahead is called.
    const clerkX = await windowClerk(windowOf(x.code).id);
    expect(
      (
        await fetch(`${there.url}/api/v1/staff/windows/${windowOf(x.code).id}/call-next`, {
          method: 'POST',
          headers: clerkX,
        })
      ).status,
    ).toBe(200);
    expect(await stream.nextWhere((t) => t.ahead !== 1)).toEqual(
      expect.objectContaining({ id: mine.id, ahead: 0 }),
    );

    // A check-in at a third instance: the booked citizen goes first.
    const db = cluster.db.client.db();
    const start = new Date(instanceNow() + 5 * 60_000);
    const { insertedId } = await db.collection('appointments').insertOne({
      userId: booker.id,
      personKey: `scaleout-${booker.id}`,
      hallId: hall.id,
      hallName: '测试大厅',
      itemCode: 'I-scaleout',
      itemName: '测试事项',
      category: x.code,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      day: monday,
      kind: 'regular',
      status: 'booked',
      bookingCode: 'CHECKIN1',
      reminded: { dayBefore: true, hourBefore: true },
      ticketId: null,
      createdAt: new Date(),
    });
    const checkedIn = await fetch(`${elsewhere.url}/api/v1/appointments/${String(insertedId)}/check-in`, {
      method: 'POST',
      headers: bearer(booker.token),
    });
    expect(checkedIn.status).toBe(200);
    expect(await stream.nextWhere((t) => t.ahead !== 0)).toEqual(
      expect.objectContaining({ id: mine.id, ahead: 1 }),
    );

    // A transfer at another instance: a citizen from line Y, who took a number before us, joins our line ahead of us.
    const clerkY = await windowClerk(windowOf(y.code).id);
    const called = await (
      await fetch(`${there.url}/api/v1/staff/windows/${windowOf(y.code).id}/call-next`, {
        method: 'POST',
        headers: clerkY,
      })
    ).json();
    const moved = await fetch(`${elsewhere.url}/api/v1/staff/tickets/${called.current.id}/transfer`, {
      method: 'POST',
      headers: { ...clerkY, 'content-type': 'application/json' },
      body: JSON.stringify({ category: x.code }),
    });
    expect(moved.status).toBe(200);
    expect(await stream.nextWhere((t) => t.ahead !== 1)).toEqual(
      expect.objectContaining({ id: mine.id, ahead: 2 }),
    );
  } finally {
    stream.close();
  }
});

test('each yellow or red task reaches its approver once while 3 instances sweep', async () => {
  const db = cluster.db.client.db();
  const warnings = db.collection<{ userId: string; kind: string; dedupeKey: string }>('messages');
  await until(
    async () => (await warnings.countDocuments({ kind: 'task_warning' })) > 0,
    'the first warnings',
  );
  // Several more sweeps (the sweep's lease, renewed at every run, moves on by a second) change nothing.
  const leases = db.collection<{ _id: string; until: Date }>('job_leases');
  const leaseUntil = async () => (await leases.findOne({ _id: 'task warnings' }))?.until.getTime() ?? 0;
  const seen = await leaseUntil();
  await until(async () => (await leaseUntil()) > seen + 1000, 'more warning sweeps');
  const sent = await warnings.find({ kind: 'task_warning' }).toArray();
  const perCaseAndApprover = new Set(sent.map((m) => `${m.userId} ${m.dedupeKey}`));
  expect(perCaseAndApprover.size).toBe(sent.length);
  const { tasks } = await (await fetch(`${cluster.world.core.url}/__admin/tasks`)).json();
  const warned = tasks.filter(
    (t: { status: string; warning: string }) => t.status === 'open' && t.warning !== 'green',
  );
  expect(sent.length).toBeGreaterThanOrEqual(1);
  expect(sent.length).toBeLessThanOrEqual(warned.length);
});

test('a catalogue refresh made through one instance is served by every instance within about a second', async () => {
  const { staff, password } = await (await fetch(`${cluster.world.core.url}/__admin/staff`)).json();
  const supervisor = staff.find((s: { role: string }) => s.role === 'supervisor');
  const login = await call('POST', '/api/v1/auth/staff', { username: supervisor.username, password });
  const [first, ...others] = cluster.instances.map((i) => fetchCaller(i.url));
  const refreshed = await first(
    'POST',
    '/api/v1/staff/catalogue/refresh',
    undefined,
    bearer(login.body.accessToken),
  );
  expect(refreshed.status).toBe(200);
  const { cachedAt } = refreshed.body.cache;
  expect((await first('GET', '/api/v1/halls')).body.cache.cachedAt).toBe(cachedAt);
  // Each instance reads the catalogue from its own memory and looks at the stored copy's state at most once a second.
  for (const instance of others)
    await until(
      async () => (await instance('GET', '/api/v1/items?pageSize=1')).body.cache?.cachedAt === cachedAt,
      'the instance to serve the new copy',
    );
});

// Last: it kills an instance.
test("a periodic job's lease moves to another instance when its holder is killed", async () => {
  const leases = cluster.db.client
    .db()
    .collection<{ _id: string; holder: string; until: Date }>('job_leases');
  const holderOf = async () => (await leases.findOne({ _id: 'booking sweep' }))?.holder;
  const holder = await until(holderOf, 'a holder of the booking sweep');
  const victim = cluster.instances.find((i) => holder.includes(`:${i.child.pid}:`))!;
  expect(victim).toBeDefined();
  victim.child.kill('SIGKILL');
  // The lease lasts max(2 × 200 ms, 5 s): another instance holds it once it has expired.
  const successor = await until(
    async () => {
      const now = await holderOf();
      return now && now !== holder ? now : undefined;
    },
    'another instance to take the lease',
    15_000,
  );
  expect(cluster.instances.some((i) => i !== victim && successor.includes(`:${i.child.pid}:`))).toBe(true);
});
