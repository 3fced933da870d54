// Several BFF instances as a city would run them: separate OS processes started by the
// production entry (bff/src/server.ts) from configuration alone, over one database and one
// mock world, behind a round-robin proxy standing in for the load balancer.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startWorld, type World } from '@onewindow/mock';
import { worldEnv } from './bff';
import { openTestDatabase, type TestDatabase } from './database';
import { repoRoot } from './h5-build';
import { scaled } from './time-scale';

export interface BffProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed (pino JSON lines), the last 50,000 characters. */
  output(): string;
  /** Every line it logged at error level or above, since it started. */
  errors(): string[];
}

export interface BffCluster {
  world: World;
  db: TestDatabase;
  instances: BffProcess[];
  /** The load balancer: each request goes to the next instance in turn. */
  url: string;
  stop(): Promise<void>;
}

export interface BffProcessOptions {
  /** Arguments for node itself (a profiler). */
  nodeArgs?: string[];
  /** Run the compiled entry (`bff/dist/server.js`, as the image does) instead of the sources through tsx; the caller builds it. */
  compiled?: boolean;
}

/** The node flags the BFF's start script (and so its image) runs with: the heap's growth, say. */
const PRODUCTION_NODE_FLAGS = (
  JSON.parse(readFileSync(join(repoRoot, 'bff', 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));

/** One BFF process from the production entry, with `env` over this process's environment. */
export async function startBffProcess(
  env: Record<string, string>,
  options: BffProcessOptions = {},
): Promise<BffProcess> {
  const entry = options.compiled
    ? [join(repoRoot, 'bff', 'dist', 'server.js')]
    : ['--import', 'tsx', '--conditions=source', join(repoRoot, 'bff', 'src', 'server.ts')];
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, ...(options.nodeArgs ?? []), ...entry], {
    cwd: join(repoRoot, 'tests'),
    // Development mode logs (test mode is silent): the listening line says the port.
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'development',
      BFF_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const errors: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-50_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    // pino levels: 50 error, 60 fatal.
    errors.push(...lines.filter((line) => /"level":(5|6)0\b/.test(line)));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + scaled(60_000);
  for (;;) {
    const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (listening) return { url: listening[1], child, output: () => output, errors: () => errors };
    if (child.exitCode !== null)
      throw new Error(`BFF process exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`BFF process did not listen in time:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The load balancer: each request goes to the next live target in turn (SSE streams pass through). */
export function roundRobin(targets: () => string[]): Promise<{ server: Server; url: string }> {
  let next = 0;
  const server = createServer((req, res) => {
    const live = targets();
    const target = new URL(req.url ?? '/', live[next++ % live.length]);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

export function alive(instances: BffProcess[]): string[] {
  return instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null).map((i) => i.url);
}

/** Stops processes with SIGTERM (they drain and exit) and waits for them. */
export async function stopBffProcesses(instances: BffProcess[]): Promise<void> {
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolve) => {
          if (instance.child.exitCode !== null || instance.child.signalCode !== null) return resolve();
          instance.child.once('exit', () => resolve());
          instance.child.kill('SIGTERM');
        }),
    ),
  );
}

/** `count` BFF processes over one database and one mock world, with `env` on top of what the world needs. */
export async function startBffProcesses(
  label: string,
  count: number,
  env: Record<string, string> = {},
): Promise<BffCluster> {
  const db = await openTestDatabase(label);
  const world = await startWorld();
  const instances: BffProcess[] = [];
  const stopInstances = () => stopBffProcesses(instances);
  try {
    const processEnv = {
      ...worldEnv(world, db.database.uri),
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      MAX_IN_FLIGHT: '0',
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      ...env,
    };
    instances.push(...(await Promise.all(Array.from({ length: count }, () => startBffProcess(processEnv)))));
    const proxy = await roundRobin(() => alive(instances));
    world.core.setWebhookUrl(`${proxy.url}/api/v1/hooks/core/case-events`);
    return {
      world,
      db,
      instances,
      url: proxy.url,
      stop: async () => {
        proxy.server.closeAllConnections();
        await new Promise((r) => proxy.server.close(r));
        await stopInstances();
        await world.stop();
        await db.stop();
      },
    };
  } catch (error) {
    await stopInstances();
    await world.stop();
    await db.stop();
    throw error;
  }
}
