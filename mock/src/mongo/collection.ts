import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError, DuplicateKeyError } from './errors';
import { getPath, keyOf } from './values';

export interface IndexSpec {
  v: number;
  key: Record<string, 1 | -1 | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

/** Called before and after a document changes; used for the journal, write sequencing and transaction locks. */
export interface WriteObserver {
  beforeWrite(collection: Collection, key: string): void;
  afterWrite(collection: Collection, key: string, doc: Document | null): void;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/**
 * One collection's documents and indexes. Stored documents are never mutated: every write
 * replaces the object, so a transaction's snapshot is a cheap copy of the maps.
 */
export class Collection {
  readonly docs: Map<string, Document>;
  readonly indexes: IndexSpec[];
  /** index name → index key → document key, for unique indexes only. */
  private readonly uniqueEntries: Map<string, Map<string, string>>;
  private readonly partialFilters: Map<string, Query>;
  /** Unique indexes some document holds an array in: equality on an element cannot use their map. */
  private readonly multikey: Set<string>;
  /**
   * index name → value of the index's first field → document keys, for every index that holds
   * every document (not partial) on a top-level field: equality on that field reads only those
   * documents. Array values are entered under each element too, as MongoDB's multikey indexes do.
   */
  private readonly prefixEntries: Map<string, Map<string, Set<string>>>;

  constructor(
    readonly db: string,
    readonly name: string,
    private readonly observer: WriteObserver,
    source?: Collection,
  ) {
    this.docs = new Map(source?.docs);
    this.indexes = source ? [...source.indexes] : [ID_INDEX];
    this.uniqueEntries = new Map([...(source?.uniqueEntries ?? [])].map(([n, m]) => [n, new Map(m)]));
    this.partialFilters = new Map(source?.partialFilters);
    this.multikey = new Set(source?.multikey);
    this.prefixEntries = new Map([...(source?.prefixEntries ?? [])].map(([n, m]) => [n, new Map([...m].map(([v, keys]) => [v, new Set(keys)]))]));
  }

  get namespace(): string {
    return `${this.db}.${this.name}`;
  }

  /** A copy that reports its writes to another observer (a transaction's private view). */
  fork(observer: WriteObserver): Collection {
    return new Collection(this.db, this.name, observer, this);
  }

  all(): Document[] {
    return [...this.docs.values()];
  }

  /**
   * The documents a filter can match: at most one when it pins every field of a unique index
   * (or `_id`) to a plain value, else all. Point lookups by a unique key stay O(1) as data grows.
   */
  candidates(filter: Document): Document[] {
    for (const index of this.indexes) {
      if (index.sparse || index.partialFilterExpression || this.multikey.has(index.name)) continue;
      const entries = index.name === ID_INDEX.name ? null : this.uniqueEntries.get(index.name);
      if (index.name !== ID_INDEX.name && !entries) continue;
      const values = Object.keys(index.key).map((field) => filter[field]);
      if (!values.every(isPlainEqualityValue)) continue;
      const key = entries ? entries.get(values.map(keyOf).join('|')) : keyOf(values[0]);
      const doc = key === undefined ? undefined : this.docs.get(key);
      return doc ? [doc] : [];
    }
    let narrowest: Set<string> | null = null;
    for (const index of this.indexes) {
      const entries = this.prefixEntries.get(index.name);
      const value = entries ? filter[Object.keys(index.key)[0]] : undefined;
      if (!entries || !isPlainEqualityValue(value)) continue;
      const keys = entries.get(keyOf(value)) ?? new Set<string>();
      if (!narrowest || keys.size < narrowest.size) narrowest = keys;
    }
    if (narrowest) return [...narrowest].map((key) => this.docs.get(key)!);
    return this.all();
  }

  private prefixIndexable(spec: IndexSpec): boolean {
    const first = Object.keys(spec.key)[0];
    return spec.name !== ID_INDEX.name && !spec.partialFilterExpression && !first.includes('.') && spec.key[first] !== 'text';
  }

  /** The entries a document has in a prefix map: its field's value, and each element of an array value. */
  private prefixValues(spec: IndexSpec, doc: Document): string[] {
    const value = doc[Object.keys(spec.key)[0]];
    if (value === undefined) return [keyOf(null)];
    return Array.isArray(value) ? [keyOf(value), ...value.map(keyOf)] : [keyOf(value)];
  }

  private prefixIndexOne(spec: IndexSpec, entries: Map<string, Set<string>>, key: string, doc: Document): void {
    for (const value of this.prefixValues(spec, doc)) {
      let keys = entries.get(value);
      if (!keys) entries.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private prefixIndex(key: string, doc: Document, add: boolean): void {
    for (const index of this.indexes) {
      const entries = this.prefixEntries.get(index.name);
      if (!entries) continue;
      if (add) {
        this.prefixIndexOne(index, entries, key, doc);
        continue;
      }
      for (const value of this.prefixValues(index, doc)) {
        const keys = entries.get(value);
        keys?.delete(key);
        if (keys?.size === 0) entries.delete(value);
      }
    }
  }

  /** Inserts, replaces (same key) or deletes (`doc === null`) one document, enforcing unique indexes first. */
  put(key: string, doc: Document | null): void {
    this.observer.beforeWrite(this, key);
    const planned: [Map<string, string>, string][] = [];
    if (doc) {
      for (const index of this.indexes) {
        const entries = this.uniqueEntries.get(index.name);
        if (!entries) continue;
        const indexKey = this.indexKey(index, doc);
        if (indexKey === null) continue;
        const holder = entries.get(indexKey);
        if (holder !== undefined && holder !== key) {
          throw new DuplicateKeyError(this.namespace, index.name, index.key, this.keyValue(index, doc));
        }
        if (Object.keys(index.key).some((f) => Array.isArray(getPath(doc, f)))) this.multikey.add(index.name);
        planned.push([entries, indexKey]);
      }
    }
    const previous = this.docs.get(key);
    if (previous) this.unindex(key, previous);
    if (previous) this.prefixIndex(key, previous, false);
    if (doc) {
      this.docs.set(key, doc);
      this.prefixIndex(key, doc, true);
      for (const [entries, indexKey] of planned) entries.set(indexKey, key);
    } else {
      this.docs.delete(key);
    }
    this.observer.afterWrite(this, key, doc);
  }

  private unindex(key: string, doc: Document): void {
    for (const index of this.indexes) {
      const entries = this.uniqueEntries.get(index.name);
      if (!entries) continue;
      const indexKey = this.indexKey(index, doc);
      if (indexKey !== null && entries.get(indexKey) === key) entries.delete(indexKey);
    }
  }

  /** The key a document has in an index, or null when the index leaves it out (sparse, partial). */
  private indexKey(index: IndexSpec, doc: Document): string | null {
    const fields = Object.keys(index.key);
    const values = fields.map((f) => getPath(doc, f));
    if (index.sparse && values.every((v) => v === undefined)) return null;
    const partial = this.partialFilters.get(index.name);
    if (partial && !partial.test(doc)) return null;
    return values.map(keyOf).join('|');
  }

  private keyValue(index: IndexSpec, doc: Document): Document {
    return Object.fromEntries(Object.keys(index.key).map((f) => [f, getPath(doc, f) ?? null]));
  }

  /** Adds an index; returns false when an identical one exists. Existing duplicates refuse a unique index. */
  addIndex(spec: IndexSpec): boolean {
    const sameName = this.indexes.find((i) => i.name === spec.name);
    const sameKey = this.indexes.find((i) => keyOf(i.key) === keyOf(spec.key));
    if (sameName || sameKey) {
      const existing = (sameName ?? sameKey)!;
      if (keyOf(existing.key) !== keyOf(spec.key)) {
        throw new CommandError(86, 'IndexKeySpecsConflict', `An existing index has the same name as the requested index but different keys. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
      }
      if (existing.name !== spec.name || Boolean(existing.unique) !== Boolean(spec.unique) || existing.expireAfterSeconds !== spec.expireAfterSeconds) {
        throw new CommandError(85, 'IndexOptionsConflict', `An equivalent index already exists with a different name and/or options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
      }
      return false;
    }
    if (spec.partialFilterExpression) this.partialFilters.set(spec.name, new Query(spec.partialFilterExpression));
    if (spec.unique) {
      const entries = new Map<string, string>();
      for (const [key, doc] of this.docs) {
        const indexKey = this.indexKey(spec, doc);
        if (indexKey === null) continue;
        if (entries.has(indexKey)) {
          this.partialFilters.delete(spec.name);
          throw new DuplicateKeyError(this.namespace, spec.name, spec.key, this.keyValue(spec, doc));
        }
        entries.set(indexKey, key);
        if (Object.keys(spec.key).some((f) => Array.isArray(getPath(doc, f)))) this.multikey.add(spec.name);
      }
      this.uniqueEntries.set(spec.name, entries);
    }
    if (this.prefixIndexable(spec)) {
      const entries = new Map<string, Set<string>>();
      this.prefixEntries.set(spec.name, entries);
      this.indexes.push(spec);
      for (const [key, doc] of this.docs) this.prefixIndexOne(spec, entries, key, doc);
      return true;
    }
    this.indexes.push(spec);
    return true;
  }

  dropIndex(name: string): void {
    const at = this.indexes.findIndex((i) => i.name === name);
    if (name === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
    if (at < 0) throw new CommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
    this.indexes.splice(at, 1);
    this.uniqueEntries.delete(name);
    this.partialFilters.delete(name);
    this.multikey.delete(name);
    this.prefixEntries.delete(name);
  }
}

/** A filter value that means plain equality: not null (which also matches missing fields), not an operator document, array or regex. */
function isPlainEqualityValue(value: unknown): boolean {
  if (value === null || value === undefined || Array.isArray(value) || value instanceof RegExp) return false;
  if (typeof value !== 'object' || value instanceof Date) return true;
  return '_bsontype' in value;
}
