import { join } from 'node:path';
import { startWorld, type World } from '@onewindow/mock';
import { resolveDatabase, type ResolvedDatabase } from '@onewindow/mock/mongo/resolve-database';

export const repoRoot = join(__dirname, '..', '..');

export interface SystemOptions {
  host?: string;
  /** Keep the database journal and OSS objects here across restarts (`pnpm start`); memory when absent. */
  dataDir?: string;
  /** Database name; a unique one per test file keeps suites apart on a shared server. */
  dbName?: string;
  log?: (line: string) => void;
}

export interface RunningSystem {
  world: World;
  database: ResolvedDatabase;
  stop(): Promise<void>;
}

/**
 * Everything on embedded defaults: a database and the mock world (core system, WeChat, OSS).
 * The BFF and the h5 web server join here as they land (issues 4 and 5).
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const database = await resolveDatabase({
      dbName: options.dbName ?? 'onewindow',
      journalPath: options.dataDir ? join(options.dataDir, 'mongo.journal') : undefined,
      log,
    });
    stops.push(() => database.stop());
    const world = await startWorld({ host, ossDataDir: options.dataDir ? join(options.dataDir, 'oss') : undefined });
    stops.push(() => world.stop());
    return { world, database, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
