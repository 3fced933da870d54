// The system as it is deployed, for benchmarks: the database, the mock world and each BFF
// instance (compiled, as the image runs it) in a process of its own, a bare Fastify JSON route in another (the ceiling of a
// request on this machine, measured in the same run), and this process only the load.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { resolveDatabase } from '@onewindow/mock/mongo/resolve-database';
import {
  alive,
  roundRobin,
  startBffProcess,
  stopBffProcesses,
  type BffProcess,
} from '../support/bff-processes';
import type { WorldAddresses } from '../support/citizens';
import { repoRoot } from '../support/h5-build';
import { recordFigure } from './report';

export interface DeployedOptions {
  label: string;
  /** BFF processes behind a round-robin balancer; one is addressed directly. */
  bffProcesses?: number;
  /** BFF settings on top of what the world needs. */
  env?: Record<string, string>;
  /** The BFF's clock starts here and runs on (every instance shares it). */
  now?: Date;
}

export interface Deployed {
  /** The API's origin: the only instance, or the balancer in front of several. */
  bffUrl: string;
  instances: BffProcess[];
  world: WorldAddresses;
  /** The bench's own connection to the database, to check what the run left there. */
  db: ReturnType<MongoClient['db']>;
  /** A bare Fastify route answering `{ ok, at }` at `${bareUrl}/ping`. */
  bareUrl: string;
  /** Process ids to watch: the database server, the world, the BFF instances, the bare route. */
  pids: { database?: number; world: number; bff: number[]; bare: number };
  stop(): Promise<void>;
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        child.stdout!.off('data', onData);
        resolve(buffered.slice(0, end));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)));
  });
}

async function startBareRoute(): Promise<{ child: ChildProcess; url: string }> {
  const script = `
    const app = require(${JSON.stringify(require.resolve('fastify'))})();
    app.get('/ping', async () => ({ ok: true, at: Date.now() }));
    app.listen({ port: 0, host: '127.0.0.1' }).then((url) => console.log(url));
    process.on('disconnect', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return { child, url: (await firstLine(child, 'the bare route')).trim() };
}

async function startWorldProcess(): Promise<{
  child: ChildProcess;
  world: WorldAddresses;
  env: Record<string, string>;
}> {
  const child = fork(join(__dirname, 'world-process.ts'), [], {
    execArgv: ['--import', 'tsx', '--conditions=source'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ready = JSON.parse(await firstLine(child, 'the mock world')) as WorldAddresses & {
    env: Record<string, string>;
  };
  return { child, world: { core: ready.core, wechat: ready.wechat }, env: ready.env };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid: number): number {
  if (!existsSync(`/proc/${pid}/status`)) return 0;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

interface Memory {
  rss: number;
  /** What the last major collection left: the live heap. */
  heapUsed: number;
  /** The heap V8 holds, live or not. */
  heapTotal: number;
  /** Memory outside the heap: buffers, sockets' and BSON's included. */
  external: number;
}

/** A BFF instance's memory as memory-probe.cjs reports it, in MiB. */
export async function liveMemory(instance: BffProcess): Promise<Memory> {
  const seen = instance.output().split('MEMORY ').length;
  instance.child.kill('SIGUSR2');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const parts = instance.output().split('MEMORY ');
    if (parts.length > seen) {
      const m = JSON.parse(parts[parts.length - 1].split('\n')[0]) as Memory;
      return {
        rss: m.rss / 1048576,
        heapUsed: m.heapUsed / 1048576,
        heapTotal: m.heapTotal / 1048576,
        external: m.external / 1048576,
      };
    }
    if (Date.now() > deadline) throw new Error('the BFF process did not report its memory');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** CPU time a process has used (user + system), in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Starts counting the CPU each part of the system uses; the answer, called after `operations`
 * of something, says how many milliseconds of CPU each part spent per operation.
 */
export function cpuPerOperation(system: Deployed): (operations: number) => string {
  const parts: [string, number[]][] = [
    ['BFF', system.pids.bff],
    ['database', system.pids.database === undefined ? [] : [system.pids.database]],
    ['mock world', [system.pids.world]],
  ];
  const total = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const before = parts.map(([, pids]) => total(pids));
  return (operations) =>
    parts
      .filter(([, pids]) => pids.length > 0)
      .map(([name, pids], i) => `${name} ${(((total(pids) - before[i]) * 1000) / operations).toFixed(2)}`)
      .join(', ');
}

/** The database server's process id when it runs on this machine (serverStatus says it). */
async function databasePid(client: MongoClient): Promise<number | undefined> {
  const status = await client.db('admin').command({ serverStatus: 1 });
  const pid = Number(status.pid);
  return Number.isInteger(pid) && pid > 0 && rssMiB(pid) > 0 ? pid : undefined;
}

export async function startDeployed(options: DeployedOptions): Promise<Deployed> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const database = await resolveDatabase({
      dbName: `bench_${options.label}_${Date.now().toString(36)}`,
      nodeOptions: profile('database'),
    });
    stops.push(() => database.stop());
    const client = await MongoClient.connect(database.uri);
    stops.push(async () => {
      await client
        .db()
        .dropDatabase()
        .catch(() => undefined);
      await client.close();
    });
    const world = await startWorldProcess();
    stops.push(() => stopChild(world.child));
    const bare = await startBareRoute();
    stops.push(() => stopChild(bare.child));
    const clock: Record<string, string> = options.now
      ? { ONEWINDOW_NOW: options.now.toISOString(), ONEWINDOW_NOW_AT: new Date().toISOString() }
      : {};
    const env = {
      ...world.env,
      MONGODB_URI: database.uri,
      RATE_LIMIT_PER_MINUTE: '10000000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      ...clock,
      ...options.env,
    };
    // BENCH_PROFILE=<dir>: each BFF process (and the offline database) writes a V8 CPU profile there when it stops.
    const nodeArgs = ['--require', join(__dirname, 'memory-probe.cjs'), ...profile('bff')];
    // As the image runs it: the compiled entry (an incremental build, quick when nothing changed).
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'bff'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    const instances = await Promise.all(
      Array.from({ length: options.bffProcesses ?? 1 }, () =>
        startBffProcess(env, { nodeArgs, compiled: true }),
      ),
    );
    stops.push(async () => {
      await stopBffProcesses(instances);
      // A clean run ends without an error in any instance's log (nothing failed under the load or at shutdown).
      const errors = instances.flatMap((i) => i.errors());
      recordFigure('errors in the BFF logs', errors.length);
      for (const line of errors.slice(0, 5)) console.log(`  ${line.slice(0, 400)}`);
    });
    let bffUrl = instances[0].url;
    if (instances.length > 1) {
      const balancer = await roundRobin(() => alive(instances));
      stops.push(
        () =>
          new Promise<void>(
            (resolve) => (balancer.server.closeAllConnections(), balancer.server.close(() => resolve())),
          ),
      );
      bffUrl = balancer.url;
    }
    const hook = await fetch(`${world.world.core.url}/__admin/webhooks/url`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${bffUrl}/api/v1/hooks/core/case-events` }),
    });
    if (!hook.ok) throw new Error(`setting the core system's webhook → ${hook.status}`);
    return {
      bffUrl,
      instances,
      world: world.world,
      db: client.db(),
      bareUrl: bare.url,
      pids: {
        database: await databasePid(client),
        world: world.child.pid!,
        bare: bare.child.pid!,
        bff: instances.map((i) => i.child.pid!),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** BENCH_PROFILE=<dir>: the flags that make a process write a V8 CPU profile into <dir>/<name> when it stops. */
function profile(name: string): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] : [];
}
