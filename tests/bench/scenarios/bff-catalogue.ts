// Catalogue reads through the whole BFF (plugins, validation, the in-memory copy of the MongoDB
// copy) beside a bare Fastify route answering the same JSON from memory, measured in the same run
// on the same machine, so the BFF's overhead is read from the ratio, not from absolute figures.
// Also prints the database commands the BFF sent while under load (the catalogue should send
// about one a second: the look at the copy's state). The load has stopped and every request has
// been answered before the system stops.
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { startSystem } from '../../support/system';
import { until } from '../../support/until';

interface Result {
  label: string;
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  /** Database commands the BFF sent during the load, when counted. */
  commands?: number;
  ratio?: number;
}

async function load(label: string, url: string): Promise<Result> {
  const result = (await autocannon({ url, connections: 20, duration: 8, pipelining: 1 })) as unknown as Omit<Result, 'label'>;
  return { label, ...result };
}

function print(r: Result): void {
  const extra = `${r.ratio === undefined ? '' : `  ${(r.ratio * 100).toFixed(1)} % of bare`}${r.commands === undefined ? '' : `  db commands ${r.commands}`}`;
  console.log(`${r.label.padEnd(44)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  non-2xx ${r.non2xx}  errors ${r.errors}${extra}`);
}

export async function run(): Promise<void> {
  // Measure the request path, not log volume or the per-user limit.
  process.env.LOG_LEVEL = 'warn';
  process.env.RATE_LIMIT_PER_MINUTE = '10000000';
  // Command events, to count what a catalogue read costs the database.
  const system = await startSystem({ dbName: `bench_${Date.now()}`, monitorCommands: true });
  let commands = 0;
  system.app.db.getClient().on('commandStarted', () => {
    commands += 1;
  });
  const measured = async (label: string, url: string, bare?: Result): Promise<Result> => {
    commands = 0;
    const result = await load(label, url);
    // autocannon stops sending at the deadline; the requests it left in flight finish first.
    await until(() => system.app.admission.inFlight === 0, 'the BFF to answer what the load left in flight');
    return { ...result, commands, ratio: bare ? result.requests.average / bare.requests.average : undefined };
  };
  const bare = Fastify();
  try {
    const list = (await (await fetch(`${system.bffUrl}/api/v1/items?pageSize=1`)).json()) as { items: { code: string }[] };
    const code = list.items[0].code;
    const detail = await (await fetch(`${system.bffUrl}/api/v1/items/${code}`)).json();
    bare.get('/items/:code', async () => detail);
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    // Warm both (JIT, connection pools) before measuring.
    await load('warm-up', `${system.bffUrl}/api/v1/items/${code}`);
    const bareResult = await load('bare Fastify, same JSON', `${bareUrl}/items/${code}`);
    print(bareResult);
    print(await measured('BFF GET /api/v1/items/:code', `${system.bffUrl}/api/v1/items/${code}`, bareResult));
    print(await measured('BFF GET /api/v1/items?q=…', `${system.bffUrl}/api/v1/items?q=${encodeURIComponent('低保')}`, bareResult));
    print(await measured('BFF GET /api/v1/halls (all: a larger JSON)', `${system.bffUrl}/api/v1/halls`, bareResult));
  } finally {
    await bare.close();
    await system.stop();
  }
}
