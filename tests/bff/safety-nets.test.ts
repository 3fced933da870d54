// The nets under every feature: the database going away under a running BFF (readiness says
// so, a request that needs it answers INTERNAL without internals, both heal when it returns), a
// route that throws something unexpected (INTERNAL again, nothing of the error),
// rate limits per signed-in user, the answer to a request Node times out, and a check that every
// error code the BFF can answer with is asserted by some test.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '@onewindow/bff';
import { loadConfig } from '@onewindow/bff/config';
import { clientErrorHandler } from '@onewindow/bff/plugins/errors';
import { ERRORS } from '@onewindow/shared-types';
import { startTestBff, worldEnv, type TestBff } from '../support/bff';
import { bearer, injectCaller, signIn } from '../support/citizens';
import { errorShape } from '../support/error-shape';
import { startMongoProxy, type TcpProxy } from '../support/tcp-proxy';
import { scaled } from '../support/time-scale';
import { until } from '../support/until';

let bff: TestBff;
beforeAll(async () => {
  bff = await startTestBff('safety_nets', { RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => bff.stop());

/** Another instance over the same world and database, with its own settings. */
async function anotherInstance(mongodbUri: string, env: Record<string, string>): Promise<FastifyInstance> {
  const app = await buildApp(
    loadConfig({
      ...worldEnv(bff.world, mongodbUri),
      CORE_TIMEOUT_MS: '1000',
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      MAX_IN_FLIGHT: '0',
      ...env,
    }),
  );
  await app.ready();
  return app;
}

/** The driver's last monitoring and pool events, with the ms since the test began. */
const driverEvents: string[] = [];
function recordDriverEvents(app: FastifyInstance): void {
  const started = Date.now();
  const client = app.db.getClient();
  for (const event of [
    'serverHeartbeatSucceeded',
    'serverHeartbeatFailed',
    'connectionPoolCleared',
    'connectionPoolReady',
    'serverDescriptionChanged',
  ])
    client.on(event, (e: { failure?: Error; newDescription?: { type: string } }) => {
      driverEvents.push(
        `${Date.now() - started} ${event} ${e.failure?.message ?? e.newDescription?.type ?? ''}`,
      );
      if (driverEvents.length > 12) driverEvents.shift();
    });
}

/** What the driver believes of the server, for a failure message: type, error, pool state, last events. */
function driverState(app: FastifyInstance, proxy: TcpProxy): string {
  const topology = (
    app.db.getClient() as unknown as {
      topology?: {
        description: { servers: Map<string, { type: string; error?: { message: string } }> };
        s: {
          servers: Map<
            string,
            {
              pool: {
                poolState?: string;
                totalConnectionCount?: number;
                availableConnectionCount?: number;
                waitQueueSize?: number;
              };
              monitor?: { s: { state: string } };
            }
          >;
        };
      };
    }
  ).topology;
  if (!topology) return 'no topology';
  return [...topology.description.servers.values()]
    .map((d) => {
      const server = [...topology.s.servers.values()][0];
      const pool = server?.pool;
      return `driver: ${d.type}${d.error ? ` (${d.error.message})` : ''}, pool ${pool?.poolState}, ${pool?.totalConnectionCount} connections, ${pool?.availableConnectionCount} available, ${pool?.waitQueueSize} waiting, monitor ${server?.monitor?.s.state}`;
    })
    .join('; ')
    .concat(`; proxy ${JSON.stringify(proxy.traffic())}; events: ${driverEvents.join(' | ')}`);
}

describe('the database goes away under a running instance', () => {
  let proxy: TcpProxy & { uri: string };
  let app: FastifyInstance;
  beforeAll(async () => {
    proxy = await startMongoProxy(bff.db.database.uri);
    app = await anotherInstance(proxy.uri, { RATE_LIMIT_PER_MINUTE: '100000' });
    recordDriverEvents(app);
  });
  /** Waits for `/readyz` to say ready; on time-out the error shows the answer and the driver's state. */
  const readyAgain = (what: string) =>
    until(
      async () => {
        const ready = await app.inject({ method: 'GET', url: '/readyz' });
        if (ready.statusCode !== 200)
          throw new Error(`${ready.statusCode} ${ready.body}; ${driverState(app, proxy)}`);
        return true;
      },
      what,
      30_000,
    );
  afterAll(async () => {
    proxy.restore();
    await app.close();
    await proxy.close();
  });

  test('readyz says the database is down; a request that needs it is 500 INTERNAL with nothing of the failure; both heal when it is back', async () => {
    const citizen = await signIn(injectCaller(bff.app), bff.world);
    const messages = () =>
      app.inject({ method: 'GET', url: '/api/v1/messages', headers: bearer(citizen.token) });
    expect((await messages()).statusCode).toBe(200);

    proxy.cut();
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect([notReady.statusCode, notReady.json()]).toEqual([
      503,
      { status: 'not ready', checks: { database: 'down', core: 'ok' } },
    ]);
    const failed = await messages();
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual({
      ...errorShape('INTERNAL'),
      error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message },
    });
    expect(failed.body).not.toMatch(/mongo|server selection|stack|at \w|127\.0\.0\.1/i);
    expect(failed.headers['x-request-id']).toBe(failed.json().requestId);

    proxy.restore();
    await readyAgain('readiness to return with the database');
    expect((await messages()).statusCode).toBe(200);
  });

  test('a database that stops answering, its connections still open: readyz answers all the same (database down), and ready again once the answers flow', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    proxy.stall();
    // Each check is bounded (2 s). Without that the probe waits for a reply that is not coming
    // (the driver has no socket time-out on commands) until the driver's own monitoring gives up
    // on the server, 10 s or more later: longer than an orchestrator waits for a probe.
    const asked = Date.now();
    const stalled = await app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - asked).toBeLessThan(scaled(4_500));
    expect([stalled.statusCode, stalled.json()]).toEqual([
      503,
      { status: 'not ready', checks: { database: 'down', core: 'ok' } },
    ]);
    proxy.restore();
    await readyAgain('readiness once the database answers again');
  });
});

test('a route that throws something unexpected answers 500 INTERNAL in the one shape, with nothing of what was thrown', async () => {
  const app = await buildApp(
    loadConfig({
      ...worldEnv(bff.world, bff.db.database.uri),
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      MAX_IN_FLIGHT: '0',
    }),
  );
  app.get('/api/v1/throws', () => {
    throw new TypeError(
      "Cannot read properties of undefined (reading 'idNumber') at /srv/bff/src/secret.ts:42",
    );
  });
  await app.ready();
  try {
    const answer = await app.inject({ method: 'GET', url: '/api/v1/throws' });
    expect([answer.statusCode, answer.json()]).toEqual([
      500,
      { ...errorShape('INTERNAL'), error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message } },
    ]);
    expect(answer.body).not.toMatch(/idNumber|TypeError|secret|\.ts|undefined/);
    expect(answer.headers['x-request-id']).toBe(answer.json().requestId);
  } finally {
    await app.close();
  }
});

describe('rate limits', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await anotherInstance(bff.db.database.uri, { RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => app.close());

  test('a signed-in citizen is limited by account, not by the address a whole hall shares', async () => {
    const [first, second] = [
      await signIn(injectCaller(bff.app), bff.world),
      await signIn(injectCaller(bff.app), bff.world),
    ];
    const messages = (token: string) =>
      app.inject({ method: 'GET', url: '/api/v1/messages', headers: bearer(token) });
    for (let i = 0; i < 5; i += 1) {
      const answered = await messages(first.token);
      expect(answered.statusCode).toBe(200);
      // The limit is said when it refuses, not on every answer.
      expect(Object.keys(answered.headers).filter((name) => name.startsWith('x-ratelimit'))).toEqual([]);
    }
    const limited = await messages(first.token);
    expect([limited.statusCode, limited.json()]).toEqual([429, errorShape('RATE_LIMITED')]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit']).toBe('5');
    // Same address (every inject comes from 127.0.0.1), another account: its own allowance.
    expect((await messages(second.token)).statusCode).toBe(200);
    // And an anonymous caller from that address is counted by the address, apart from both.
    expect((await app.inject({ method: 'GET', url: '/api/v1/halls' })).statusCode).toBe(200);
  });
});

test('a request whose headers never finish is answered 408 REQUEST_TIMEOUT in the documented shape', async () => {
  // Node raises ERR_HTTP_REQUEST_TIMEOUT on the socket itself (after `requestTimeout`, checked
  // every 30 s); the handler that answers it is driven here on a real socket.
  const server = createServer((socket) => {
    // Node's server listens for the error the handler destroys the socket with; so does this one.
    socket.on('error', () => undefined);
    clientErrorHandler(
      Object.assign(new Error('request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
      socket,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const answer = await new Promise<string>((resolve) => {
      let data = '';
      const socket = connect((server.address() as { port: number }).port, '127.0.0.1', () =>
        socket.write('GET /api/v1/halls HTTP/1.1\r\nHost: x\r\n'),
      );
      socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(data));
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 408 REQUEST TIMEOUT');
    expect(JSON.parse(body)).toEqual(errorShape('REQUEST_TIMEOUT'));
  } finally {
    server.close();
  }
});

test('every error code the BFF answers with is asserted by at least one test', () => {
  const suites = ['bff', 'e2e', 'mock'].flatMap((dir) =>
    readdirSync(join(__dirname, '..', dir), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.test.ts') && !file.endsWith('safety-nets.test.ts'))
      .map((file) => readFileSync(join(__dirname, '..', dir, file), 'utf8')),
  );
  const own = readFileSync(__filename, 'utf8').split("test('every error code")[0];
  const untested = Object.keys(ERRORS).filter(
    (code) => !suites.some((text) => new RegExp(`\\b${code}\\b`).test(text)) && !own.includes(`'${code}'`),
  );
  expect(untested).toEqual([]);
});
