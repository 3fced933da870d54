// "Progress": public lookups over 500 cases while every core-system case read takes 300 ms,
// against the system as deployed. First every case is looked up once (its snapshot is then
// cached), then 10,000 lookups arrive at 500 a second (open loop). Prints latency, outcomes
// and how many calls reached the core system (the snapshot cache and request coalescing keep
// it near one per case).
import { fetchCaller } from '../../support/citizens';
import { cpuPerOperation, startDeployed } from '../deployed';
import { bareAlike, lanesLoop, LoadClient, openLoop } from '../load';
import { recordFigure, recordRun } from '../report';
import { until } from '../../support/until';

const LOOKUPS = 10_000;
const CASES = 500;
const RATE = Number(process.env.PROGRESS_RATE ?? 500);

export async function run(): Promise<void> {
  const system = await startDeployed({
    label: 'progress',
    env: {
      // Citizens look up from their own addresses, through the balancer that says so.
      TRUSTED_PROXIES: '127.0.0.1',
      LOOKUP_PER_NUMBER_PER_HOUR: '1000',
      // The timing floor is a fixed wait, not work (and would make every answer 400 ms): measured here is the work.
      LOOKUP_MIN_MS: '0',
    },
  });
  const client = new LoadClient(system.bffUrl);
  const admin = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${system.world.core.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json();
  try {
    const call = fetchCaller(system.bffUrl);
    // The seed's cases plus new ones, each with the verifier its applicant would type.
    const cases: { acceptNo: string; verifier: string }[] = [];
    for (const c of (await admin('GET', '/__admin/citizens')).citizens)
      for (const k of c.cases) cases.push({ acceptNo: k.acceptNo, verifier: c.idNumber.slice(-4) });
    const { citizens } = await admin('POST', '/__admin/citizens', { count: CASES - cases.length });
    const hall = (await call('GET', '/api/v1/halls?level=district')).body.halls[0];
    const item = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body.items.find(
      (i: { approvalType: string }) => i.approvalType === 'promised',
    );
    for (const c of citizens)
      cases.push({
        acceptNo: (
          await admin('POST', '/__admin/cases', {
            idNumber: c.idNumber,
            itemCode: item.code,
            hallId: hall.id,
          })
        ).acceptNo,
        verifier: c.idNumber.slice(-4),
      });
    // Each new case is a webhook the BFF applies (a core read, the snapshot, notices): measured
    // below are lookups, not a BFF still digesting 500 webhooks that all arrived at once.
    await until(
      async () => {
        const { deliveries } = (await admin('GET', '/__admin/webhooks')) as {
          deliveries: { deliveredAt: string | null }[];
        };
        return (
          deliveries.every((d) => d.deliveredAt !== null) &&
          (await system.db.collection('case_events').countDocuments({ appliedAt: null })) === 0
        );
      },
      'every case event delivered to the BFF and applied',
      120_000,
    );
    await admin('POST', '/__admin/faults', { route: 'GET /api/cases/:acceptNo', latencyMs: 300 });
    await admin('DELETE', '/__admin/stats');

    // 2,000 phones, each looking up one case now and then.
    const lookup = (i: number) => ({
      method: 'POST' as const,
      path: '/api/v1/cases/lookup',
      body: cases[i % cases.length],
      headers: { 'x-forwarded-for': `10.1.${(i % 2000) >> 8}.${i % 256}` },
    });
    recordRun(
      await lanesLoop(`first lookup of each of ${cases.length} cases (core 300 ms)`, client, {
        lanes: 50,
        count: cases.length,
        request: lookup,
        untilServed: true,
      }),
    );
    const cpu = cpuPerOperation(system);
    const lookups = recordRun(
      await openLoop(`POST /cases/lookup, ${LOOKUPS} over ${cases.length} cached cases`, client, {
        rate: RATE,
        count: LOOKUPS,
        request: lookup,
      }),
    );
    recordFigure('CPU per lookup (ms)', cpu(LOOKUPS));
    recordRun(await bareAlike(system.bareUrl, lookups));
    const { requests } = await admin('GET', '/__admin/stats');
    const upstream = Object.entries(requests as Record<string, number>)
      .filter(([k]) => k.startsWith('GET /api/cases/'))
      .reduce((sum, [, n]) => sum + n, 0);
    recordFigure('core system case reads per case', Number((upstream / cases.length).toFixed(2)));
  } finally {
    await client.close();
    await system.stop();
  }
}
