import { Query } from 'mingo';
import type { Document } from 'bson';
import type { Collection } from './collection';
import { badValue } from './errors';

export interface Selection {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** Runs a query with mingo's MongoDB semantics (operators, sort order, projection). */
export function select(collection: Collection | undefined, filter: Document = {}, selection: Selection = {}): Document[] {
  if (!collection) return [];
  const source = collection.candidates(filter);
  const projection = selection.projection && Object.keys(selection.projection).length > 0 ? selection.projection : undefined;
  try {
    // `new Query(…).find` rather than mingo's `find()`, which rebuilds its whole operator
    // table on every call (its options pass through the context merge twice).
    let cursor = new Query(filter).find(source, projection);
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
  return (new Query({}).find([doc], projection).all()[0] as Document | undefined) ?? null;
}
