import type { Document } from 'bson';
import { Collection, type IndexSpec, type WriteObserver } from './collection';
import { CommandError, noSuchTransaction, writeConflict } from './errors';
import type { Store } from './store';

/**
 * A multi-document transaction with snapshot isolation. Each collection it touches is forked
 * from the committed state on first use; its writes stay in the fork until commit.
 * Conflicts follow the real server: writing a document that another open transaction has
 * written, or that was committed after this transaction started, fails at once with
 * WriteConflict (TransientTransactionError), so `withTransaction` retries. A write outside any
 * transaction is not blocked (the real server would wait for the lock); the transaction then
 * fails at commit with the same retryable error instead.
 */
export class Transaction implements WriteObserver {
  private readonly views = new Map<string, Collection>();
  private readonly written = new Map<string, Set<string>>();
  /** Collections this transaction created, with the indexes it built on them: nobody else sees them before commit. */
  private readonly created = new Map<string, IndexSpec[]>();
  readonly startSeq: number;
  readonly startedAt = Date.now();
  state: 'active' | 'committed' | 'aborted' = 'active';

  constructor(
    private readonly store: Store,
    private readonly locks: Map<string, Transaction>,
    readonly txnNumber: number,
  ) {
    this.startSeq = store.seq;
    store.transactionsOpened();
  }

  view(db: string, name: string, create: boolean): Collection | undefined {
    const namespace = `${db}.${name}`;
    const existing = this.views.get(namespace);
    if (existing) return existing;
    const committed = this.store.get(db, name);
    if (!committed && !create) return undefined;
    const view = committed ? committed.fork(this) : new Collection(db, name, this);
    if (!committed) this.created.set(namespace, []);
    this.views.set(namespace, view);
    return view;
  }

  /** Whether the collection exists only inside this transaction so far. */
  createdHere(db: string, name: string): boolean {
    return this.created.has(`${db}.${name}`);
  }

  /** MongoDB builds indexes in a transaction only on a collection the transaction created. */
  addIndex(db: string, name: string, spec: IndexSpec): boolean {
    const specs = this.created.get(`${db}.${name}`);
    if (!specs)
      throw new CommandError(
        263,
        'OperationNotSupportedInTransaction',
        `Cannot create new indexes on existing collection ${db}.${name} in a multi-document transaction.`,
      );
    const added = this.views.get(`${db}.${name}`)!.addIndex(spec);
    if (added) specs.push(spec);
    return added;
  }

  beforeWrite(collection: Collection, key: string): void {
    const lockKey = `${collection.namespace}\u0000${key}`;
    const holder = this.locks.get(lockKey);
    if ((holder && holder !== this) || this.store.lastWriteOf(collection.namespace, key) > this.startSeq) {
      throw writeConflict();
    }
    this.locks.set(lockKey, this);
  }

  afterWrite(collection: Collection, key: string): void {
    let keys = this.written.get(collection.namespace);
    if (!keys) this.written.set(collection.namespace, (keys = new Set()));
    keys.add(key);
  }

  commit(): void {
    if (this.state === 'committed') return;
    if (this.state === 'aborted') throw noSuchTransaction(this.txnNumber);
    for (const [namespace, keys] of this.written) {
      for (const key of keys) if (this.store.lastWriteOf(namespace, key) > this.startSeq) this.fail();
    }
    // Apply all or nothing: a unique-index clash with a write committed meanwhile undoes what was applied.
    for (const namespace of this.created.keys()) {
      const view = this.views.get(namespace)!;
      if (this.store.get(view.db, view.name)) this.fail();
    }
    for (const [namespace, specs] of this.created) {
      const view = this.views.get(namespace)!;
      const { collection } = this.store.obtain(view.db, view.name);
      for (const spec of specs) this.store.addIndex(collection, spec);
    }
    const undo: [Collection, string, Document | null][] = [];
    try {
      for (const [namespace, keys] of this.written) {
        const view = this.views.get(namespace)!;
        const committed = this.store.obtain(view.db, view.name).collection;
        for (const key of keys) {
          const before = committed.docs.get(key) ?? null;
          committed.put(key, view.docs.get(key) ?? null);
          undo.push([committed, key, before]);
        }
      }
    } catch (error) {
      for (const [collection, key, before] of undo.reverse()) collection.put(key, before);
      if (error instanceof CommandError && error.code === 11000) this.fail();
      throw error;
    }
    this.finish('committed');
  }

  abort(): void {
    if (this.state === 'active') this.finish('aborted');
  }

  private fail(): never {
    this.finish('aborted');
    throw writeConflict();
  }

  private finish(state: 'committed' | 'aborted'): void {
    if (this.state === 'active') this.store.transactionsClosed();
    this.state = state;
    for (const [lockKey, holder] of this.locks) if (holder === this) this.locks.delete(lockKey);
  }
}

/** Server sessions by lsid, each with its current transaction. */
export class Sessions {
  private readonly transactions = new Map<string, Transaction>();
  private readonly locks = new Map<string, Transaction>();

  /** transactionLifetimeLimitSeconds: an open transaction older than this is aborted and lets go of what it holds. */
  lifetimeLimitMs = 60_000;

  constructor(private readonly store: Store) {}

  /** Aborts the transactions older than the lifetime limit, as the server's periodic job does. */
  abortExpired(now: number): void {
    for (const transaction of this.transactions.values()) {
      if (transaction.state === 'active' && now - transaction.startedAt > this.lifetimeLimitMs)
        transaction.abort();
    }
  }

  /** The transaction a command belongs to, or null when it runs outside one (autocommit). */
  transactionFor(command: Document): Transaction | null {
    if (command.autocommit !== false || command.lsid === undefined) return null;
    const sessionKey = sessionKeyOf(command.lsid as Document);
    const txnNumber = Number(command.txnNumber);
    const current = this.transactions.get(sessionKey);
    if (command.startTransaction === true) {
      if (current && current.txnNumber >= txnNumber && current.state === 'active') {
        throw new CommandError(
          225,
          'TransactionTooOld',
          `txnNumber ${txnNumber} is not newer than the session's ${current.txnNumber}`,
        );
      }
      current?.abort();
      const transaction = new Transaction(this.store, this.locks, txnNumber);
      this.transactions.set(sessionKey, transaction);
      return transaction;
    }
    if (!current || current.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
    // After an abort (a write error, a timeout) every later statement is refused, as is commit.
    if (current.state === 'aborted') throw noSuchTransaction(txnNumber);
    return current;
  }

  end(lsids: Document[]): void {
    for (const lsid of lsids) {
      const key = sessionKeyOf(lsid);
      this.transactions.get(key)?.abort();
      this.transactions.delete(key);
    }
  }
}

function sessionKeyOf(lsid: Document): string {
  const id = lsid.id as { buffer?: Uint8Array } | undefined;
  return id?.buffer ? Buffer.from(id.buffer).toString('hex') : JSON.stringify(lsid);
}
