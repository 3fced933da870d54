import { Long, ObjectId, type Document } from 'bson';
import type { IndexSpec } from './collection';
import { collectionOf, type AwaitingHandler, type CommandContext, type CommandHandler } from './context';
import { CommandError, badValue } from './errors';
import { keyOf } from './values';

/** The server version the offline server claims; the installed driver needs wire version ≥ 8. */
const VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21;
const SET_NAME = 'offline';
const electionId = new ObjectId('7fffffff0000000000000001');

// The topology of a one-member set that never steps down does not change while the server runs:
// the counter stays 0, and a restart is a new processId.
const topologyVersionOf = (context: CommandContext) => ({ processId: context.processId, counter: Long.ZERO });

const helloReply: CommandHandler = (command, context) => ({
  helloOk: true,
  isWritablePrimary: true,
  ismaster: true,
  secondary: false,
  setName: SET_NAME,
  setVersion: 1,
  hosts: [context.hostPort],
  primary: context.hostPort,
  me: context.hostPort,
  electionId,
  topologyVersion: topologyVersionOf(context),
  lastWrite: { lastWriteDate: new Date(), majorityWriteDate: new Date() },
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: context.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ...(command.saslSupportedMechs ? { saslSupportedMechs: [] } : {}),
  ok: 1,
});

/** The awaitable hello's wait: the client already knows this topology, so nothing is said until maxAwaitTimeMS has passed. */
function awaitableHelloWait(command: Document, context: CommandContext): number | null {
  const known = command.topologyVersion as { processId?: unknown; counter?: unknown } | undefined;
  const wait = Number(command.maxAwaitTimeMS);
  if (!known || !Number.isFinite(wait) || wait < 0) return null;
  const sameProcess = known.processId instanceof ObjectId && known.processId.equals(context.processId);
  return sameProcess && Number(known.counter) === 0 ? wait : null;
}

/**
 * The driver's streaming monitor (as against MongoDB): with the topologyVersion a reply carries,
 * its next hello waits up to maxAwaitTimeMS for a change, and a network error on any connection
 * restarts monitoring at once (`Monitor.reset()`), which without a topologyVersion does nothing.
 */
const hello: AwaitingHandler = (command, context) => {
  const wait = awaitableHelloWait(command, context);
  if (wait === null) return helloReply(command, context);
  return new Promise((resolve) => {
    setTimeout(() => resolve(helloReply(command, context)), wait).unref();
  });
};

const buildInfo: CommandHandler = () => ({
  version: VERSION,
  versionArray: [7, 0, 0, 0],
  gitVersion: 'offline',
  bits: 64,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['offline'],
  ok: 1,
});

function indexSpecOf(raw: Document): IndexSpec {
  const key: unknown = raw.key;
  if (!key || typeof key !== 'object' || Object.keys(key).length === 0)
    throw badValue('index key pattern must be a non-empty object');
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key as Document)
          .map(([k, v]) => `${k}_${v}`)
          .join('_');
  const spec: IndexSpec = { v: 2, key: key as IndexSpec['key'], name };
  if (raw.unique) spec.unique = true;
  if (raw.sparse) spec.sparse = true;
  if (typeof raw.expireAfterSeconds === 'number') spec.expireAfterSeconds = raw.expireAfterSeconds;
  if (raw.partialFilterExpression) spec.partialFilterExpression = raw.partialFilterExpression as Document;
  return spec;
}

const createIndexes: CommandHandler = (command, context) => {
  const name = String(command.createIndexes);
  const transaction = context.transaction;
  if (transaction) {
    if (context.store.get(context.db, name) && !transaction.createdHere(context.db, name)) {
      throw new CommandError(
        263,
        'OperationNotSupportedInTransaction',
        `Cannot create new indexes on existing collection ${context.db}.${name} in a multi-document transaction.`,
      );
    }
    const createdNow = !transaction.createdHere(context.db, name);
    const view = transaction.view(context.db, name, true)!;
    const before = view.indexes.length;
    let added = false;
    for (const raw of (command.indexes as Document[]) ?? [])
      added = transaction.addIndex(context.db, name, indexSpecOf(raw)) || added;
    return {
      createdCollectionAutomatically: createdNow,
      numIndexesBefore: before,
      numIndexesAfter: view.indexes.length,
      ...(added ? {} : { note: 'all indexes already exist' }),
      ok: 1,
    };
  }
  const { collection, created } = context.store.obtain(context.db, name);
  const before = collection.indexes.length;
  let addedAny = false;
  for (const raw of (command.indexes as Document[]) ?? [])
    addedAny = context.store.addIndex(collection, indexSpecOf(raw)) || addedAny;
  return {
    createdCollectionAutomatically: created,
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
    ...(addedAny ? {} : { note: 'all indexes already exist' }),
    ok: 1,
  };
};

const listIndexes: CommandHandler = (command, context) => {
  const name = String(command.listIndexes);
  const collection = context.store.get(context.db, name);
  if (!collection)
    throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${context.db}.${name}`);
  return context.cursors.first(
    `${context.db}.${name}`,
    collection.specs.map((i) => ({ ...i })),
    (command.cursor as Document | undefined)?.batchSize,
  );
};

const dropIndexes: CommandHandler = (command, context) => {
  const name = String(command.dropIndexes);
  const collection = context.store.get(context.db, name);
  if (!collection) throw new CommandError(26, 'NamespaceNotFound', `ns not found ${context.db}.${name}`);
  const before = collection.indexes.length;
  const target: unknown = command.index;
  const names =
    target === '*'
      ? collection.specs.filter((i) => i.name !== '_id_').map((i) => i.name)
      : Array.isArray(target)
        ? (target as string[])
        : typeof target === 'string'
          ? [target]
          : collection.specs.filter((i) => keyOf(i.key) === keyOf(target)).map((i) => i.name);
  if (names.length === 0 && target !== '*')
    throw new CommandError(27, 'IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
  for (const n of names) context.store.dropIndex(collection, n);
  return { nIndexesWas: before, ok: 1 };
};

const listCollections: CommandHandler = (command, context) => {
  const filter = (command.filter as Document | undefined) ?? {};
  const entries = context.store
    .collections(context.db)
    .filter(
      (c) => filter.name === undefined || (typeof filter.name === 'string' ? c.name === filter.name : true),
    )
    .map((c) =>
      command.nameOnly
        ? { name: c.name, type: 'collection' }
        : {
            name: c.name,
            type: 'collection',
            options: {},
            info: { readOnly: false },
            idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
          },
    );
  return context.cursors.first(
    `${context.db}.$cmd.listCollections`,
    entries,
    (command.cursor as Document | undefined)?.batchSize,
  );
};

const create: CommandHandler = (command, context) => {
  const name = String(command.create);
  if (context.transaction) {
    if (context.transaction.view(context.db, name, false))
      throw new CommandError(48, 'NamespaceExists', `Collection ${context.db}.${name} already exists.`);
    context.transaction.view(context.db, name, true);
    return { ok: 1 };
  }
  const { created } = context.store.obtain(context.db, name);
  if (!created)
    throw new CommandError(48, 'NamespaceExists', `Collection ${context.db}.${name} already exists.`);
  return { ok: 1 };
};

// Since MongoDB 7.0 dropping a missing collection succeeds.
const drop: CommandHandler = (command, context) => {
  const dropped = context.store.drop(context.db, String(command.drop));
  return { ns: `${context.db}.${String(command.drop)}`, nIndexesWas: dropped?.indexes.length ?? 0, ok: 1 };
};

const dropDatabase: CommandHandler = (_command, context) => {
  context.store.dropDatabase(context.db);
  return { dropped: context.db, ok: 1 };
};

const listDatabases: CommandHandler = (command, context) => {
  const databases = context.store
    .databaseNames()
    .map((name) => ({ name, sizeOnDisk: 0, empty: context.store.collections(name).length === 0 }));
  return command.nameOnly
    ? { databases: databases.map(({ name }) => ({ name })), ok: 1 }
    : { databases, totalSize: 0, ok: 1 };
};

const endSessions: CommandHandler = (command, context) => {
  context.sessions.end((command.endSessions as Document[]) ?? []);
  return { ok: 1 };
};

const commitTransaction: CommandHandler = (_command, context) => {
  if (!context.transaction) throw badValue('commitTransaction must be run within a transaction');
  context.transaction.commit();
  return { ok: 1 };
};

const abortTransaction: CommandHandler = (_command, context) => {
  if (!context.transaction) throw badValue('abortTransaction must be run within a transaction');
  if (context.transaction.state === 'committed') {
    throw new CommandError(256, 'TransactionCommitted', 'Transaction has been committed.');
  }
  context.transaction.abort();
  return { ok: 1 };
};

const ok: CommandHandler = () => ({ ok: 1 });

/** Only transactionLifetimeLimitSeconds can be set; anything else is refused rather than ignored. */
const setParameter: CommandHandler = (command, context) => {
  const names = Object.keys(command).filter(
    (k) => k !== 'setParameter' && !k.startsWith('$') && k !== 'lsid',
  );
  for (const name of names) {
    if (name !== 'transactionLifetimeLimitSeconds')
      throw new CommandError(
        72,
        'InvalidOptions',
        `attempted to set unrecognized parameter [${name}], use help:true to see options `,
      );
    const seconds = Number(command[name]);
    if (!(seconds >= 1))
      throw new CommandError(
        2,
        'BadValue',
        `Invalid value for parameter transactionLifetimeLimitSeconds: ${String(command[name])} is not greater than or equal to 1`,
      );
  }
  const was = context.sessions.lifetimeLimitMs / 1000;
  if (names.length > 0)
    context.sessions.lifetimeLimitMs = Number(command.transactionLifetimeLimitSeconds) * 1000;
  return { was, ok: 1 };
};

export const adminCommands: Record<string, AwaitingHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  buildInfo,
  buildinfo: buildInfo,
  ping: ok,
  getParameter: (command, context) => ({
    ...(command.featureCompatibilityVersion ? { featureCompatibilityVersion: { version: '7.0' } } : {}),
    ...(command.transactionLifetimeLimitSeconds
      ? { transactionLifetimeLimitSeconds: context.sessions.lifetimeLimitMs / 1000 }
      : {}),
    ok: 1,
  }),
  setParameter,
  serverStatus: () => ({
    host: 'offline',
    version: VERSION,
    process: 'offline-mongo',
    pid: process.pid,
    uptime: process.uptime(),
    localTime: new Date(),
    mem: { bits: 64, resident: Math.round(process.memoryUsage().rss / 1048576), virtual: 0 },
    extra_info: {
      note: 'fields vary by platform',
      user_time_us: process.cpuUsage().user,
      system_time_us: process.cpuUsage().system,
    },
    ok: 1,
  }),
  hostInfo: () => ({ system: { currentTime: new Date() }, ok: 1 }),
  whatsmyuri: (_c, context) => ({ you: context.hostPort, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  listCollections,
  create,
  drop,
  dropDatabase,
  listDatabases,
  endSessions,
  commitTransaction,
  abortTransaction,
  collMod: (command, context) => {
    if (!collectionOf(context, String(command.collMod), false))
      throw new CommandError(26, 'NamespaceNotFound', 'ns does not exist');
    return { ok: 1 };
  },
  killAllSessions: ok,
  refreshSessions: ok,
  logout: ok,
  getCmdLineOpts: () => ({ argv: ['offline-mongo'], parsed: {}, ok: 1 }),
};
