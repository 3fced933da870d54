import BTree from 'sorted-btree';
import { Query } from 'mingo';
import type { Document } from 'bson';
import { compareValues, typeRank } from './values';

export interface IndexSpec {
  v: number;
  key: Record<string, 1 | -1 | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

/**
 * A scan bound that is no value: just below or just above every value of one BSON type rank
 * (rank 0 side -1 is below everything, rank 99 side 1 above everything). Type bracketing
 * (`$gt: 5` only matches numbers) and exclusive bounds are expressed with these.
 */
export class Bound {
  constructor(
    readonly rank: number,
    readonly side: -1 | 1,
  ) {}
}

export const MIN = new Bound(0, -1);
export const MAX = new Bound(99, 1);

export function compareKeyPart(a: unknown, b: unknown): number {
  // Fast paths for the common same-type keys; index scans compare every entry they pass.
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Bound) {
    if (b instanceof Bound) return a.rank - b.rank || a.side - b.side;
    const rank = typeRank(b);
    return a.rank !== rank ? a.rank - rank : a.side;
  }
  if (b instanceof Bound) return -compareKeyPart(b, a);
  return compareValues(a, b);
}

/** An index entry: one value per key field, then the document's key (which makes entries unique). */
export type IndexKey = unknown[];

/** A scan over tree order: every entry ≥ start and < end (both are sentinel-padded, never equal to an entry). */
export interface KeyRange {
  start: IndexKey;
  end: IndexKey;
}

/** The index types that order documents by value; text, hashed and geo indexes are kept as specs only. */
function isOrdered(spec: IndexSpec): boolean {
  return Object.values(spec.key).every((d) => d === 1 || d === -1);
}

/**
 * One index as MongoDB keeps it: a B+ tree of entries in the index's key order (BSON comparison
 * order, per-field direction), one entry per array element for multikey fields. A clone shares
 * the tree copy-on-write, so a transaction's snapshot of an index costs nothing until it writes.
 */
export class Index {
  readonly fields: string[];
  /** Each key field's dotted path, split once. */
  private readonly paths: string[][];
  readonly directions: number[];
  readonly tree: BTree<IndexKey, undefined> | null;
  /** Set once any document put an array under a key field, as MongoDB's flag is. */
  multikey: boolean;
  readonly partial: Query | null;

  constructor(
    readonly spec: IndexSpec,
    source?: Index,
  ) {
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((f) => f.split('.'));
    this.directions = this.fields.map((f) => (spec.key[f] === -1 ? -1 : 1));
    this.multikey = source?.multikey ?? false;
    this.partial =
      source?.partial ?? (spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null);
    if (source) this.tree = source.tree?.clone() ?? null;
    else
      this.tree = isOrdered(spec)
        ? new BTree<IndexKey, undefined>(undefined, (a, b) => this.compare(a, b))
        : null;
  }

  get name(): string {
    return this.spec.name;
  }

  clone(): Index {
    return new Index(this.spec, this);
  }

  compare(a: IndexKey, b: IndexKey): number {
    const n = this.fields.length;
    for (let i = 0; i < n; i += 1) {
      const c = compareKeyPart(a[i], b[i]);
      if (c !== 0) return c * this.directions[i];
    }
    const x = a[n];
    const y = b[n];
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
    return compareKeyPart(x, y);
  }

  /** The padding that sorts before (low) or after (high) every value of field i in tree order. */
  pad(i: number, high: boolean): Bound {
    if (i >= this.fields.length) return high ? MAX : MIN;
    return (this.directions[i] === 1) === high ? MAX : MIN;
  }

  /** A document's entries without its key, or null when the index leaves it out (sparse, partial). */
  keysOf(doc: Document): unknown[][] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    let arrays = false;
    let present = false;
    let combos: unknown[][] = [[]];
    for (const path of this.paths) {
      const found = valuesAt(doc, path, 0);
      if (found.missing) found.values = [null];
      else present = true;
      arrays ||= found.array;
      if (found.values.length === 1) {
        // One value (no array under this field): extend the entries in place instead of copying them.
        for (const combo of combos) combo.push(found.values[0]);
        continue;
      }
      const next: unknown[][] = [];
      for (const combo of combos) for (const value of found.values) next.push([...combo, value]);
      combos = next;
    }
    if (this.spec.sparse && !present) return null;
    if (arrays) {
      this.multikey = true;
      // Repeated elements of one array make one entry, as in MongoDB.
      const seen = new Set<string>();
      combos = combos.filter((c) => {
        const id = c
          .map((v) => `${typeRank(v)}:${String(v instanceof Date ? v.getTime() : v)}`)
          .join('\u0000');
        return seen.has(id) ? false : (seen.add(id), true);
      });
    }
    return combos;
  }

  /** Enters a document's entries (from keysOf; null: the index leaves it out). */
  add(docKey: string, entries: unknown[][] | null): void {
    if (!this.tree || !entries) return;
    for (const values of entries) this.tree.set([...values, docKey], undefined);
  }

  remove(docKey: string, entries: unknown[][] | null): void {
    if (!this.tree || !entries) return;
    for (const values of entries) this.tree.delete([...values, docKey]);
  }

  /** For a unique index: the first of the entries already held by another document, else null. */
  duplicateOf(docKey: string, entries: unknown[][] | null): unknown[] | null {
    if (!this.tree || !this.spec.unique || !entries) return null;
    for (const values of entries) {
      const low = [...values, MIN];
      const high = [...values, MAX];
      // Entries of one value sort by document key: a holder other than this document sits at either end.
      for (const pair of [this.tree.nextHigherPair(low), this.tree.nextLowerPair(high)]) {
        if (
          pair &&
          this.compare(pair[0], low) > 0 &&
          this.compare(pair[0], high) < 0 &&
          pair[0][this.fields.length] !== docKey
        )
          return values;
      }
    }
    return null;
  }

  /** How many entries the ranges hold, counting no further than just past `cap`. */
  count(ranges: KeyRange[], cap = Number.MAX_SAFE_INTEGER): number {
    let n = 0;
    const root = (this.tree as unknown as { _root: TreeNode })._root;
    for (const range of ranges) {
      n += countBetween(root, range.start, range.end, (a, b) => this.compare(a, b));
      if (n > cap) break;
    }
    return n;
  }

  /** Entries of the given ranges in tree order (or reversed), each range's entries in turn. */
  *scan(ranges: KeyRange[], reverse: boolean): Generator<IndexKey> {
    const tree = this.tree!;
    for (const range of reverse ? [...ranges].reverse() : ranges) {
      if (reverse) {
        for (const [key] of tree.entriesReversed(range.end)) {
          if (this.compare(key, range.start) < 0) break;
          yield key;
        }
      } else {
        for (const [key] of tree.entries(range.start)) {
          if (this.compare(key, range.end) >= 0) break;
          yield key;
        }
      }
    }
  }
}

/** The values a dotted path reaches, arrays expanded into their elements as a multikey index does. */
export function valuesAt(
  value: unknown,
  path: string[],
  at: number,
): { values: unknown[]; missing: boolean; array: boolean } {
  if (at === path.length) {
    if (!Array.isArray(value))
      return { values: [value === undefined ? null : value], missing: value === undefined, array: false };
    // An empty array is indexed as undefined, which sorts with null.
    return { values: value.length === 0 ? [undefined] : value, missing: false, array: true };
  }
  if (value === null || value === undefined || typeof value !== 'object')
    return { values: [null], missing: true, array: false };
  if (Array.isArray(value) && !/^\d+$/.test(path[at])) {
    const values: unknown[] = [];
    let missing = true;
    for (const element of value) {
      const found = valuesAt(element, path, at);
      values.push(...found.values);
      missing &&= found.missing;
    }
    return { values: values.length > 0 ? values : [null], missing, array: true };
  }
  return valuesAt((value as Record<string, unknown>)[path[at]], path, at + 1);
}

/** sorted-btree 2.1's node layout: an internal node's keys[i] is the largest key under children[i], and it caches its size. */
interface TreeNode {
  keys: IndexKey[];
  children?: TreeNode[];
  size(): number;
}

/** The first position whose key is ≥ `key`. */
function lowerBound(keys: IndexKey[], key: IndexKey, compare: (a: IndexKey, b: IndexKey) => number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(keys[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Entries ≥ start and < end, in O(log n) node visits: a child lying wholly inside the range
 * adds its cached size; only the two children at the range's edges are descended into. This
 * is what makes a covered count cost the same for 100 or 10,000 matches.
 */
function countBetween(
  node: TreeNode,
  start: IndexKey,
  end: IndexKey,
  compare: (a: IndexKey, b: IndexKey) => number,
): number {
  if (!node.children) return lowerBound(node.keys, end, compare) - lowerBound(node.keys, start, compare);
  const first = lowerBound(node.keys, start, compare);
  if (first >= node.keys.length) return 0;
  const last = Math.min(lowerBound(node.keys, end, compare), node.keys.length - 1);
  let n = 0;
  for (let i = first; i <= last; i += 1) {
    n +=
      i > first && i < last ? node.children[i].size() : countBetween(node.children[i], start, end, compare);
  }
  return n;
}
