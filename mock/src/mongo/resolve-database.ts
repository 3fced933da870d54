import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sharedMongoServer, spawnMongoServer } from './child-server';

export interface ResolvedDatabase {
  /** Connection string including the database name. */
  uri: string;
  kind: 'uri' | 'mongod' | 'offline';
  stop(): Promise<void>;
}

export interface ResolveOptions {
  dbName?: string;
  /** Durable mode for the offline server (ignored by the other kinds, which are durable already). */
  journalPath?: string;
  log?: (line: string) => void;
  /**
   * For test suites: the offline server is one process shared by every caller in this process
   * (each with its own database name), left running until this process ends; `stop` is a no-op.
   */
  shared?: boolean;
  /** Extra Node flags for an offline server of its own (the bench's `--cpu-prof`). */
  nodeOptions?: string[];
}

/** Puts the database name into a connection string's path, keeping its options. */
export function withDatabase(uri: string, dbName: string): string {
  // Not `new URL`: seed lists (`host1:1,host2:2`) are not valid URL hosts.
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// connection string');
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

/** For logs: a connection string without its credentials. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

function localMongod(): string | null {
  const configured = process.env.MONGOD_BINARY;
  if (configured) {
    if (!existsSync(configured))
      throw new Error(`MONGOD_BINARY points at ${configured}, which does not exist`);
    return configured;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v mongod'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The database for development and tests, in this order: `MONGODB_URI`; a local `mongod`
 * started as a single-node replica set (never downloaded); the offline server in this folder.
 */
export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const dbName = options.dbName ?? 'onewindow';
  const log = options.log ?? (() => undefined);

  const configured = process.env.MONGODB_URI;
  if (configured) {
    const uri = withDatabase(configured, dbName);
    log(`database: MONGODB_URI ${redactUri(uri)}`);
    return { uri, kind: 'uri', stop: async () => undefined };
  }

  const mongod = localMongod();
  if (mongod) {
    // Loaded only on this path: the package is a development tool, absent from production.
    const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
    const replSet = await MongoMemoryReplSet.create({
      replSet: { count: 1, storageEngine: 'wiredTiger' },
      binary: { systemBinary: mongod, checkMD5: false },
    });
    const uri = withDatabase(replSet.getUri(), dbName);
    log(`database: local mongod (${mongod}) as a single-node replica set at ${uri}`);
    return { uri, kind: 'mongod', stop: async () => void (await replSet.stop()) };
  }

  if (options.shared && !options.journalPath) {
    const uri = withDatabase(await sharedMongoServer(log), dbName);
    log(`database: offline MongoDB-compatible server (own process, shared by this process) at ${uri}`);
    return { uri, kind: 'offline', stop: async () => undefined };
  }
  const server = await spawnMongoServer({
    journalPath: options.journalPath,
    log,
    nodeOptions: options.nodeOptions,
  });
  const uri = withDatabase(server.url, dbName);
  log(
    `database: offline MongoDB-compatible server (own process) at ${uri}${options.journalPath ? ` (journal ${options.journalPath})` : ' (in memory)'}`,
  );
  return { uri, kind: 'offline', stop: () => server.stop() };
}
