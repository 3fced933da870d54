// "Slot release": the morning the centre opens next week's places. 2,000 distinct citizens try
// to book 20 slots of 10 places (100 people per slot), arriving at 200 a second (open loop),
// against the system as deployed. Prints latency and outcomes, and checks that exactly 200
// bookings exist and no slot is over capacity.
import { bearer, boundCitizens, fetchCaller } from '../../support/citizens';
import { cpuPerOperation, startDeployed } from '../deployed';
import { bareAlike, LoadClient, openLoop, type LoadRequest } from '../load';
import { recordFigure, recordRun } from '../report';

const USERS = 2000;
const SLOTS = 20;
const RATE = Number(process.env.SLOT_RATE ?? 200);
const WARM_UP = 1000;

export async function run(): Promise<void> {
  const system = await startDeployed({ label: 'slots' });
  const client = new LoadClient(system.bffUrl);
  try {
    const call = fetchCaller(system.bffUrl);
    const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
    const hall = halls[0];
    const { items } = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body;
    const [item, warmUpItem] = items.filter(
      (i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC',
    );
    const { slots } = (await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${item.code}`)).body;
    // Regular slots from tomorrow on: 10 places each, nowhere near the cut-off; the warm-up books
    // other slots (its item's line may be the same one).
    const tomorrow = Date.now() + 24 * 3600_000;
    const regular = slots.filter(
      (s: { kind: string; start: string; capacity: number }) =>
        s.kind === 'regular' && Date.parse(s.start) > tomorrow && s.capacity === 10,
    );
    const targets = regular.slice(0, SLOTS);
    const warmUpSlots = regular.slice(SLOTS, 2 * SLOTS);
    if (warmUpSlots.length < SLOTS) throw new Error('not enough 10-place slots in the horizon');

    const setupStarted = Date.now();
    const citizens = await boundCitizens(call, system.world, USERS, 40);
    console.log(
      `setup: ${USERS} citizens signed in and real-name bound in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    /** Citizen i books one of the slots, round robin, with a key of its own. */
    const attempt = (i: number, itemCode: string, on: { start: string }[], run: string): LoadRequest => ({
      method: 'POST',
      path: '/api/v1/appointments',
      body: { hallId: hall.id, itemCode, start: on[i % SLOTS].start },
      headers: bearer(citizens[i].token, { 'idempotency-key': `bench-${i}-${run}` }),
    });
    // As the centre's BFF has been serving since it started when the places open: the booking
    // path compiled and warm (a process's first bookings ran several times slower), measured too.
    recordRun(
      await openLoop(`warm-up: ${WARM_UP} attempts at 100/s on other slots`, client, {
        rate: 100,
        count: WARM_UP,
        request: (i) => attempt(i, warmUpItem.code, warmUpSlots, 'warm-up'),
      }),
    );
    const cpu = cpuPerOperation(system);
    const result = recordRun(
      await openLoop(`POST /appointments, ${USERS} users → ${SLOTS}×10`, client, {
        rate: RATE,
        count: USERS,
        request: (i) => attempt(i, item.code, targets, 'slot-release'),
      }),
    );
    recordFigure('CPU per attempt (ms)', cpu(USERS));
    recordRun(await bareAlike(system.bareUrl, result));
    const booked = await system.db
      .collection('appointments')
      .countDocuments({ hallId: hall.id, itemCode: item.code, status: 'booked' });
    const places = await system.db.collection('slots').find({ hallId: hall.id }).toArray();
    const over = places.filter((p) => p.taken > p.capacity).length;
    const exact = booked === SLOTS * 10 && over === 0 && result.outcomes['201'] === SLOTS * 10;
    recordFigure('bookings in the database', booked);
    recordFigure('slots over capacity', over);
    console.log(exact ? `✓ exactly ${SLOTS * 10} bookings` : `✗ expected exactly ${SLOTS * 10} bookings`);
    if (!exact) process.exitCode = 1;
  } finally {
    await client.close();
    await system.stop();
  }
}
