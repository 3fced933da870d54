import BTree from 'sorted-btree';
import type { Document } from 'bson';
import { CommandError, DuplicateKeyError } from './errors';
import { Index, type IndexSpec } from './index-tree';
import { keyOf } from './values';

export type { IndexSpec } from './index-tree';

/** Called before and after a document changes; used for the journal, write sequencing and transaction locks. */
export interface WriteObserver {
  beforeWrite(collection: Collection, key: string): void;
  afterWrite(
    collection: Collection,
    key: string,
    doc: Document | null,
    previous: Document | undefined,
    replaced: boolean,
  ): void;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/**
 * One collection's documents (by the key of their `_id`) and its indexes, `_id_` first.
 * Stored documents are never mutated: every write replaces the object. Documents and indexes
 * are B+ trees, so a transaction's snapshot (a fork) shares them copy-on-write.
 */
export class Collection {
  readonly docs: BTree<string, Document>;
  readonly indexes: Index[];

  constructor(
    readonly db: string,
    readonly name: string,
    private readonly observer: WriteObserver,
    source?: Collection,
  ) {
    this.docs = source ? source.docs.clone() : new BTree<string, Document>();
    this.indexes = source ? source.indexes.map((i) => i.clone()) : [new Index(ID_INDEX)];
  }

  get namespace(): string {
    return `${this.db}.${this.name}`;
  }

  get specs(): IndexSpec[] {
    return this.indexes.map((i) => i.spec);
  }

  /** A copy that reports its writes to another observer (a transaction's private view). */
  fork(observer: WriteObserver): Collection {
    return new Collection(this.db, this.name, observer, this);
  }

  all(): Document[] {
    return this.docs.valuesArray();
  }

  /**
   * Inserts, replaces (same key) or deletes (`doc === null`) one document, enforcing unique
   * indexes first. `replaced` says a replacement document (not update operators) made it, for change streams.
   */
  put(key: string, doc: Document | null, replaced = false): void {
    this.observer.beforeWrite(this, key);
    // Each index's entries are worked out once per version (a partial index runs its filter then).
    const next = doc ? this.indexes.map((index) => index.keysOf(doc)) : null;
    if (next) {
      this.indexes.forEach((index, i) => {
        const duplicate = index.duplicateOf(key, next[i]);
        if (duplicate) throw this.duplicateKey(index, duplicate);
      });
    }
    const previous = this.docs.get(key);
    this.indexes.forEach((index, i) => {
      const before = previous ? index.keysOf(previous) : null;
      const after = next ? next[i] : null;
      if (sameKeys(before, after)) return;
      index.remove(key, before);
      index.add(key, after);
    });
    if (doc) this.docs.set(key, doc);
    else this.docs.delete(key);
    this.observer.afterWrite(this, key, doc, previous, replaced);
  }

  private duplicateKey(index: Index, values: unknown[]): DuplicateKeyError {
    const keyValue = Object.fromEntries(index.fields.map((f, i) => [f, values[i] ?? null]));
    return new DuplicateKeyError(this.namespace, index.name, index.spec.key, keyValue);
  }

  /** Adds an index; returns false when an identical one exists. Existing duplicates refuse a unique index. */
  addIndex(spec: IndexSpec): boolean {
    const sameName = this.specs.find((i) => i.name === spec.name);
    const sameKey = this.specs.find((i) => keyOf(i.key) === keyOf(spec.key));
    if (sameName || sameKey) {
      const existing = (sameName ?? sameKey)!;
      if (keyOf(existing.key) !== keyOf(spec.key)) {
        throw new CommandError(
          86,
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index but different keys. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
        );
      }
      if (
        existing.name !== spec.name ||
        Boolean(existing.unique) !== Boolean(spec.unique) ||
        existing.expireAfterSeconds !== spec.expireAfterSeconds
      ) {
        throw new CommandError(
          85,
          'IndexOptionsConflict',
          `An equivalent index already exists with a different name and/or options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
        );
      }
      return false;
    }
    const index = new Index(spec);
    for (const [key, doc] of this.docs.entries()) {
      const entries = index.keysOf(doc);
      const duplicate = index.duplicateOf(key, entries);
      if (duplicate) throw this.duplicateKey(index, duplicate);
      index.add(key, entries);
    }
    this.indexes.push(index);
    return true;
  }

  dropIndex(name: string): void {
    const at = this.indexes.findIndex((i) => i.name === name);
    if (name === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
    if (at < 0) throw new CommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
    this.indexes.splice(at, 1);
  }
}

function sameKeys(a: unknown[][] | null, b: unknown[][] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < a[i].length; j += 1) {
      const x = a[i][j];
      const y = b[i][j];
      if (x === y) continue;
      // Same value of another BSON type (1 and 1.0) must still be re-entered: the entry shows the type.
      if (typeof x !== 'object' || x === null || keyOf(x) !== keyOf(y)) return false;
    }
  }
  return true;
}
