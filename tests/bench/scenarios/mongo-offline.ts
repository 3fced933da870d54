// The offline MongoDB-compatible server as the suites and `pnpm start` run it: in its own
// process, loaded through the official driver from this process, measured in the same run as
// a bare Fastify JSON route in a third process (the ceiling of a request on this machine).
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BSON, MongoClient, type Collection, type Document } from 'mongodb';
import { spawnMongoServer } from '@onewindow/mock/mongo/child-server';
import { cpuSeconds } from '../deployed';
import { measure } from '../measure';

const CONCURRENCY = 32;
const TOTAL_TICKETS = 100_000;

// The ticket indexes the BFF declares (bff/src/modules/queue/model.ts), less the partial
// appointment index: five with _id.
const TICKET_INDEXES = [
  {
    key: { hallId: 1, numberCategory: 1, day: 1, seq: 1 },
    unique: true,
    partialFilterExpression: { seq: { $type: 'number' } },
  },
  {
    key: { userId: 1, hallId: 1, category: 1, day: 1 },
    unique: true,
    partialFilterExpression: { live: true },
  },
  { key: { day: 1, hallId: 1, category: 1, status: 1, queuedAt: 1 } },
  { key: { hallId: 1, category: 1, status: 1, completedAt: -1 } },
];

const dayOf = (d: number) => `2026-03-${String(d + 1).padStart(2, '0')}`;
const minute = (d: number, m: number) => new Date(Date.UTC(2026, 2, d + 1, 0, 0) + m * 1000);

/** A document the size and shape of a queue ticket. */
function ticket(
  i: number,
  day: string,
  hallId: string,
  category: string,
  status: string,
  at: Date,
  seq: number | null = i,
): Document {
  return {
    hallId,
    category,
    numberCategory: category,
    day,
    seq,
    number: seq === null ? null : `${category}${String(seq).padStart(3, '0')}`,
    userId: `user-${i.toString(36)}-${hallId}`,
    priority: i % 11 === 0 ? 'elderly' : null,
    appointmentId: null,
    status,
    live: status === 'waiting',
    queuedAt: at,
    takenAt: at,
    windowId: status === 'done' ? 'W01' : null,
    calledAt: status === 'done' ? at : null,
    servedAt: status === 'done' ? at : null,
    completedAt: status === 'done' ? at : null,
    servedBy: status === 'done' ? 'staff-01' : null,
    skippedAt: null,
    rejoined: false,
    alerted: { approach: false, called: 0 },
  };
}

function startBareRoute(): Promise<{ child: ChildProcess; url: string }> {
  const script = `
    const app = require(${JSON.stringify(require.resolve('fastify'))})();
    app.get('/ping', async () => ({ ok: true, at: Date.now() }));
    app.listen({ port: 0, host: '127.0.0.1' }).then((url) => console.log(url));
    process.on('disconnect', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve) =>
    child.stdout!.setEncoding('utf8').once('data', (line: string) => resolve({ child, url: line.trim() })),
  );
}

/** The wire floor (../wire-floor.ts) in a process of its own. */
function startWireFloor(document: Document): Promise<{ child: ChildProcess; url: string }> {
  const loader = ['--conditions=source', '--import', pathToFileURL(require.resolve('tsx')).href];
  const child = spawn(process.execPath, [...loader, join(__dirname, '..', 'wire-floor.ts')], {
    env: { ...process.env, WIRE_FLOOR_DOCUMENT: BSON.EJSON.stringify(document, { relaxed: false }) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.stdout!.setEncoding('utf8').once('data', (line: string) => resolve({ child, url: line.trim() })),
  );
}

/** Point finds and inserts through the driver against a server that does no storage work: the most any engine could reach here. */
async function wireFloor(bareRate: number): Promise<void> {
  const floor = await startWireFloor(ticket(1, dayOf(0), 'H0', 'A', 'waiting', minute(0, 1)));
  const client = await MongoClient.connect(floor.url, { maxPoolSize: CONCURRENCY });
  try {
    const collection = client.db('bench').collection('tickets');
    const floorCpu = async <T extends { ops: number }>(run: () => Promise<T>): Promise<T> => {
      const before = cpuSeconds(floor.child.pid!);
      const figures = await withDriverCpu(run);
      const perOp = ((cpuSeconds(floor.child.pid!) - before) * 1e6) / figures.ops;
      console.log(
        `  wire floor server CPU ${perOp.toFixed(0)} µs per operation (framing, decoding, encoding, sockets)`,
      );
      return figures;
    };
    const finds = await floorCpu(() =>
      measure('wire floor: point find, canned answer', 20_000, CONCURRENCY, (i) =>
        collection.findOne({ hallId: 'H0', numberCategory: 'A', day: dayOf(0), seq: (i * 7919) % 5000 }),
      ),
    );
    const inserts = await floorCpu(() =>
      measure('wire floor: single insert, canned answer', 10_000, CONCURRENCY, (i) =>
        collection.insertOne(ticket(TOTAL_TICKETS + i, dayOf(11), 'H5', 'C', 'waiting', new Date(), i)),
      ),
    );
    console.log(
      `  → the most any engine could reach through this driver here: find ${(finds.opsPerSecond / bareRate).toFixed(2)}×, insert ${(inserts.opsPerSecond / bareRate).toFixed(2)}× the bare route`,
    );
  } finally {
    await client.close();
    floor.child.kill();
  }
}

async function bareRouteRate(url: string): Promise<number> {
  const result = await autocannon({ url: `${url}/ping`, connections: CONCURRENCY, duration: 6 });
  const rate = result.requests.average;
  console.log(
    `${'bare Fastify JSON route (autocannon)'.padEnd(44)} ${rate.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50.toFixed(2)} ms`,
  );
  return rate;
}

async function loadTickets(tickets: Collection): Promise<void> {
  // 20 hall-category-days of 5,000 tickets, half still waiting.
  const batch: Document[] = [];
  for (let i = 0; i < TOTAL_TICKETS; i += 1) {
    const group = Math.floor(i / 5000);
    batch.push(
      ticket(
        i,
        dayOf(group % 10),
        `H${group % 2}`,
        group % 4 < 2 ? 'A' : 'B',
        i % 2 ? 'waiting' : 'done',
        minute(group % 10, i % 5000),
      ),
    );
    if (batch.length === 2000) await tickets.insertMany(batch.splice(0));
  }
  if (batch.length) await tickets.insertMany(batch);
}

/** The database side of a queue take (bff/src/modules/queue): claim, draw, number, then the counts behind the position. */
async function take(db: ReturnType<MongoClient['db']>, day: string, i: number): Promise<void> {
  const tickets = db.collection('queue');
  const now = new Date();
  const { insertedId } = await tickets.insertOne(ticket(1_000_000 + i, day, 'H9', 'A', 'waiting', now, null));
  const counter = await db
    .collection<{ _id: string; seq: number }>('counters')
    .findOneAndUpdate(
      { _id: `H9|A|${day}`, seq: { $lt: 1_000_000 } },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
  await tickets.updateOne({ _id: insertedId }, { $set: { seq: counter!.seq, number: `A${counter!.seq}` } });
  const waiting = { day, hallId: 'H9', category: 'A', status: 'waiting', seq: { $ne: null } };
  await Promise.all([
    tickets.countDocuments(waiting),
    tickets.countDocuments({
      ...waiting,
      priority: null,
      $or: [{ queuedAt: { $lt: now } }, { queuedAt: now, seq: { $lt: counter!.seq } }],
    }),
  ]);
  // The citizen is served later: the queue stays about as long as it was.
  await tickets.updateOne({ _id: insertedId }, { $set: { status: 'done', live: false } });
}

/** A day that already has `existing` tickets, 50 of them still waiting. */
async function prepareDay(db: ReturnType<MongoClient['db']>, existing: number): Promise<string> {
  const day = `day-${existing}`;
  const batch = Array.from({ length: existing }, (_, i) =>
    ticket(i, day, 'H9', 'A', i >= existing - 50 ? 'waiting' : 'done', minute(0, i)),
  );
  for (let i = 0; i < batch.length; i += 2000)
    await db.collection('queue').insertMany(batch.slice(i, i + 2000));
  await db
    .collection('counters')
    .updateOne({ _id: `H9|A|${day}` as never }, { $set: { seq: existing } }, { upsert: true });
  return day;
}

/** Median per-take time of each day, the days taking turns so machine noise falls on both alike. */
async function takeCosts(
  db: ReturnType<MongoClient['db']>,
  days: string[],
  rounds: number,
  perRound: number,
): Promise<number[]> {
  const samples: number[][] = days.map(() => []);
  let n = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const [d, day] of days.entries()) {
      const started = performance.now();
      for (let i = 0; i < perRound; i += 1) await take(db, day, n++);
      samples[d].push((performance.now() - started) / perRound);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

/** The server's CPU time (user + system), as its serverStatus reports it. */
async function serverCpuMicros(db: ReturnType<MongoClient['db']>): Promise<number> {
  const { extra_info: info } = await db.admin().command({ serverStatus: 1 });
  return Number(info.user_time_us) + Number(info.system_time_us);
}

/** Runs a measurement and says how much CPU the load process (the official driver) spent per operation, which the bare route's autocannon client does not pay. */
async function withDriverCpu<T extends { ops: number }>(run: () => Promise<T>): Promise<T> {
  const load = process.cpuUsage();
  const figures = await run();
  const { user, system } = process.cpuUsage(load);
  const perOp = (user + system) / figures.ops;
  console.log(
    `  load process (official driver) CPU ${perOp.toFixed(0)} µs per operation (≈ ${Math.round(1e6 / perOp)} ops/s on one core)`,
  );
  return figures;
}

/** Runs a measurement and says how much server CPU each operation took: the server's own ceiling on one core. */
async function withServerCpu<T extends { ops: number }>(
  db: ReturnType<MongoClient['db']>,
  run: () => Promise<T>,
): Promise<T> {
  const before = await serverCpuMicros(db);
  const figures = await withDriverCpu(run);
  const perOp = ((await serverCpuMicros(db)) - before) / figures.ops;
  console.log(
    `  server CPU ${perOp.toFixed(0)} µs per operation (≈ ${Math.round(1e6 / perOp)} ops/s on one core); the load process is the limit when this is far above the measured rate`,
  );
  return figures;
}

export async function run(): Promise<void> {
  const server = await spawnMongoServer({ log: (line) => console.error(line) });
  const bare = await startBareRoute();
  const client = await MongoClient.connect(server.url, { maxPoolSize: CONCURRENCY });
  try {
    const db = client.db('bench');
    const tickets = db.collection('tickets');
    for (const { key, ...options } of TICKET_INDEXES) await tickets.createIndex(key as Document, options);
    const queue = db.collection('queue');
    for (const { key, ...options } of TICKET_INDEXES) await queue.createIndex(key as Document, options);

    const bareRate = await bareRouteRate(bare.url);
    await wireFloor(bareRate);

    const loadStarted = performance.now();
    await loadTickets(tickets);
    const { mem } = await db.admin().command({ serverStatus: 1 });
    console.log(
      `loaded ${TOTAL_TICKETS} tickets with five indexes in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; server RSS ${mem.resident} MB (target ≤ 400 MB)`,
    );

    const finds = await withServerCpu(db, () =>
      measure('point find by unique key (driver)', 20_000, CONCURRENCY, (i) =>
        tickets.findOne({ hallId: 'H0', numberCategory: 'A', day: dayOf(0), seq: (i * 7919) % 5000 }),
      ),
    );
    console.log(`  → ${(finds.opsPerSecond / bareRate).toFixed(2)}× the bare route (target ≥ 1.0×)`);

    const inserts = await withServerCpu(db, () =>
      measure('single insert, four secondary indexes', 10_000, CONCURRENCY, (i) =>
        tickets.insertOne(ticket(TOTAL_TICKETS + i, dayOf(11), 'H5', 'C', 'waiting', new Date(), i)),
      ),
    );
    console.log(`  → ${(inserts.opsPerSecond / bareRate).toFixed(2)}× the bare route (target ≥ 0.8×)`);

    const range = {
      day: dayOf(3),
      hallId: 'H1',
      category: 'B',
      status: 'waiting',
      queuedAt: { $gte: minute(3, 500) },
    };
    console.log(
      `count matches ${await tickets.countDocuments(range)} of ${await tickets.estimatedDocumentCount()} documents`,
    );
    await measure('count: index prefix + range (countDocuments)', 2_000, 1, () =>
      tickets.countDocuments(range),
    ).then((f) => console.log(`  → p50 ${f.p50Ms.toFixed(2)} ms (target ≤ 2 ms)`));

    const days = [await prepareDay(db, 100), await prepareDay(db, 10_000)];
    await takeCosts(db, days, 1, 50); // warm-up
    const [small, large] = await takeCosts(db, days, 8, 40);
    console.log(
      `queue take with 100 tickets of the day: ${small.toFixed(2)} ms; with 10,000: ${large.toFixed(2)} ms (${(((large - small) / small) * 100).toFixed(0)} %, target within 20 %)`,
    );

    const after = await db.admin().command({ serverStatus: 1 });
    console.log(`server RSS at the end: ${after.mem.resident} MB`);
  } finally {
    await client.close();
    bare.child.kill();
    await server.stop();
  }
}
