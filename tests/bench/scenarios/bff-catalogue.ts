// Catalogue item reads through the whole BFF (plugins, validation, MongoDB copy) beside a bare
// Fastify route answering the same JSON from memory, measured in the same run on the same
// machine, so the BFF's overhead is read from the difference, not from absolute figures.
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { startSystem } from '../../support/system';

interface Result {
  label: string;
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

async function load(label: string, url: string): Promise<Result> {
  const result = (await autocannon({ url, connections: 20, duration: 8, pipelining: 1 })) as unknown as Omit<Result, 'label'>;
  return { label, ...result };
}

function print(r: Result): void {
  console.log(`${r.label.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`);
}

export async function run(): Promise<void> {
  // Measure the request path, not log volume or the per-user limit.
  process.env.LOG_LEVEL = 'warn';
  process.env.RATE_LIMIT_PER_MINUTE = '100000';
  const system = await startSystem({ dbName: `bench_${Date.now()}` });
  const bare = Fastify();
  try {
    const list = (await (await fetch(`${system.bffUrl}/api/v1/items?pageSize=1`)).json()) as { items: { code: string }[] };
    const code = list.items[0].code;
    const detail = await (await fetch(`${system.bffUrl}/api/v1/items/${code}`)).json();
    bare.get('/items/:code', async () => detail);
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    // Warm both (JIT, connection pools) before measuring.
    await load('warm-up', `${system.bffUrl}/api/v1/items/${code}`);
    print(await load('bare Fastify, same JSON', `${bareUrl}/items/${code}`));
    print(await load('BFF GET /api/v1/items/:code', `${system.bffUrl}/api/v1/items/${code}`));
    print(await load('BFF GET /api/v1/items?q=…', `${system.bffUrl}/api/v1/items?q=${encodeURIComponent('低保')}`));
  } finally {
    await bare.close();
    await system.stop();
  }
}
