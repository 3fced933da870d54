// "Slot release": the morning the centre opens next week's places. 2,000 distinct citizens try
// to book 20 slots of 10 places (100 people per slot) through HTTP at once. Prints throughput,
// latency and the outcome, and checks that exactly 200 bookings exist and no slot is over.
import { startSystem } from '../../support/system';
import { bearer, boundCitizens, fetchCaller } from '../../support/citizens';
import { measure } from '../measure';

const USERS = 2000;
const SLOTS = 20;

export async function run(): Promise<void> {
  process.env.LOG_LEVEL = 'warn';
  process.env.RATE_LIMIT_PER_MINUTE = '100000';
  process.env.RATE_LIMIT_SENSITIVE_PER_MINUTE = '10000';
  process.env.OVERLOAD_EVENT_LOOP_DELAY_MS = '0'; // the point is to saturate the process
  process.env.MAX_IN_FLIGHT = '0';
  const system = await startSystem({ dbName: `bench_slots_${Date.now()}` });
  try {
    const call = fetchCaller(system.bffUrl);
    const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
    const hall = halls[0];
    const { items } = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body;
    const item = items.find((i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC');
    const { slots } = (await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${item.code}`)).body;
    // Regular slots from tomorrow on: 10 places each, nowhere near the cut-off.
    const tomorrow = Date.now() + 24 * 3600_000;
    const targets = slots.filter((s: { kind: string; start: string }) => s.kind === 'regular' && Date.parse(s.start) > tomorrow).slice(0, SLOTS);
    if (targets.length < SLOTS || targets.some((s: { capacity: number }) => s.capacity !== 10)) throw new Error('not enough 10-place slots in the horizon');

    const setupStarted = Date.now();
    const citizens = await boundCitizens(call, system.world, USERS, 40);
    console.log(`setup: ${USERS} citizens signed in and real-name bound in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);

    const outcomes: Record<string, number> = {};
    await measure(`POST /appointments, ${USERS} users → ${SLOTS}×10`, USERS, 100, async (i) => {
      const answer = await call('POST', '/api/v1/appointments', { hallId: hall.id, itemCode: item.code, start: targets[i % SLOTS].start }, bearer(citizens[i].token, { 'idempotency-key': `bench-${i}-slot-release` }));
      const outcome = `${answer.status} ${answer.body?.error?.code ?? 'booked'}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    });
    console.log(`outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} × ${v}`).join(', ')}`);

    const db = system.app.db;
    const booked = await db.collection('appointments').countDocuments({ hallId: hall.id, status: 'booked' });
    const places = await db.collection('slots').find({ hallId: hall.id }).toArray();
    const over = places.filter((p) => p.taken > p.capacity).length;
    const perSlot = places.map((p) => p.taken);
    console.log(`database: ${booked} bookings; ${places.length} slots, taken per slot min ${Math.min(...perSlot)} max ${Math.max(...perSlot)}, over capacity ${over}`);
    console.log(booked === SLOTS * 10 && over === 0 && outcomes['201 booked'] === SLOTS * 10 ? `✓ exactly ${SLOTS * 10} bookings` : `✗ expected exactly ${SLOTS * 10} bookings`);
    if (booked !== SLOTS * 10 || over !== 0) process.exitCode = 1;
  } finally {
    await system.stop();
  }
}
