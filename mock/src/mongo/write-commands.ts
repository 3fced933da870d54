import { Aggregator, update as applyOperators } from 'mingo';
import {
  $addToSet,
  $currentDate,
  $inc,
  $max,
  $min,
  $mul,
  $pop,
  $pull,
  $pullAll,
  $push,
  $set,
  $unset,
} from 'mingo/operators/update';
import { ObjectId, type Document } from 'bson';
import type { Collection } from './collection';
import type { DeleteStatement, FindAndModifyCommand, UpdateStatement } from './command-fields';
import { collectionOf, type CommandHandler } from './context';
import { collatorOf } from './collation';
import { CommandError, DuplicateKeyError, badValue } from './errors';
import { project, select } from './matching';
import { cloneDocument, isOperatorDocument, keyOf, setPath } from './values';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$setOnInsert',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
]);

const immutableId = () =>
  new CommandError(
    66,
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );

/** The document `update` makes of `original`: operators, a replacement, or an aggregation pipeline. */
function applyUpdate(
  original: Document,
  update: Document | Document[],
  arrayFilters: Document[] | undefined,
  inserting: boolean,
  variables?: Document,
): Document {
  let next: Document;
  if (Array.isArray(update)) {
    try {
      next = new Aggregator(update, variables ? { variables } : {}).run<Document>([
        cloneDocument(original),
      ])[0];
    } catch (error) {
      throw badValue(error instanceof Error ? error.message : String(error));
    }
    // A pipeline that replaces the root without naming _id keeps the document's _id, as MongoDB does.
    if (next && next._id === undefined) next = { _id: original._id as unknown, ...next };
  } else if (!isOperatorDocument(update)) {
    if (Object.keys(update).some((k) => k.startsWith('$'))) {
      throw new CommandError(
        9,
        'FailedToParse',
        'The dollar ($) prefixed field in the replacement document is not valid for storage.',
      );
    }
    if (update._id !== undefined && keyOf(update._id) !== keyOf(original._id)) throw immutableId();
    next = { _id: original._id as unknown, ...cloneDocument(update) };
  } else {
    const modifier: Document = { ...update };
    for (const operator of Object.keys(modifier)) {
      if (!UPDATE_OPERATORS.has(operator)) {
        throw new CommandError(
          9,
          'FailedToParse',
          `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
        );
      }
    }
    for (const fields of Object.values(modifier) as Document[]) {
      if (
        fields &&
        typeof fields === 'object' &&
        Object.keys(fields).some((f) => f === '_id' || f.startsWith('_id.'))
      ) {
        if (!inserting || modifier.$setOnInsert !== fields) throw immutableId();
      }
    }
    const setOnInsert = modifier.$setOnInsert as Document | undefined;
    delete modifier.$setOnInsert;
    if (inserting && setOnInsert)
      modifier.$set = { ...(modifier.$set as Document | undefined), ...setOnInsert };
    next = cloneDocument(original);
    if (Object.keys(modifier).length > 0) {
      try {
        if (arrayFilters?.length || !plainPaths(modifier))
          applyOperators(next, modifier, arrayFilters, undefined, { cloneMode: 'deep' });
        else
          for (const [operator, fields] of Object.entries(modifier))
            PLAIN[operator](fields as Document)(next);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // MongoDB's own code and wording for two operators on one path.
        if (/would create a conflict at/.test(message))
          throw new CommandError(40, 'ConflictingUpdateOperators', message.replace(/^updating/, 'Updating'));
        throw badValue(message);
      }
    }
  }
  if (keyOf(next._id) !== keyOf(original._id)) throw immutableId();
  return next;
}

/**
 * The update operators applied one by one when no path is positional and no two paths of the
 * update overlap: mingo's `update()` rebuilds its whole operator table on every call (a tenth
 * of the server's CPU in the opening burst), and checking paths across operators is all it adds
 * here. Anything else (arrayFilters, `$`, `$[]`, `$rename`, `$bit`, overlapping paths, which
 * MongoDB refuses) goes through `update()` and its errors. The operators' own option of copying
 * values rather than deep-cloning them is safe: the command that brought them is not kept.
 */
const PLAIN: Record<string, (fields: Document) => (doc: Document) => unknown> = {
  $set,
  $unset,
  $inc,
  $mul,
  $min,
  $max,
  $currentDate,
  $push,
  $addToSet,
  $pull,
  $pullAll,
  $pop,
};

function plainPaths(modifier: Document): boolean {
  const paths = new Set<string>();
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!PLAIN[operator] || !fields || typeof fields !== 'object') return false;
    for (const path of Object.keys(fields as Document)) {
      if (path.includes('$') || paths.has(path)) return false;
      paths.add(path);
    }
  }
  // One path may not lie inside another (`a` and `a.b`).
  for (const path of paths) {
    for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1))
      if (paths.has(path.slice(0, dot))) return false;
  }
  return true;
}

/** The document an upsert starts from: the equality conditions of its query, as the server does. */
function seedFromQuery(query: Document | undefined, into: Document = {}): Document {
  for (const [field, condition] of Object.entries(query ?? {})) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) seedFromQuery(part as Document, into);
      continue;
    }
    if (field.startsWith('$')) continue;
    const isPlainObject =
      condition !== null &&
      typeof condition === 'object' &&
      !(condition instanceof Date) &&
      !('_bsontype' in condition) &&
      !Array.isArray(condition);
    if (isPlainObject && isOperatorDocument(condition as Document)) {
      if ('$eq' in (condition as Document)) setPath(into, field, (condition as Document).$eq);
      continue;
    }
    setPath(into, field, condition);
  }
  return into;
}

function upsertDocument(
  query: Document | undefined,
  update: Document | Document[],
  arrayFilters: Document[] | undefined,
  variables?: Document,
): Document {
  const seed = seedFromQuery(query);
  const base: Document = { _id: (seed._id as unknown) ?? new ObjectId(), ...seed };
  if (!Array.isArray(update) && !isOperatorDocument(update)) {
    if (update._id !== undefined && seed._id !== undefined && keyOf(update._id) !== keyOf(seed._id))
      throw immutableId();
    return { _id: (update._id as unknown) ?? (base._id as unknown), ...cloneDocument(update) };
  }
  return applyUpdate(base, update, arrayFilters, true, variables);
}

/** MongoDB refuses an _id that is a document with a `$`-prefixed field (it would read as an operator). */
function checkId(id: unknown): void {
  if (!id || typeof id !== 'object' || Array.isArray(id) || id instanceof Date || '_bsontype' in id) return;
  const dollar = Object.keys(id).find((k) => k.startsWith('$'));
  if (dollar)
    throw new CommandError(
      52,
      'DollarPrefixedFieldName',
      `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`,
    );
}

function insertOne(collection: Collection, doc: Document): Document {
  checkId(doc._id);
  // The server stores _id as the first field whatever order the client sent.
  const stored: Document = { _id: (doc._id as unknown) ?? new ObjectId(), ...doc };
  const id: unknown = stored._id;
  const key = keyOf(id);
  if (collection.docs.has(key)) {
    throw new DuplicateKeyError(collection.namespace, '_id_', { _id: 1 }, { _id: id });
  }
  collection.put(key, stored);
  return stored;
}

function writeError(index: number, error: unknown): Document {
  if (!(error instanceof CommandError)) throw error;
  // A conflict inside a transaction fails the whole command so the driver sees the retryable label.
  if (error.errorLabels.includes('TransientTransactionError')) throw error;
  return { index, code: error.code, codeName: error.codeName, errmsg: error.message, ...error.extra };
}

function writeResult(n: number, writeErrors: Document[], extra: Document = {}): Document {
  const result: Document = { n, ...extra, ok: 1 };
  if (writeErrors.length > 0) result.writeErrors = writeErrors;
  return result;
}

const insert: CommandHandler = (command, context) => {
  const collection = collectionOf(context, String(command.insert), true)!;
  const documents = (command.documents as Document[]) ?? [];
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [index, doc] of documents.entries()) {
    try {
      insertOne(collection, doc);
      n += 1;
    } catch (error) {
      writeErrors.push(writeError(index, error));
      if (command.ordered !== false) break;
    }
  }
  return writeResult(n, writeErrors);
};

const update: CommandHandler = (command, context) => {
  const collection = collectionOf(context, String(command.update), true)!;
  const variables = command.let as Document | undefined;
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, op] of ((command.updates as UpdateStatement[]) ?? []).entries()) {
    try {
      const matches = select(collection, op.q, {
        limit: op.multi ? 0 : 1,
        variables,
        collator: collatorOf(op.collation),
      });
      if (matches.length === 0 && op.upsert) {
        const doc = insertOne(collection, upsertDocument(op.q, op.u, op.arrayFilters, variables));
        upserted.push({ index, _id: doc._id as unknown });
        n += 1;
        continue;
      }
      if (op.multi && !Array.isArray(op.u) && !isOperatorDocument(op.u)) {
        throw new CommandError(
          9,
          'FailedToParse',
          'multi update is not supported for replacement-style update',
        );
      }
      const replacing = !Array.isArray(op.u) && !isOperatorDocument(op.u);
      for (const match of matches) {
        const next = applyUpdate(match, op.u, op.arrayFilters, false, variables);
        n += 1;
        if (keyOf(next) !== keyOf(match)) {
          collection.put(keyOf(match._id), next, replacing);
          nModified += 1;
        }
      }
    } catch (error) {
      writeErrors.push(writeError(index, error));
      if (command.ordered !== false) break;
    }
  }
  return writeResult(n, writeErrors, upserted.length > 0 ? { nModified, upserted } : { nModified });
};

const deleteCommand: CommandHandler = (command, context) => {
  const collection = collectionOf(context, String(command.delete), false);
  let n = 0;
  for (const op of (command.deletes as DeleteStatement[]) ?? []) {
    for (const match of select(collection, op.q, {
      limit: op.limit === 1 ? 1 : 0,
      variables: command.let as Document | undefined,
      collator: collatorOf(op.collation),
    })) {
      collection!.put(keyOf(match._id), null);
      n += 1;
    }
  }
  return writeResult(n, []);
};

const findAndModify: CommandHandler = (command, context) => {
  const name = String(command.findAndModify ?? command.findandmodify);
  const spec = command as FindAndModifyCommand;
  const remove = command.remove === true;
  const update = spec.update;
  if (!remove && update === undefined)
    throw new CommandError(9, 'FailedToParse', 'Either an update or remove=true must be specified');
  const collection = collectionOf(context, name, !remove);
  const variables = command.let as Document | undefined;
  const [match] = select(collection, spec.query, {
    sort: spec.sort,
    limit: 1,
    variables,
    collator: collatorOf(spec.collation),
  });
  const fields = command.fields as Document | undefined;
  if (remove) {
    if (match) collection!.put(keyOf(match._id), null);
    return { lastErrorObject: { n: match ? 1 : 0 }, value: project(match ?? null, fields), ok: 1 };
  }
  // Not removing, so the check above saw an update.
  const change = update!;
  if (match) {
    const next = applyUpdate(match, change, spec.arrayFilters, false, variables);
    if (keyOf(next) !== keyOf(match))
      collection!.put(keyOf(match._id), next, !Array.isArray(change) && !isOperatorDocument(change));
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(spec.new ? next : match, fields),
      ok: 1,
    };
  }
  if (spec.upsert) {
    const doc = insertOne(collection!, upsertDocument(spec.query, change, spec.arrayFilters, variables));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id as unknown },
      value: project(spec.new ? doc : null, fields),
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: deleteCommand,
  findAndModify,
  findandmodify: findAndModify,
};
