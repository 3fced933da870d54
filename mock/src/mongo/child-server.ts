import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MongoServerHandle } from './server';

export interface ChildServerOptions {
  journalPath?: string;
  log?: (line: string) => void;
  /** Extra node options for the child, e.g. `--cpu-prof` to profile the server under a bench. */
  nodeOptions?: string[];
  /** A file the child deletes when it exits (the shared server's address card). */
  removeOnExit?: string;
}

/**
 * Starts the offline server as a child process, so the database has a core (and an event loop)
 * of its own. From TypeScript sources the child runs through tsx's loader with the `source`
 * condition, as `pnpm start` does, so nothing needs building. It exits when its IPC channel
 * closes: a parent that dies without stopping it does not leave it behind.
 */
export async function spawnMongoServer(
  options: ChildServerOptions = {},
): Promise<MongoServerHandle & { pid: number }> {
  const fromSource = extname(__filename) === '.ts';
  const main = join(__dirname, `main${extname(__filename)}`);
  const loader = fromSource
    ? ['--conditions=source', '--import', pathToFileURL(require.resolve('tsx')).href]
    : [];
  // Every document lives in the server's heap, so the heap's growth is held to 20 % over what the
  // last full collection left: 100,000 tickets in about 380 MB of RSS (540 MB with V8's defaults).
  // V8's size-over-speed mode (`--optimize-for-size`, used before) held it near 320 MB, but with
  // tiny young spaces and a memory-reducing full collection every 2–3 s under load: 4,170
  // scavenges and pauses up to 166 ms in one opening burst, against 311 scavenges and pauses of at
  // most 48 ms this way — each such pause is a stall every take waiting on the database shares.
  // Single-threaded GC: V8's parallel scavenger makes the server wait for helper threads, which on
  // a machine whose cores are all busy (the BFF, the load, other processes) are not running — each
  // young-generation collection took 2–7 ms instead of about 0.5 ms once the heap held 100,000 documents.
  const child = spawn(
    process.execPath,
    ['--heap-growing-percent=20', '--single-threaded-gc', ...(options.nodeOptions ?? []), ...loader, main],
    {
      env: {
        ...process.env,
        MONGO_PORT: '0',
        MONGO_JOURNAL: options.journalPath ?? '',
        MONGO_WITH_PARENT: '1',
        MONGO_REMOVE_ON_EXIT: options.removeOnExit ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let printed = '';
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`offline mongo exited before listening (${signal ?? code})`)),
    );
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      printed += text;
      const line = printed.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line) resolve(line.trim());
    });
  });
  child.removeAllListeners('error');
  // The parent may exit without calling stop(): nothing here keeps its event loop alive.
  child.unref();
  child.channel?.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return {
    url,
    pid: child.pid!,
    port: Number(/:(\d+)\//.exec(url)?.[1]),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.ref();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface AddressCard {
  url: string;
  pid: number;
  parentPid: number;
  /** When the parent process started (ms), so a card left by an earlier process with a reused pid is not trusted. */
  parentStarted: number;
}

const processStarted = () => Date.now() - process.uptime() * 1000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One in-memory server per process, shared by every caller in it (each uses its own database
 * name): a jest worker runs many test files, each in a fresh module registry, so the address is
 * kept in a card file named after this process instead of a module variable. The server ends
 * with the process (its IPC channel closes) and removes the card.
 */
export async function sharedMongoServer(log?: (line: string) => void): Promise<string> {
  const cardPath = join(tmpdir(), `onewindow-offline-mongo-${process.pid}.json`);
  if (existsSync(cardPath)) {
    try {
      const card = JSON.parse(readFileSync(cardPath, 'utf8')) as AddressCard;
      if (
        card.parentPid === process.pid &&
        Math.abs(card.parentStarted - processStarted()) < 2000 &&
        isAlive(card.pid)
      )
        return card.url;
    } catch {
      // A card torn by a crash: start a new server below.
    }
  }
  const server = await spawnMongoServer({ log, removeOnExit: cardPath });
  const card: AddressCard = {
    url: server.url,
    pid: server.pid,
    parentPid: process.pid,
    parentStarted: processStarted(),
  };
  writeFileSync(cardPath, JSON.stringify(card));
  return server.url;
}
