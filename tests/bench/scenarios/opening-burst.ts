// "Opening burst": the doors open at 09:00 and 2,000 citizens take numbers in one hall, arriving
// at 200 a second (open loop: latency counts from each arrival's scheduled time). The system runs
// as deployed (database, mock world, BFF each in their own process) with its production guards
// on. Three rounds in three halls against the same BFF process show whether its memory grows
// (a leak check). Then the capacity for takes, and takes arriving at twice that rate: every
// request must be answered within a second, served or refused with 503 and Retry-After.
// Checks that every category's numbers are unique and run 1..n without a gap.
import { bearer, fetchCaller, signIn } from '../../support/citizens';
import { nextMondayAt } from '../../support/clock';
import { cpuPerOperation, liveMemory, startDeployed, rssMiB } from '../deployed';
import { bareAlike, bareRoute, lanesLoop, LoadClient, openLoop } from '../load';
import { recordFigure, recordRun } from '../report';

const CITIZENS = 2000;
const RATE = Number(process.env.BURST_RATE ?? 200);
const ROUNDS = 3;
const WARM_UP = 1000;

interface Hall {
  id: string;
  name: string;
  categories: { code: string }[];
}

export async function run(): Promise<void> {
  const system = await startDeployed({
    label: 'burst',
    now: nextMondayAt('09:00')(),
    env: { QUEUE_DAILY_QUOTA: '9999' },
  });
  const client = new LoadClient(system.bffUrl);
  try {
    const call = fetchCaller(system.bffUrl);
    const halls = (await call('GET', '/api/v1/halls')).body.halls as Hall[];
    if (halls.length < ROUNDS + 3) throw new Error(`need ${ROUNDS + 3} halls, the seed has ${halls.length}`);
    const setupStarted = Date.now();
    // Eight at a time, the admission bound's floor: a sign-in refused for load on a busy machine
    // waits out its Retry-After without holding up the others.
    const citizens: { token: string }[] = [];
    let started = 0;
    const signInNext = async () => {
      while (started < CITIZENS) {
        started += 1;
        citizens.push(await signIn(call, system.world));
      }
    };
    await Promise.all(Array.from({ length: 8 }, signInNext));
    console.log(
      `setup: ${CITIZENS} citizens signed in in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`,
    );
    const take = (hall: Hall, i: number) => ({
      method: 'POST' as const,
      path: `/api/v1/halls/${hall.id}/tickets`,
      body: { category: hall.categories[Math.floor(i / CITIZENS) % hall.categories.length].code },
      headers: bearer(citizens[i % CITIZENS].token),
    });
    // Each citizen once per line; a later pass over the citizens moves to the hall's next line.
    const takeSpread = (hall: Hall, i: number) => ({
      ...take(hall, i),
      body: { category: hall.categories[(i + Math.floor(i / CITIZENS)) % hall.categories.length].code },
    });

    // A process that has just started answers its first second of takes several times slower
    // (code not yet optimised, heaps still growing): printed, but the rounds measure a process
    // that has served some traffic, as the one serving at 09:00 has. In a hall of its own.
    recordRun(
      await openLoop(`warm-up: ${WARM_UP} takes, a process just started`, client, {
        rate: WARM_UP / 10,
        count: WARM_UP,
        request: (i) => takeSpread(halls[ROUNDS + 1], i),
      }),
    );
    const rss: number[] = [];
    const heap: number[] = [];
    let faults = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const hall = halls[round];
      // On the connections a balancer holds (deploy/nginx.conf keeps 128), as the overload phase below.
      await client.connect(128, '/healthz');
      const cpu = cpuPerOperation(system);
      const takes = recordRun(
        await openLoop(`round ${round + 1}: ${CITIZENS} takes, ${hall.name}`, client, {
          rate: RATE,
          count: CITIZENS,
          request: (i) => takeSpread(hall, i),
        }),
      );
      if (round === 0) recordRun(await bareAlike(system.bareUrl, takes));
      recordFigure(`CPU per take, round ${round + 1} (ms)`, cpu(CITIZENS));
      rss.push(system.pids.bff.reduce((sum, pid) => sum + rssMiB(pid), 0));
      recordFigure(`BFF RSS after round ${round + 1} (MiB)`, Number(rss[round].toFixed(0)));
      const live = await liveMemory(system.instances[0]);
      heap.push(live.heapUsed);
      recordFigure(
        `BFF heap after its last major GC, round ${round + 1} (MiB)`,
        Number(live.heapUsed.toFixed(1)),
      );
      // Where the rest of the RSS is: the heap V8 keeps, and what lies outside it.
      recordFigure(
        `BFF heap held / outside the heap, round ${round + 1} (MiB)`,
        `${live.heapTotal.toFixed(0)} / ${live.external.toFixed(0)}`,
      );
      faults += await checkNumbers(system.db, hall);
    }
    recordFigure(
      'BFF RSS growth round 1 → 3 (%)',
      Number((((rss[ROUNDS - 1] - rss[0]) / rss[0]) * 100).toFixed(1)),
    );
    // What a leak would show: memory still live after a major collection, growing round after round.
    recordFigure(
      'BFF live heap growth round 1 → 3 (%)',
      Number((((heap[ROUNDS - 1] - heap[0]) / heap[0]) * 100).toFixed(1)),
    );

    // Capacity: takes with 8 in flight (the admission bound's floor, 64 / 8, so none is
    // refused and the figure is what the system serves), then offered at twice that.
    const capacityHall = halls[ROUNDS];
    const bare = recordRun(await bareRoute(system.bareUrl, 8, 4));
    const capacityRun = await lanesLoop(`capacity: takes, 8 in flight`, client, {
      lanes: 8,
      count: CITIZENS,
      request: (i) => take(capacityHall, i),
    });
    const capacity = recordRun({
      ...capacityRun,
      ofBare: capacityRun.answeredPerSecond / bare.answeredPerSecond,
    });
    const served = capacity.outcomes['201'] ?? 0;
    const sustainable = Math.max(50, Math.floor(served / capacity.seconds));
    recordFigure('sustainable takes per second', sustainable);
    // In a hall of its own, the one with the most lines, each citizen once per line: every take
    // is one the system should serve (reusing the capacity hall's lines answered some
    // 409 ALREADY_QUEUED once capacity passed 400 takes/s).
    const overloadHall = halls
      .slice(ROUNDS + 2)
      .reduce((most, hall) => (hall.categories.length > most.categories.length ? hall : most));
    // With the load client's connections open beforehand (see LoadClient.connect): what is
    // measured is how the process answers, not how fast it accepts a burst of new connections.
    await client.connect(128, '/healthz');
    const overload = recordRun(
      await openLoop(`overload: takes at 2 × ${sustainable}/s for 5 s`, client, {
        rate: 2 * sustainable,
        count: Math.min(10 * sustainable, CITIZENS * overloadHall.categories.length),
        request: (i) => takeSpread(overloadHall, i),
      }),
    );
    const unanswered = overload.outcomes['no answer'] ?? 0;
    recordFigure(
      'overload: answered within 1 s',
      overload.maxMs <= 1000 && unanswered === 0
        ? 'yes'
        : `no (max ${overload.maxMs} ms, ${unanswered} unanswered)`,
    );
    faults += await checkNumbers(system.db, capacityHall);
    faults += await checkNumbers(system.db, overloadHall);
    if (faults > 0) process.exitCode = 1;
  } finally {
    await client.close();
    await system.stop();
  }
}

/** Numbers of every line of the hall run 1..n, unique and without a gap; answers the lines that do not. */
async function checkNumbers(
  db: Awaited<ReturnType<typeof startDeployed>>['db'],
  hall: Hall,
): Promise<number> {
  const tickets = await db
    .collection('tickets')
    .find({ hallId: hall.id }, { projection: { numberCategory: 1, seq: 1 } })
    .toArray();
  const faulty: string[] = [];
  for (const category of hall.categories) {
    const seqs = tickets
      .filter((t) => t.numberCategory === category.code)
      .map((t) => t.seq as number)
      .sort((a, b) => a - b);
    if (!seqs.every((seq, i) => seq === i + 1)) faulty.push(category.code);
  }
  console.log(
    faulty.length === 0
      ? `✓ ${tickets.length} numbers in ${hall.name}, unique and gap-free in every line`
      : `✗ lines with gaps or duplicates: ${faulty.join(', ')}`,
  );
  return faulty.length;
}
