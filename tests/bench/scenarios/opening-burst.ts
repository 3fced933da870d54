// "Opening burst": the doors open at 09:00 and 2,000 citizens take numbers in one hall within
// seconds, through HTTP. Prints throughput and latency, then checks that every category's
// numbers are unique and run 1..n without a gap.
import { startSystem } from '../../support/system';
import { bearer, fetchCaller, signIn } from '../../support/citizens';
import { nextMondayAt } from '../../support/clock';
import { measure } from '../measure';

const USERS = 2000;

export async function run(): Promise<void> {
  process.env.LOG_LEVEL = 'warn';
  process.env.RATE_LIMIT_PER_MINUTE = '100000';
  process.env.RATE_LIMIT_SENSITIVE_PER_MINUTE = '10000';
  process.env.OVERLOAD_EVENT_LOOP_DELAY_MS = '0'; // the point is to saturate the process
  process.env.MAX_IN_FLIGHT = '0';
  process.env.QUEUE_DAILY_QUOTA = '1000';
  const system = await startSystem({ dbName: `bench_burst_${Date.now()}`, now: nextMondayAt('09:00') });
  try {
    const call = fetchCaller(system.bffUrl);
    const hall = (await call('GET', '/api/v1/halls?level=district')).body.halls[0];
    const setupStarted = Date.now();
    const citizens: Awaited<ReturnType<typeof signIn>>[] = [];
    for (let i = 0; i < USERS; i += 50) citizens.push(...(await Promise.all(Array.from({ length: Math.min(50, USERS - i) }, () => signIn(call, system.world)))));
    console.log(`setup: ${USERS} citizens signed in in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);

    const outcomes: Record<string, number> = {};
    await measure(`POST /halls/:id/tickets, ${USERS} users`, USERS, 100, async (i) => {
      const category = hall.categories[i % hall.categories.length].code;
      const answer = await call('POST', `/api/v1/halls/${hall.id}/tickets`, { category }, bearer(citizens[i].token));
      const outcome = `${answer.status} ${answer.body?.error?.code ?? 'taken'}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    });
    console.log(`outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} × ${v}`).join(', ')}`);

    const tickets = await system.app.db.collection('tickets').find({ hallId: hall.id }).toArray();
    let faults = 0;
    for (const category of hall.categories) {
      const seqs = tickets.filter((t) => t.numberCategory === category.code).map((t) => t.seq as number).sort((a, b) => a - b);
      const gapFree = seqs.every((seq, i) => seq === i + 1);
      if (!gapFree) faults += 1;
      console.log(`${category.code.padEnd(4)} ${String(seqs.length).padStart(5)} numbers, ${gapFree ? `1..${seqs.length}, unique and gap-free` : 'NOT gap-free'}`);
    }
    const total = tickets.length;
    console.log(faults === 0 && total === USERS ? `✓ ${total} numbers, unique and gap-free in every category` : `✗ ${total} numbers, ${faults} categories with gaps or duplicates`);
    if (faults > 0 || total !== USERS) process.exitCode = 1;
  } finally {
    await system.stop();
  }
}
