import type { Document } from 'bson';

// The fields of the commands the driver sends that the handlers read. bson's Document types every
// field `any`; these say what the driver puts there. A value the server checks itself (a collation,
// handed to collatorOf) stays `unknown`.

/** `find` (and the find part of `explain`). */
export interface FindCommand {
  filter?: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
  let?: Document;
  collation?: unknown;
}

/** `count` and `distinct`: the filter is called `query`. */
export interface CountCommand {
  query?: Document;
  skip?: number;
  limit?: number;
  collation?: unknown;
}

/** One entry of an `update` command's `updates` array. */
export interface UpdateStatement {
  q?: Document;
  u: Document | Document[];
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
  collation?: unknown;
}

/** One entry of a `delete` command's `deletes` array: `limit` is 1 (deleteOne) or 0 (deleteMany). */
export interface DeleteStatement {
  q?: Document;
  limit?: number;
  collation?: unknown;
}

/** `findAndModify` (the driver's findOneAndUpdate/Replace/Delete). */
export interface FindAndModifyCommand {
  query?: Document;
  sort?: Document;
  update?: Document | Document[];
  arrayFilters?: Document[];
  collation?: unknown;
  new?: boolean;
  upsert?: boolean;
}
