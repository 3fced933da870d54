// Live queue updates at a hall's scale, as deployed: 1,000 citizens' ticket streams open on
// two BFF processes (the database in its own process, this process only the load), and a
// window calling one number a second for 60 s through the balancer. Prints the delay from each
// call to each stream's update (p50/p99) and the BFF processes' CPU per call.
import { performance } from 'node:perf_hooks';
import { nextMondayAt } from '../../support/clock';
import { cpuSeconds, startDeployed } from '../deployed';
import { recordFigure } from '../report';
import { bearer, boundCitizens, fetchCaller, retryingUnavailable } from '../../support/citizens';
import { openEventStream, type EventStream } from '../../support/sse';

const STREAMS = Number(process.env.FANOUT_STREAMS ?? 1000);
const CALLS = Number(process.env.FANOUT_CALLS ?? 60);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function run(): Promise<void> {
  const cluster = await startDeployed({
    label: 'fanout',
    bffProcesses: 2,
    now: nextMondayAt('09:00')(),
    env: { QUEUE_DAILY_QUOTA: String(STREAMS + 100) },
  });
  const streams: EventStream[] = [];
  try {
    const call = fetchCaller(cluster.bffUrl);
    const { halls } = (await call('GET', '/api/v1/halls?level=district')).body;
    const hall = halls[0];
    const window = hall.windows.find((w: { categories: string[] }) => w.categories.length === 2);
    const line = window.categories[0];
    console.log(`arranging ${STREAMS} citizens with a number each in one line…`);
    const people = await boundCitizens(call, cluster.world, STREAMS, 20);
    const tickets: { id: string; token: string }[] = [];
    for (let i = 0; i < people.length; i += 50) {
      const batch = await Promise.all(
        people
          .slice(i, i + 50)
          .map((p) =>
            retryingUnavailable(() =>
              call('POST', `/api/v1/halls/${hall.id}/tickets`, { category: line }, bearer(p.token)),
            ),
          ),
      );
      batch.forEach((answer, j) => {
        if (answer.status !== 201) throw new Error(`take → ${answer.status} ${JSON.stringify(answer.body)}`);
        tickets.push({ id: answer.body.id, token: people[i + j].token });
      });
    }
    // Streams alternate between the two instances, as a balancer would spread them.
    const opened: { stream: EventStream; ahead: number }[] = [];
    for (let i = 0; i < tickets.length; i += 1) {
      const instance = cluster.instances[i % cluster.instances.length];
      const stream = await openEventStream(
        `${instance.url}/api/v1/tickets/${tickets[i].id}/events`,
        bearer(tickets[i].token),
      );
      opened.push({ stream, ahead: (await stream.next()).ahead });
    }
    // In calling order: each call takes the front, so everyone still waiting moves up by exactly one.
    opened.sort((a, b) => a.ahead - b.ahead);
    streams.push(...opened.map((o) => o.stream));
    const nextMatching = async (
      stream: EventStream,
      wanted: (ticket: { ahead: number; status: string }) => boolean,
      ms: number,
    ) => {
      const deadline = performance.now() + ms;
      for (;;) if (wanted(await stream.next(Math.max(1, deadline - performance.now())))) return;
    };

    const { staff, password } = await (await fetch(`${cluster.world.core.url}/__admin/staff`)).json();
    const clerk = staff.find((s: { windowId?: string }) => s.windowId === window.id);
    const clerkAuth = bearer(
      (await call('POST', '/api/v1/auth/staff', { username: clerk.username, password })).body.accessToken,
    );

    const delays: number[] = [];
    let missed = 0;
    const cpuBefore = cluster.instances.map((i) => cpuSeconds(i.child.pid!));
    const started = performance.now();
    for (let n = 0; n < CALLS; n += 1) {
      const due = started + n * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const t0 = performance.now();
      const called = await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, clerkAuth);
      if (called.status !== 200)
        throw new Error(`call-next → ${called.status} ${JSON.stringify(called.body)}`);
      // Every stream still open hears this call (positions move up by one, or its own number is called).
      const waiting = opened.slice(n);
      const arrivals = await Promise.all(
        waiting.map(({ stream, ahead }, k) =>
          nextMatching(
            stream,
            (t) => (k === 0 ? t.status === 'called' : t.ahead === ahead - n - 1),
            5000,
          ).then(
            () => performance.now() - t0,
            () => null,
          ),
        ),
      );
      for (const delay of arrivals) {
        if (delay === null) missed += 1;
        else delays.push(delay);
      }
      await call('POST', `/api/v1/staff/tickets/${called.body.current.id}/complete`, undefined, clerkAuth);
      // The served citizen's stream has nothing more to wait for.
      streams[n].close();
    }
    const cpuAfter = cluster.instances.map((i) => cpuSeconds(i.child.pid!));
    delays.sort((a, b) => a - b);
    const cpu = cpuAfter.reduce((sum, v, i) => sum + v - cpuBefore[i], 0);
    recordFigure('streams on 2 BFF processes', STREAMS);
    recordFigure('window calls at 1/s', CALLS);
    recordFigure('call → stream update p50 (ms)', percentile(delays, 50));
    recordFigure('call → stream update p99 (ms)', percentile(delays, 99));
    recordFigure('call → stream update max (ms)', percentile(delays, 100));
    recordFigure('stream updates received / missed', `${delays.length} / ${missed}`);
    recordFigure('BFF CPU per call, both processes (ms)', (cpu * 1000) / CALLS);
  } finally {
    for (const s of streams) s.close();
    await cluster.stop();
  }
}
