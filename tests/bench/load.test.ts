// The benches' load generator must not hide a stall (coordinated omission): in an open loop,
// requests keep arriving on schedule while the server holds its answers, and each one's latency
// counts from when it was due, not from when a free connection let it go.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { lanesLoop, LoadClient, openLoop } from './load';

let server: Server;
let origin: string;
let stall: { from: number; until: number };
/** Paths refused once for load (503 with Retry-After: 1) before they are answered. */
const refuseFirst = new Set<string>();

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.startsWith('/refused-once/') && !refuseFirst.has(request.url)) {
      refuseFirst.add(request.url);
      response.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
      response.end('{"error":{"code":"OVERLOADED"}}');
      return;
    }
    const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    const now = performance.now();
    // Everything that arrives during the stall is answered when it ends.
    if (now >= stall.from && now < stall.until) setTimeout(answer, stall.until - now);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test('requests due during a half-second stall count the stall in their latency, and every one is answered', async () => {
  // Two connections, both held by the stall: later requests wait for one, and that wait counts too.
  const client = new LoadClient(origin, 2);
  const start = performance.now();
  stall = { from: start + 200, until: start + 700 };
  try {
    const run = await openLoop('stall', client, {
      rate: 100,
      count: 100,
      request: () => ({ method: 'GET', path: '/' }),
    });
    expect(run.requests).toBe(100);
    expect(run.outcomes).toEqual({ '200': 100 });
    // Due between 250 and 500 ms into the run, answered at 700 ms at the earliest: 200–450 ms late.
    const held = run.timeline.find((point) => point.atS === 0.25)!;
    expect(held.count).toBe(25);
    expect(held.p50Ms).toBeGreaterThanOrEqual(150);
    expect(run.maxMs).toBeGreaterThanOrEqual(400);
    expect(run.p90Ms).toBeGreaterThanOrEqual(100);
  } finally {
    await client.close();
  }
});

test('lanes asked to get every request served ask a refused one again after its Retry-After, the wait in its latency', async () => {
  const client = new LoadClient(origin, 4);
  try {
    const run = await lanesLoop('refused once', client, {
      lanes: 4,
      count: 8,
      request: (i) => ({ method: 'GET', path: `/refused-once/${i}` }),
      untilServed: true,
    });
    expect(run.outcomes).toEqual({ '200': 8 });
    expect(run.p50Ms).toBeGreaterThanOrEqual(1000);
    // Without it, the refusal is the outcome.
    const plain = await lanesLoop('refused', client, {
      lanes: 4,
      count: 4,
      request: (i) => ({ method: 'GET', path: `/refused-once/again-${i}` }),
    });
    expect(plain.outcomes).toEqual({ '503 OVERLOADED': 4 });
  } finally {
    await client.close();
  }
});
