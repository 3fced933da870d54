// "Progress": 10,000 public lookups over 500 cases while every core-system case read takes
// 300 ms. Prints throughput and latency, how many calls reached the core system (the snapshot
// cache and request coalescing keep it near one per case), and the database writes per lookup by
// collection (a successful lookup writes nothing of the case or its counter; the per-address
// limit still counts in MongoDB). Every lookup has been answered before the system stops.
import { startSystem } from '../../support/system';
import { fetchCaller } from '../../support/citizens';
import { measure } from '../measure';

const LOOKUPS = 10_000;
const CASES = 500;

export async function run(): Promise<void> {
  process.env.LOG_LEVEL = 'warn';
  process.env.RATE_LIMIT_PER_MINUTE = '100000';
  process.env.LOOKUP_PER_IP_PER_MINUTE = '10000'; // one client machine sends them all
  process.env.LOOKUP_PER_NUMBER_PER_HOUR = '1000';
  process.env.OVERLOAD_EVENT_LOOP_DELAY_MS = '0'; // the point is to saturate the process
  process.env.MAX_IN_FLIGHT = '0';
  // The timing floor is a fixed wait, not work (and would make every answer 400 ms): measured here is the work.
  process.env.LOOKUP_MIN_MS = '0';
  const system = await startSystem({ dbName: `bench_progress_${Date.now()}`, monitorCommands: true });
  const writes: Record<string, number> = {};
  system.app.db.getClient().on('commandStarted', (event) => {
    if (['insert', 'update', 'delete', 'findAndModify'].includes(event.commandName)) {
      const what = String(event.command[event.commandName]);
      writes[what] = (writes[what] ?? 0) + 1;
    }
  });
  const admin = async (method: string, path: string, body?: unknown) =>
    (await fetch(`${system.world.core.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json();
  try {
    const call = fetchCaller(system.bffUrl);
    // The seed's cases plus new ones, each with the verifier its applicant would type.
    const cases: { acceptNo: string; verifier: string }[] = [];
    for (const c of (await admin('GET', '/__admin/citizens')).citizens) for (const k of c.cases) cases.push({ acceptNo: k.acceptNo, verifier: c.idNumber.slice(-4) });
    const { citizens } = await admin('POST', '/__admin/citizens', { count: CASES - cases.length });
    const hall = (await call('GET', '/api/v1/halls?level=district')).body.halls[0];
    const item = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body.items.find((i: { approvalType: string }) => i.approvalType === 'promised');
    for (const c of citizens) cases.push({ acceptNo: (await admin('POST', '/__admin/cases', { idNumber: c.idNumber, itemCode: item.code, hallId: hall.id })).acceptNo, verifier: c.idNumber.slice(-4) });
    await admin('POST', '/__admin/faults', { route: 'GET /api/cases/:acceptNo', latencyMs: 300 });
    await admin('DELETE', '/__admin/stats');
    for (const key of Object.keys(writes)) delete writes[key];

    const outcomes: Record<string, number> = {};
    await measure(`POST /cases/lookup, ${LOOKUPS} over ${cases.length} cases`, LOOKUPS, 100, async (i) => {
      const target = cases[i % cases.length];
      const answer = await call('POST', '/api/v1/cases/lookup', target);
      const outcome = `${answer.status}${answer.body?.error ? ` ${answer.body.error.code}` : ''}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    });
    const { requests } = await admin('GET', '/__admin/stats');
    const upstream = Object.entries(requests as Record<string, number>).filter(([k]) => k.startsWith('GET /api/cases/')).reduce((sum, [, n]) => sum + n, 0);
    console.log(`outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} × ${v}`).join(', ')}`);
    console.log(`database writes per lookup: ${Object.entries(writes).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${(v / LOOKUPS).toFixed(2)}`).join(', ') || 'none'}`);
    console.log(`core system case reads: ${upstream} for ${LOOKUPS} lookups over ${cases.length} cases (${(upstream / cases.length).toFixed(2)} per case; a snapshot is fresh for 60 s, so a longer run reads a case again)`);
  } finally {
    await system.stop();
  }
}
