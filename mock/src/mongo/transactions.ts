import type { Document } from 'bson';
import type { Collection, WriteObserver } from './collection';
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
  readonly startSeq: number;
  state: 'active' | 'committed' | 'aborted' = 'active';

  constructor(
    private readonly store: Store,
    private readonly locks: Map<string, Transaction>,
    readonly txnNumber: number,
  ) {
    this.startSeq = store.seq;
  }

  view(db: string, name: string, create: boolean): Collection | undefined {
    const namespace = `${db}.${name}`;
    const existing = this.views.get(namespace);
    if (existing) return existing;
    const committed = create ? this.store.obtain(db, name).collection : this.store.get(db, name);
    if (!committed) return undefined;
    const view = committed.fork(this);
    this.views.set(namespace, view);
    return view;
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
    this.state = state;
    for (const [lockKey, holder] of this.locks) if (holder === this) this.locks.delete(lockKey);
  }
}

/** Server sessions by lsid, each with its current transaction. */
export class Sessions {
  private readonly transactions = new Map<string, Transaction>();
  private readonly locks = new Map<string, Transaction>();

  constructor(private readonly store: Store) {}

  /** The transaction a command belongs to, or null when it runs outside one (autocommit). */
  transactionFor(command: Document): Transaction | null {
    if (command.autocommit !== false || command.lsid === undefined) return null;
    const sessionKey = sessionKeyOf(command.lsid);
    const txnNumber = Number(command.txnNumber);
    const current = this.transactions.get(sessionKey);
    if (command.startTransaction === true) {
      if (current && current.txnNumber >= txnNumber && current.state === 'active') {
        throw new CommandError(225, 'TransactionTooOld', `txnNumber ${txnNumber} is not newer than the session's ${current.txnNumber}`);
      }
      current?.abort();
      const transaction = new Transaction(this.store, this.locks, txnNumber);
      this.transactions.set(sessionKey, transaction);
      return transaction;
    }
    if (!current || current.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
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
