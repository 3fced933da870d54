import { Query } from 'mingo';
import type { Document } from 'bson';
import type { Collection } from './collection';
import { badValue } from './errors';
import { collatedCompare, collatedMatcher } from './collation';
import { valuesAt } from './index-tree';
import { plan, type Plan } from './planner';
import { compareValues } from './values';

export interface Selection {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
  /** `let` variables, visible to `$expr` as `$$name`. */
  variables?: Document;
  /** A collation's collator: strings match and sort by it, and no index (kept in binary order) is used. */
  collator?: Intl.Collator | null;
}

/** What a query did, for explain: the plan and how much it read. */
export interface Execution {
  plan: Plan | null;
  keysExamined: number;
  docsExamined: number;
  nReturned: number;
  /** Counted from the index alone (COUNT_SCAN). */
  countScan?: boolean;
}

/** The plan of a query no index can answer (a collation's string order is not the indexes' binary order). */
const NO_INDEX: Plan = {
  index: null,
  ranges: [],
  reverse: false,
  sorted: false,
  exact: false,
  indexBounds: () => ({}),
  entries: null,
};

const isEmpty = (doc: Document | undefined): doc is undefined => !doc || Object.keys(doc).length === 0;

function compile(filter: Document, variables: Document | undefined): Query {
  try {
    return new Query(filter, variables ? { variables } : {});
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs a query: the planner's index ranges give the candidates (in sort order when the index
 * gives it, stopping at the limit), mingo decides the rest of the filter unless the index
 * already decided it, and sorts when no index could.
 */
export function select(
  collection: Collection | undefined,
  filter: Document = {},
  selection: Selection = {},
  execution?: Execution,
): Document[] {
  if (!collection) return [];
  const sort = isEmpty(selection.sort) ? undefined : selection.sort;
  const collator = selection.collator ?? null;
  const chosen = collator ? NO_INDEX : plan(collection, filter, sort);
  const query =
    chosen.exact || isEmpty(filter)
      ? null
      : collator
        ? { test: collatedMatcher(filter, collator, selection.variables) }
        : compile(filter, selection.variables);
  const skip = selection.skip ?? 0;
  const limit = Math.abs(selection.limit ?? 0);
  const wanted = chosen.sorted || !sort ? (limit > 0 ? skip + limit : Infinity) : Infinity;
  let keysExamined = 0;
  let docsExamined = 0;
  let matched: Document[] = [];
  try {
    if (chosen.index) {
      const seen = chosen.index.multikey || chosen.branchBounds ? new Set<string>() : null;
      for (const key of chosen.index.scan(chosen.ranges, chosen.reverse)) {
        keysExamined += 1;
        const docKey = key[key.length - 1] as string;
        if (seen) {
          if (seen.has(docKey)) continue;
          seen.add(docKey);
        }
        const doc = collection.docs.get(docKey)!;
        docsExamined += 1;
        if (query && !query.test(doc)) continue;
        matched.push(doc);
        if (matched.length >= wanted) break;
      }
    } else {
      for (const doc of collection.docs.values()) {
        docsExamined += 1;
        if (query && !query.test(doc)) continue;
        matched.push(doc);
        if (!sort && matched.length >= wanted) break;
      }
    }
    if (sort && !chosen.sorted) matched = sortDocuments(matched, sort, collator);
    if (skip > 0 || limit > 0) matched = matched.slice(skip, limit > 0 ? skip + limit : undefined);
    if (!isEmpty(selection.projection))
      matched = new Query({}).find<Document>(matched, selection.projection).all();
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
  if (execution)
    Object.assign(execution, { plan: chosen, keysExamined, docsExamined, nReturned: matched.length });
  return matched;
}

/** Counts matches; a filter the index decides alone is counted from the index without reading documents. */
export function countMatching(
  collection: Collection | undefined,
  filter: Document = {},
  selection: Selection = {},
  execution?: Execution,
): number {
  if (!collection) return 0;
  if (selection.collator) return select(collection, filter, selection, execution).length;
  if (isEmpty(filter) && !selection.skip && !selection.limit) {
    if (execution)
      Object.assign(execution, {
        plan: null,
        keysExamined: 0,
        docsExamined: 0,
        nReturned: collection.docs.size,
      });
    return collection.docs.size;
  }
  const chosen = plan(collection, filter);
  if (!chosen.index || !chosen.exact || chosen.index.multikey) {
    return select(
      collection,
      filter,
      { skip: selection.skip, limit: selection.limit, variables: selection.variables },
      execution,
    ).length;
  }
  const n = chosen.entries ?? chosen.index.count(chosen.ranges);
  const counted = Math.max(0, n - (selection.skip ?? 0));
  const limited = selection.limit ? Math.min(counted, Math.abs(selection.limit)) : counted;
  if (execution)
    Object.assign(execution, {
      plan: chosen,
      keysExamined: n,
      docsExamined: 0,
      nReturned: limited,
      countScan: true,
    });
  return limited;
}

/**
 * The leading `$match`, `$sort` and `$limit` of a pipeline, which the planner answers from an
 * index as a find would; the rest runs in mingo over what they select.
 */
export function leadingStages(pipeline: Document[]): {
  filter: Document;
  sort?: Document;
  limit?: number;
  rest: Document[];
} {
  let at = 0;
  let filter: Document = {};
  let sort: Document | undefined;
  let limit: number | undefined;
  if (pipeline[at]?.$match && typeof pipeline[at].$match === 'object')
    filter = pipeline[at++].$match as Document;
  if (pipeline[at]?.$sort && typeof pipeline[at].$sort === 'object') {
    sort = pipeline[at++].$sort as Document;
    if (typeof pipeline[at]?.$limit === 'number') limit = pipeline[at++].$limit as number;
  }
  return { filter, sort, limit, rest: pipeline.slice(at) };
}

/**
 * Sorts as MongoDB does: BSON order across types, a missing field as null, an array by its
 * smallest element ascending and its largest descending. Stable, so ties keep insertion order.
 */
export function sortDocuments(
  docs: Document[],
  sort: Document,
  collator: Intl.Collator | null = null,
): Document[] {
  const compare = collatedCompare(collator, compareValues);
  const fields = Object.entries(sort).map(([field, direction]) => ({
    path: field.split('.'),
    direction: direction === -1 ? -1 : 1,
  }));
  const keyed = docs.map((doc) => ({
    doc,
    keys: fields.map(({ path, direction }) => {
      const { values } = valuesAt(doc, path, 0);
      let chosen = values[0];
      for (const value of values) if (compare(value, chosen) * direction < 0) chosen = value;
      return chosen;
    }),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i += 1) {
      const c = compare(a.keys[i], b.keys[i]) * fields[i].direction;
      if (c !== 0) return c;
    }
    return 0;
  });
  return keyed.map((k) => k.doc);
}

/** Applies a projection to one document (findAndModify's `fields`). */
export function project(doc: Document | null, projection: Document | undefined): Document | null {
  if (!doc || !projection || Object.keys(projection).length === 0) return doc;
  return (new Query({}).find([doc], projection).all()[0] as Document | undefined) ?? null;
}

/**
 * `countDocuments` sends `$match`, optional `$skip`/`$limit`, then `$group: { _id: 1, n: { $sum: 1 } }`:
 * answered as a count, from the index alone when it covers the filter.
 */
export function countShape(
  rest: Document[],
): { skip?: number; limit?: number; groupId: unknown; field: string } | null {
  let at = 0;
  const skip = typeof rest[at]?.$skip === 'number' ? (rest[at++].$skip as number) : undefined;
  const limit = typeof rest[at]?.$limit === 'number' ? (rest[at++].$limit as number) : undefined;
  if (at !== rest.length - 1 || Object.keys(rest[at]).length !== 1) return null;
  const group = rest[at].$group as Document | undefined;
  if (!group || typeof group !== 'object') return null;
  const keys = Object.keys(group);
  if (
    keys.length !== 2 ||
    keys[0] !== '_id' ||
    (typeof group._id === 'object' && group._id !== null) ||
    typeof group._id === 'string'
  )
    return null;
  const sum = group[keys[1]] as Document;
  if (!sum || typeof sum !== 'object' || Object.keys(sum).length !== 1 || sum.$sum !== 1) return null;
  return { skip, limit, groupId: group._id, field: keys[1] };
}
