import { Timestamp, type Document } from 'bson';
import { Collection, type IndexSpec, type WriteObserver } from './collection';
import { ChangeLog } from './change-streams';
import { Journal, type JournalEntry } from './journal';
import { Bound, MAX, MIN } from './index-tree';
import { keyOf } from './values';

/** All databases and their committed collections, with the journal and the write sequence. */
export class Store implements WriteObserver {
  private readonly databases = new Map<string, Map<string, Collection>>();
  /** Increases with every committed document write; transactions remember where they started. */
  seq = 0;
  /**
   * namespace → document key → seq of its last committed write (for transaction conflict checks),
   * kept only while a transaction is active: a write made while none is has a seq no later than
   * the start of any transaction that begins after it, so it can never conflict. Without
   * transactions the map (one entry per document ever written) costs memory and a set per write.
   */
  private readonly lastWrite = new Map<string, Map<string, number>>();
  private activeTransactions = 0;
  /** The cluster time of the last committed change: replies carry it as operationTime for causal consistency. */
  operationTime = new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 });
  /** Recent committed changes, for change streams. */
  readonly changes = new ChangeLog();
  private pending: JournalEntry[] = [];
  private journal: Journal | null = null;

  openJournal(path: string): void {
    for (const entry of Journal.read(path)) this.replay(entry);
    this.pending = [];
    this.journal = new Journal(path);
    this.journal.compact(this.snapshot());
  }

  /** Whether changes wait for flush(): replies must wait with them (durable mode only). */
  get unflushed(): boolean {
    return this.pending.length > 0;
  }

  /** Hands the journaled changes to the OS and fsyncs them; called before the replies of the commands that made them are sent. */
  flush(): void {
    if (this.journal) this.journal.append(this.pending);
    this.pending = [];
  }

  close(): void {
    this.flush();
    this.journal?.close();
    this.journal = null;
  }

  beforeWrite(): void {}

  /** Advances the cluster time: seconds, then an increment within the second. */
  private tick(): void {
    const t = Math.floor(Date.now() / 1000);
    const last = this.operationTime;
    this.operationTime =
      t > last.high ? new Timestamp({ t, i: 1 }) : new Timestamp({ t: last.high, i: last.low + 1 });
  }

  afterWrite(
    collection: Collection,
    key: string,
    doc: Document | null,
    previous: Document | undefined,
    replaced: boolean,
  ): void {
    this.seq += 1;
    this.tick();
    this.changes.record({
      db: collection.db,
      coll: collection.name,
      key,
      doc,
      previous,
      replaced,
      clusterTime: this.operationTime,
    });
    if (this.activeTransactions > 0) {
      let writes = this.lastWrite.get(collection.namespace);
      if (!writes) this.lastWrite.set(collection.namespace, (writes = new Map<string, number>()));
      writes.set(key, this.seq);
    }
    if (this.journal) {
      this.pending.push(
        doc
          ? { t: 'put', db: collection.db, c: collection.name, d: doc }
          : { t: 'del', db: collection.db, c: collection.name, key },
      );
    }
  }

  transactionsOpened(): void {
    this.activeTransactions += 1;
  }

  transactionsClosed(): void {
    this.activeTransactions -= 1;
    if (this.activeTransactions === 0) this.lastWrite.clear();
  }

  lastWriteOf(namespace: string, key: string): number {
    return this.lastWrite.get(namespace)?.get(key) ?? 0;
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  get(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The committed collection, created (as the real server does implicitly on first write) when missing. */
  obtain(db: string, name: string): { collection: Collection; created: boolean } {
    let collections = this.databases.get(db);
    if (!collections) this.databases.set(db, (collections = new Map<string, Collection>()));
    const existing = collections.get(name);
    if (existing) return { collection: existing, created: false };
    const collection = new Collection(db, name, this);
    collections.set(name, collection);
    this.record({ t: 'create', db, c: name });
    return { collection, created: true };
  }

  addIndex(collection: Collection, spec: IndexSpec): boolean {
    const added = collection.addIndex(spec);
    if (added)
      this.record({ t: 'index', db: collection.db, c: collection.name, spec: spec as unknown as Document });
    return added;
  }

  dropIndex(collection: Collection, name: string): void {
    collection.dropIndex(name);
    this.record({ t: 'dropIndex', db: collection.db, c: collection.name, name });
  }

  drop(db: string, name: string): Collection | undefined {
    const collection = this.databases.get(db)?.get(name);
    if (!collection) return undefined;
    this.databases.get(db)!.delete(name);
    this.lastWrite.delete(collection.namespace);
    this.record({ t: 'drop', db, c: name });
    this.changes.record({ db, coll: name, drop: true, clusterTime: this.operationTime });
    return collection;
  }

  dropDatabase(db: string): void {
    for (const c of this.collections(db)) {
      this.lastWrite.delete(c.namespace);
      this.changes.record({ db, coll: c.name, drop: true, clusterTime: this.operationTime });
    }
    this.databases.delete(db);
    this.record({ t: 'dropDatabase', db });
  }

  private record(entry: JournalEntry): void {
    this.tick();
    if (this.journal) this.pending.push(entry);
  }

  /** Deletes documents whose TTL index says they have expired, like the server's TTL monitor. */
  sweepExpired(now: Date): void {
    for (const collections of this.databases.values()) {
      for (const collection of collections.values()) {
        for (const index of collection.indexes) {
          if (index.spec.expireAfterSeconds === undefined || !index.tree) continue;
          // A document expires by the earliest date it holds in the field: its first Date entry in the index.
          const limit = new Date(now.getTime() - index.spec.expireAfterSeconds * 1000);
          const expired = new Set<string>();
          const dates = { start: [new Bound(10, -1), MIN], end: [limit, MAX] };
          for (const key of index.scan([dates], false)) expired.add(key[key.length - 1] as string);
          for (const key of expired) collection.put(key, null);
        }
      }
    }
    this.flush();
  }

  private replay(entry: JournalEntry): void {
    switch (entry.t) {
      case 'create':
        this.obtain(entry.db, entry.c);
        break;
      case 'put':
        this.obtain(entry.db, entry.c).collection.put(keyOf(entry.d._id), entry.d);
        break;
      case 'del':
        this.obtain(entry.db, entry.c).collection.put(entry.key, null);
        break;
      case 'index':
        this.obtain(entry.db, entry.c).collection.addIndex(entry.spec as unknown as IndexSpec);
        break;
      case 'dropIndex':
        this.get(entry.db, entry.c)?.dropIndex(entry.name);
        break;
      case 'drop':
        this.drop(entry.db, entry.c);
        break;
      case 'dropDatabase':
        this.dropDatabase(entry.db);
        break;
    }
  }

  private snapshot(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const [db, collections] of this.databases) {
      for (const [c, collection] of collections) {
        entries.push({ t: 'create', db, c });
        for (const spec of collection.specs.slice(1))
          entries.push({ t: 'index', db, c, spec: spec as unknown as Document });
        for (const d of collection.docs.values()) entries.push({ t: 'put', db, c, d });
      }
    }
    return entries;
  }
}
