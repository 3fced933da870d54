import { Aggregator } from 'mingo';
import type { Document } from 'bson';
import { collectionOf, type CommandHandler } from './context';
import { CommandError, badValue } from './errors';
import { select } from './matching';
import { getPath, keyOf } from './values';

const find: CommandHandler = (command, context) => {
  const name = String(command.find);
  const limit = typeof command.limit === 'number' ? command.limit : 0;
  const docs = select(collectionOf(context, name, false), command.filter, {
    sort: command.sort,
    skip: command.skip,
    limit,
    projection: command.projection,
  });
  const singleBatch = command.singleBatch === true || limit < 0;
  return context.cursors.first(`${context.db}.${name}`, docs, command.batchSize, singleBatch);
};

const getMore: CommandHandler = (command, context) =>
  context.cursors.more(Number(command.getMore), String(command.collection), context.db, command.batchSize);

const killCursors: CommandHandler = (command, context) =>
  context.cursors.kill(((command.cursors as unknown[]) ?? []).map(Number));

const count: CommandHandler = (command, context) => {
  const docs = select(collectionOf(context, String(command.count), false), command.query, {
    skip: command.skip,
    limit: command.limit,
  });
  return { n: docs.length, ok: 1 };
};

const distinct: CommandHandler = (command, context) => {
  if (typeof command.key !== 'string') throw badValue("'key' must be a string");
  const seen = new Map<string, unknown>();
  for (const doc of select(collectionOf(context, String(command.distinct), false), command.query)) {
    const value = getPath(doc, command.key);
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) seen.set(keyOf(v), v);
  }
  return { values: [...seen.values()], ok: 1 };
};

const UNSUPPORTED_STAGES = ['$out', '$merge', '$changeStream', '$currentOp', '$collStats', '$indexStats'];

const aggregateCommand: CommandHandler = (command, context) => {
  const pipeline = command.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (UNSUPPORTED_STAGES.includes(name)) {
      throw new CommandError(115, 'CommandNotSupported', `${name} is not supported by the offline MongoDB server`);
    }
  }
  const name = typeof command.aggregate === 'string' ? command.aggregate : '$cmd.aggregate';
  const source = typeof command.aggregate === 'string' ? (collectionOf(context, name, false)?.all() ?? []) : [];
  let docs: Document[];
  try {
    // Not mingo's `aggregate()`: it rebuilds the operator table on every call.
    docs = new Aggregator(pipeline, { collectionResolver: (other: string) => collectionOf(context, other, false)?.all() ?? [] }).run(source) as Document[];
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
  return context.cursors.first(`${context.db}.${name}`, docs, (command.cursor as Document | undefined)?.batchSize);
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate: aggregateCommand,
};

