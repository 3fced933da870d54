import type { Document } from 'bson';
import type { Collection } from './collection';
import { Bound, MAX, MIN, compareKeyPart, type Index, type KeyRange } from './index-tree';
import { keyOf, typeRank } from './values';

/** A stretch of one field's values, in ascending value order; lo/hi may be Bounds. */
interface Interval {
  lo: unknown;
  loInclusive: boolean;
  hi: unknown;
  hiInclusive: boolean;
}

/** What a filter says about each top-level field that an index can use. */
interface FilterBounds {
  fields: Map<string, Interval[]>;
  /** True when every predicate of the filter is expressed by `fields` exactly. */
  exact: boolean;
}

export interface Plan {
  index: Index | null;
  ranges: KeyRange[];
  reverse: boolean;
  /** The scan yields documents already in the requested sort order. */
  sorted: boolean;
  /** Every entry in the ranges matches the filter: no document needs testing (covered). */
  exact: boolean;
  /** For explain: field → bounds as strings, in MongoDB's notation (formatted only when asked). */
  indexBounds(): Record<string, string[]>;
  /** Entries in the ranges, when the planner counted them all (else null). */
  entries: number | null;
  /** For a planned `$or`: each branch's bounds. Its ranges may overlap: the scan deduplicates. */
  branchBounds?: (() => Record<string, string[]>)[];
}

/** Ranges beyond this many (from `$in` lists over several fields) are not worth the planning. */
const MAX_RANGES = 5000;

/** Rank of the values an index can bound a scan with exactly: null, numbers, strings, ObjectId, bool, Date. */
function isBoundable(value: unknown): boolean {
  const rank = typeRank(value);
  return rank === 2 || rank === 3 || rank === 4 || rank === 8 || rank === 9 || rank === 10;
}

const point = (value: unknown): Interval => ({ lo: value, loInclusive: true, hi: value, hiInclusive: true });

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const byLo = compareKeyPart(x.lo, y.lo);
      const lo = byLo > 0 ? x : byLo < 0 ? y : { lo: x.lo, loInclusive: x.loInclusive && y.loInclusive };
      const byHi = compareKeyPart(x.hi, y.hi);
      const hi = byHi < 0 ? x : byHi > 0 ? y : { hi: x.hi, hiInclusive: x.hiInclusive && y.hiInclusive };
      const interval = { lo: lo.lo, loInclusive: lo.loInclusive, hi: hi.hi, hiInclusive: hi.hiInclusive };
      const order = compareKeyPart(interval.lo, interval.hi);
      if (order < 0 || (order === 0 && interval.loInclusive && interval.hiInclusive)) out.push(interval);
    }
  }
  return out.sort((x, y) => compareKeyPart(x.lo, y.lo));
}

/** The intervals of one field's condition; `exact` false when part of it stays for the matcher. */
function conditionIntervals(condition: unknown): { intervals: Interval[] | null; exact: boolean } {
  const isOperators =
    condition !== null &&
    typeof condition === 'object' &&
    !Array.isArray(condition) &&
    !(condition instanceof Date) &&
    !('_bsontype' in condition) &&
    !(condition instanceof RegExp) &&
    Object.keys(condition).length > 0 &&
    Object.keys(condition).every((k) => k.startsWith('$'));
  if (!isOperators)
    return isBoundable(condition)
      ? { intervals: [point(condition)], exact: true }
      : { intervals: null, exact: false };
  let intervals: Interval[] | null = null;
  let exact = true;
  for (const [op, value] of Object.entries(condition as Document)) {
    const next = operatorIntervals(op, value);
    if (next) intervals = intervals ? intersect(intervals, next) : next;
    else exact = false;
  }
  return { intervals, exact };
}

/** `$type` aliases whose BSON rank holds only that type (as far as this server stores values). */
const TYPE_RANKS: Record<string, number> = {
  number: 3,
  double: 3,
  int: 3,
  long: 3,
  decimal: 3,
  string: 4,
  objectId: 8,
  bool: 9,
  date: 10,
};

/** The intervals one comparison operator admits, or null when an index cannot express it. */
function operatorIntervals(op: string, value: unknown): Interval[] | null {
  const rank = typeRank(value);
  if (op === '$eq' && isBoundable(value)) return [point(value)];
  if (op === '$in' && Array.isArray(value) && value.every(isBoundable)) {
    const unique = new Map(value.map((v) => [keyOf(v), v]));
    return [...unique.values()].sort(compareKeyPart).map(point);
  }
  if ((op === '$gt' || op === '$gte') && isBoundable(value) && rank !== 2)
    return [{ lo: value, loInclusive: op === '$gte', hi: new Bound(rank, 1), hiInclusive: true }];
  if ((op === '$lt' || op === '$lte') && isBoundable(value) && rank !== 2)
    return [{ lo: new Bound(rank, -1), loInclusive: true, hi: value, hiInclusive: op === '$lte' }];
  if (op === '$type' && typeof value === 'string' && TYPE_RANKS[value] !== undefined) {
    return [
      {
        lo: new Bound(TYPE_RANKS[value], -1),
        loInclusive: true,
        hi: new Bound(TYPE_RANKS[value], 1),
        hiInclusive: true,
      },
    ];
  }
  return null;
}

/** Reads the index-usable bounds out of a filter: top-level fields and `$and` parts. */
export function filterBounds(filter: Document): FilterBounds {
  const bounds: FilterBounds = { fields: new Map(), exact: true };
  addBounds(filter, bounds);
  return bounds;
}

function addBounds(part: Document, bounds: FilterBounds): void {
  for (const field of Object.keys(part)) {
    const condition: unknown = part[field];
    if (field === '$and' && Array.isArray(condition)) {
      for (const sub of condition) addBounds(sub as Document, bounds);
      continue;
    }
    if (field.startsWith('$')) {
      bounds.exact = false;
      continue;
    }
    const found = conditionIntervals(condition);
    bounds.exact &&= found.exact;
    if (!found.intervals) continue;
    const known = bounds.fields.get(field);
    bounds.fields.set(field, known ? intersect(known, found.intervals) : found.intervals);
  }
}

/** Whether interval `inner` lies within `outer`. */
function within(inner: Interval, outer: Interval): boolean {
  const lo = compareKeyPart(outer.lo, inner.lo);
  const hi = compareKeyPart(inner.hi, outer.hi);
  return (
    (lo < 0 || (lo === 0 && (outer.loInclusive || !inner.loInclusive))) &&
    (hi < 0 || (hi === 0 && (outer.hiInclusive || !inner.hiInclusive)))
  );
}

/**
 * A partial index answers a query only when the filter implies its filter expression: the
 * filter's bounds on each of the expression's fields lie within what the expression admits
 * (`seq: 5` implies `seq: { $type: 'number' }`, `status: 'booked'` implies itself).
 */
function partialImplied(index: Index, filter: Document, bounds: FilterBounds): boolean {
  const expression = index.spec.partialFilterExpression;
  if (!expression) return true;
  return Object.entries(expression).every(([field, condition]) => {
    if (field.startsWith('$')) return false;
    if (field in filter && keyOf(filter[field]) === keyOf(condition)) return true;
    const admitted = conditionIntervals(condition);
    const asked = bounds.fields.get(field);
    if (!admitted.exact || !admitted.intervals || !asked) return false;
    return asked.every((interval) => admitted.intervals!.some((outer) => within(interval, outer)));
  });
}

interface Candidate {
  index: Index;
  ranges: KeyRange[];
  boundFields: number;
  /** Leading fields pinned to one value each. */
  pinned: number;
  exact: boolean;
  indexBounds: () => Record<string, string[]>;
}

function describe(interval: Interval): string {
  const show = (v: unknown) =>
    v instanceof Bound
      ? v.side < 0
        ? 'MinKey'
        : 'MaxKey'
      : typeof v === 'string'
        ? JSON.stringify(v)
        : v instanceof Date
          ? `new Date(${v.getTime()})`
          : String(v);
  return `${interval.loInclusive ? '[' : '('}${show(interval.lo)}, ${show(interval.hi)}${interval.hiInclusive ? ']' : ')'}`;
}

function candidateFor(index: Index, bounds: FilterBounds, filter: Document): Candidate | null {
  if (!index.tree || !partialImplied(index, filter, bounds)) return null;
  const perField: Interval[][] = [];
  let combos = 1;
  for (const field of index.fields) {
    let intervals = bounds.fields.get(field);
    if (!intervals) break;
    const points = intervals.every((i) => compareKeyPart(i.lo, i.hi) === 0);
    // A multikey field matches when some element is in range, not one element in both ends: only equality bounds it.
    if (index.multikey && !points) break;
    if (
      intervals.some((i) => compareKeyPart(i.lo, null) <= 0 && compareKeyPart(i.hi, null) >= 0) &&
      index.spec.sparse
    )
      intervals = undefined;
    if (!intervals || combos * intervals.length > MAX_RANGES) break;
    combos *= intervals.length;
    perField.push(intervals);
    if (!points) break;
  }
  // A sparse index lacks the documents without the field: without bounds it cannot answer.
  if (perField.length === 0 && (index.spec.sparse || index.spec.partialFilterExpression)) return null;
  let ranges: { start: unknown[]; end: unknown[] }[] = [{ start: [], end: [] }];
  perField.forEach((intervals, i) => {
    const next: typeof ranges = [];
    for (const range of ranges) {
      for (const interval of intervals) {
        const ascending = index.directions[i] === 1;
        next.push({
          start: [
            ...range.start,
            ascending ? interval.lo : interval.hi,
            ascending ? interval.loInclusive : interval.hiInclusive,
          ],
          end: [
            ...range.end,
            ascending ? interval.hi : interval.lo,
            ascending ? interval.hiInclusive : interval.loInclusive,
          ],
        });
      }
    }
    ranges = next;
  });
  const keyRanges = ranges.map(({ start, end }) => ({
    start: padded(index, start, false),
    end: padded(index, end, true),
  }));
  keyRanges.sort((a, b) => index.compare(a.start, b.start));
  let pinned = 0;
  while (
    pinned < perField.length &&
    perField[pinned].length === 1 &&
    compareKeyPart(perField[pinned][0].lo, perField[pinned][0].hi) === 0
  )
    pinned += 1;
  const boundFieldNames = new Set(index.fields.slice(0, perField.length));
  const exact =
    // A partial index is used only when the filter implies its expression, so it holds every match.
    bounds.exact &&
    !index.multikey &&
    !index.spec.sparse &&
    [...bounds.fields.keys()].every((f) => boundFieldNames.has(f)) &&
    Object.keys(filter).every((f) => f === '$and' || boundFieldNames.has(f));
  const indexBounds = () =>
    Object.fromEntries(
      index.fields.map((f, i) => [f, perField[i] ? perField[i].map(describe) : ['[MinKey, MaxKey]']]),
    );
  return { index, ranges: keyRanges, boundFields: perField.length, pinned, exact, indexBounds };
}

/**
 * Turns per-field [value, inclusive] pairs into a scan key: an inclusive start (or exclusive end)
 * is padded with what sorts before every entry sharing that value, the others with what sorts after.
 */
function padded(index: Index, pairs: unknown[], end: boolean): unknown[] {
  const key: unknown[] = [];
  let high = end;
  for (let i = 0; i < pairs.length; i += 2) {
    key.push(pairs[i]);
    if (i === pairs.length - 2) high = end ? (pairs[i + 1] as boolean) : !(pairs[i + 1] as boolean);
  }
  for (let i = key.length; i <= index.fields.length; i += 1) key.push(index.pad(i, high));
  return key;
}

/** Whether scanning the candidate (forwards or backwards) yields documents in `sort` order. */
function sortDirection(candidate: Candidate, sort: Document | undefined): 1 | -1 | 0 {
  const entries = Object.entries(sort ?? {});
  if (entries.length === 0) return 1;
  const { index } = candidate;
  if (index.multikey) return 0;
  const first = index.fields.indexOf(entries[0][0]);
  if (first < 0 || first > candidate.pinned) return 0;
  // Several ranges are scanned one after the other: fine only when the sort starts at their field.
  if (candidate.ranges.length > 1 && first < candidate.pinned) return 0;
  let sign = 0;
  for (const [j, [field, direction]] of entries.entries()) {
    if (index.fields[first + j] !== field || (direction !== 1 && direction !== -1)) return 0;
    const s = direction * index.directions[first + j];
    if (sign === 0) sign = s;
    else if (s !== sign) return 0;
  }
  return sign as 1 | -1;
}

/** Counts a candidate's entries, stopping once `cap` is passed (a worse candidate need not be counted out). */
function countEntries(candidate: Candidate, cap: number): number {
  return candidate.index.count(candidate.ranges, cap);
}

/**
 * Picks the plan for a filter (and sort): among indexes whose leading fields the filter bounds,
 * the one whose equality prefix plus one range holds the fewest entries; ties go to the one that
 * also gives the sort order, then to more bound fields. Without a bounding index, an index that
 * gives the sort order is scanned whole; else the collection is scanned.
 */
export function plan(collection: Collection, filter: Document, sort?: Document): Plan {
  const byKey = pointPlan(collection, filter);
  if (byKey) return byKey;
  const bounds = filterBounds(filter);
  let best: { candidate: Candidate; count: number; direction: number } | null = null;
  let sortOnly: { candidate: Candidate; direction: 1 | -1 } | null = null;
  const candidates: Candidate[] = [];
  for (const index of collection.indexes) {
    const candidate = candidateFor(index, bounds, filter);
    if (!candidate) continue;
    // A unique key pinned whole holds at most one document: nothing can beat it, and one document is in any order.
    if (
      (index.spec.unique || index.name === '_id_') &&
      candidate.pinned === index.fields.length &&
      candidate.ranges.length === 1
    ) {
      return planOf(candidate, 1, countEntries(candidate, 1));
    }
    candidates.push(candidate);
  }
  for (const candidate of candidates) {
    const direction = sortDirection(candidate, sort);
    if (candidate.boundFields === 0) {
      if (direction !== 0 && sort && Object.keys(sort).length > 0 && !sortOnly)
        sortOnly = { candidate, direction };
      continue;
    }
    const count = countEntries(candidate, best ? best.count : Number.MAX_SAFE_INTEGER);
    const better =
      !best ||
      count < best.count ||
      (count === best.count &&
        ((direction !== 0 && best.direction === 0) ||
          (Boolean(direction) === Boolean(best.direction) &&
            candidate.boundFields > best.candidate.boundFields)));
    if (better) best = { candidate, count, direction };
  }
  const branches = orPlan(collection, filter, best ? best.count : Number.MAX_SAFE_INTEGER);
  if (branches) return branches;
  if (best) return planOf(best.candidate, best.direction, best.count);
  if (sortOnly) return planOf(sortOnly.candidate, sortOnly.direction, null);
  return {
    index: null,
    ranges: [],
    reverse: false,
    sorted: false,
    exact: false,
    indexBounds: () => ({}),
    entries: null,
  };
}

/**
 * The commonest query of all, a filter of plain equalities that pins every field of a unique
 * index (or `_id`): the plan the general planner would pick (step 7 in mock/docs/mongo.md),
 * found without reading bounds for every index or counting entries. A point find by key is
 * the hot path of every lookup, and the general planner's allocations were most of its cost.
 * Anything else (operators, arrays, documents, a multikey or sparse index) goes the general way.
 */
function pointPlan(collection: Collection, filter: Document): Plan | null {
  const fields = Object.keys(filter);
  if (fields.length === 0) return null;
  for (const field of fields) {
    const value: unknown = filter[field];
    if (field.charCodeAt(0) === 36 /* $ */ || !isBoundable(value)) return null;
  }
  for (const index of collection.indexes) {
    if (!(index.spec.unique || index.name === '_id_') || !index.tree || index.multikey || index.spec.sparse)
      continue;
    if (index.fields.length > fields.length || !index.fields.every((f) => f in filter)) continue;
    if (index.spec.partialFilterExpression && !partialImplied(index, filter, filterBounds(filter))) continue;
    const values = index.fields.map((f): unknown => filter[f]);
    const ranges = [{ start: [...values, MIN], end: [...values, MAX] }];
    return {
      index,
      ranges,
      reverse: false,
      sorted: true,
      // Every field of the filter is a key field: an entry in the range is a match.
      exact: index.fields.length === fields.length,
      indexBounds: () => Object.fromEntries(index.fields.map((f) => [f, [describe(point(filter[f]))]])),
      entries: null,
    };
  }
  return null;
}

function planOf(candidate: Candidate, direction: number, entries: number | null): Plan {
  return {
    index: candidate.index,
    ranges: candidate.ranges,
    reverse: direction === -1,
    sorted: direction !== 0,
    exact: candidate.exact,
    indexBounds: candidate.indexBounds,
    entries,
  };
}

/** Branches of a top-level `$or` beyond this many are matched after the scan, not planned one by one. */
const MAX_OR_BRANCHES = 8;

/**
 * A top-level `$or` whose every branch, together with the rest of the filter, is bounded by one
 * index: the union of the branches' ranges, when it holds fewer entries than the best single
 * plan (MongoDB's contained-`$or` pushdown). The ranges may overlap, so the scan deduplicates,
 * and the whole filter is tested on every document, unless each branch is decided by its ranges
 * alone and no two ranges share an entry: then the union is the answer, and a count reads only
 * the index (a queue position: the tickets of one line queued before a time, or at that time
 * with a lower number).
 */
function orPlan(collection: Collection, filter: Document, toBeat: number): Plan | null {
  const branches: unknown = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0 || branches.length > MAX_OR_BRANCHES) return null;
  const rest: Document = { ...filter };
  delete rest.$or;
  let chosen: {
    index: Index;
    ranges: KeyRange[];
    count: number;
    exact: boolean;
    indexBounds: (() => Record<string, string[]>)[];
  } | null = null;
  for (const index of collection.indexes) {
    const ranges: KeyRange[] = [];
    const indexBounds: (() => Record<string, string[]>)[] = [];
    let count = 0;
    let exact = true;
    for (const branch of branches as Document[]) {
      const branchFilter = { ...rest, $and: [...((rest.$and as Document[] | undefined) ?? []), branch] };
      const candidate = candidateFor(index, filterBounds(branchFilter), branchFilter);
      if (!candidate || candidate.boundFields === 0) {
        count = Number.MAX_SAFE_INTEGER;
        break;
      }
      count += countEntries(candidate, Math.min(toBeat, chosen?.count ?? toBeat) - count);
      if (count >= Math.min(toBeat, chosen?.count ?? toBeat)) break;
      ranges.push(...candidate.ranges);
      indexBounds.push(candidate.indexBounds);
      exact &&= candidate.exact;
    }
    if (count < Math.min(toBeat, chosen?.count ?? toBeat))
      chosen = { index, ranges, count, exact, indexBounds };
  }
  if (!chosen) return null;
  const { index } = chosen;
  const ranges = chosen.ranges.sort((x, y) => index.compare(x.start, y.start));
  // A scan range ends before its `end` key: ranges are disjoint when each ends at or before the next starts.
  const disjoint = ranges.every((range, i) => i === 0 || index.compare(ranges[i - 1].end, range.start) <= 0);
  return {
    index,
    ranges,
    reverse: false,
    sorted: false,
    exact: chosen.exact && disjoint && !index.multikey,
    indexBounds: () => ({}),
    entries: null,
    branchBounds: chosen.indexBounds,
  };
}
