import { find } from 'mingo';
import type { Document } from 'bson';
import type { Collection } from './collection';
import { badValue } from './errors';
import { keyOf } from './values';

export interface Selection {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** Whether `filter` is `{ _id: <plain value> }`, answerable from the primary key alone. */
function idLookup(filter: Document): string | null {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return null;
  const id = filter._id;
  if (id !== null && typeof id === 'object' && !(id instanceof Date) && !('_bsontype' in id) && !Array.isArray(id)) {
    return Object.keys(id).some((k) => k.startsWith('$')) ? null : keyOf(id);
  }
  return keyOf(id);
}

/** Runs a query with mingo's MongoDB semantics (operators, sort order, projection). */
export function select(collection: Collection | undefined, filter: Document = {}, selection: Selection = {}): Document[] {
  if (!collection) return [];
  const byId = idLookup(filter);
  const source = byId === null ? collection.all() : [collection.docs.get(byId)].filter((d): d is Document => d !== undefined);
  const projection = selection.projection && Object.keys(selection.projection).length > 0 ? selection.projection : undefined;
  try {
    let cursor = find(source, filter, projection);
    if (selection.sort && Object.keys(selection.sort).length > 0) cursor = cursor.sort(selection.sort as Record<string, 1 | -1>);
    if (selection.skip) cursor = cursor.skip(selection.skip);
    if (selection.limit) cursor = cursor.limit(Math.abs(selection.limit));
    return cursor.all() as Document[];
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
}

/** Applies a projection to one document (findAndModify's `fields`). */
export function project(doc: Document | null, projection: Document | undefined): Document | null {
  if (!doc || !projection || Object.keys(projection).length === 0) return doc;
  return (find([doc], {}, projection).all()[0] as Document | undefined) ?? null;
}
