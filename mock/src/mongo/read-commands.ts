import { Aggregator, ProcessingMode } from 'mingo';
import { Long, type Document } from 'bson';
import { collectionOf, type AwaitingHandler, type CommandHandler } from './context';
import { CommandError, badValue } from './errors';
import { collatorOf, distinctCollated } from './collation';
import { countMatching, countShape, leadingStages, select } from './matching';
import { getPath, keyOf } from './values';
import { explain } from './explain';
import type { CountCommand, FindCommand } from './command-fields';

const find: CommandHandler = (command, context) => {
  const name = String(command.find);
  const spec = command as FindCommand;
  const limit = typeof spec.limit === 'number' ? spec.limit : 0;
  const docs = select(collectionOf(context, name, false), spec.filter, {
    sort: spec.sort,
    skip: spec.skip,
    limit,
    projection: spec.projection,
    variables: spec.let,
    collator: collatorOf(spec.collation),
  });
  const singleBatch = command.singleBatch === true || limit < 0;
  return context.cursors.first(`${context.db}.${name}`, docs, command.batchSize, singleBatch);
};

/** getMore: from a change stream it may wait for the next change (awaitData), so it alone can answer later. */
export const getMore: AwaitingHandler = (command, context) => {
  const id = Number(command.getMore);
  if (context.changeStreams.owns(id))
    return context.changeStreams.more(
      id,
      String(command.collection),
      context.db,
      command.batchSize,
      command.maxTimeMS,
    );
  return context.cursors.more(id, String(command.collection), context.db, command.batchSize);
};

const killCursors: CommandHandler = (command, context) => {
  const ids = ((command.cursors as unknown[]) ?? []).map(Number);
  const streams = ids.filter((id) => context.changeStreams.kill(id));
  const reply = context.cursors.kill(ids.filter((id) => !streams.includes(id)));
  (reply.cursorsKilled as Long[]).push(...streams.map((id) => Long.fromNumber(id)));
  return reply;
};

const count: CommandHandler = (command, context) => {
  const spec = command as CountCommand;
  const n = countMatching(collectionOf(context, String(command.count), false), spec.query, {
    skip: spec.skip,
    limit: spec.limit,
    collator: collatorOf(spec.collation),
  });
  return { n, ok: 1 };
};

const distinct: CommandHandler = (command, context) => {
  if (typeof command.key !== 'string') throw badValue("'key' must be a string");
  const collator = collatorOf(command.collation);
  const seen = new Map<string, unknown>();
  const query = (command as CountCommand).query;
  for (const doc of select(collectionOf(context, String(command.distinct), false), query, {
    collator,
  })) {
    const value = getPath(doc, command.key);
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) seen.set(keyOf(v), v);
  }
  return { values: distinctCollated([...seen.values()], collator), ok: 1 };
};

const UNSUPPORTED_STAGES = ['$out', '$merge', '$currentOp', '$collStats', '$indexStats'];

/** Stages that compare no strings, so they may follow a collated $match/$sort. */
const COLLATION_SAFE_STAGES = new Set([
  '$project',
  '$limit',
  '$skip',
  '$count',
  '$addFields',
  '$set',
  '$unset',
]);

/** Stages that build new documents instead of writing into their input (mingo's $set writes into nested objects). */
const READ_ONLY_STAGES = new Set([
  '$group',
  '$count',
  '$project',
  '$match',
  '$sort',
  '$limit',
  '$skip',
  '$sortByCount',
]);

const aggregateCommand: CommandHandler = (command, context) => {
  const pipeline = command.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  for (const [at, stage] of pipeline.entries()) {
    const name = Object.keys(stage)[0];
    if (UNSUPPORTED_STAGES.includes(name)) {
      throw new CommandError(
        115,
        'CommandNotSupported',
        `${name} is not supported by the offline MongoDB server`,
      );
    }
    if (name === '$changeStream' && at > 0)
      throw new CommandError(
        40602,
        'Location40602',
        '$changeStream is only valid as the first stage in a pipeline',
      );
  }
  const batchSize = (command.cursor as { batchSize?: unknown } | undefined)?.batchSize;
  if (pipeline[0] && '$changeStream' in pipeline[0]) {
    return context.changeStreams.start(
      context.db,
      typeof command.aggregate === 'string' ? command.aggregate : null,
      pipeline,
      batchSize,
    );
  }
  const name = typeof command.aggregate === 'string' ? command.aggregate : '$cmd.aggregate';
  const variables = command.let as Document | undefined;
  const { filter, sort, limit, rest } = leadingStages(pipeline);
  const collator = collatorOf(command.collation);
  if (typeof command.aggregate === 'string' && !sort) {
    const counted = countShape(rest);
    if (counted) {
      const n = countMatching(collectionOf(context, name, false), filter, {
        skip: counted.skip,
        limit: counted.limit,
        variables,
        collator,
      });
      const docs = n > 0 ? [{ _id: counted.groupId, [counted.field]: n }] : [];
      return context.cursors.first(
        `${context.db}.${name}`,
        docs,
        (command.cursor as Document | undefined)?.batchSize,
      );
    }
  }
  // Later stages run in mingo, which compares strings in binary: under a collation only stages that compare none.
  const refusedStage = collator
    ? rest.find((stage) => !COLLATION_SAFE_STAGES.has(Object.keys(stage)[0]))
    : undefined;
  if (refusedStage)
    throw new CommandError(
      72,
      'InvalidOptions',
      `${Object.keys(refusedStage)[0]} after the leading $match/$sort under a collation is not supported by the offline MongoDB server`,
    );
  const source =
    typeof command.aggregate === 'string'
      ? select(collectionOf(context, name, false), filter, { sort, limit, variables, collator })
      : [];
  let docs: Document[];
  try {
    // Not mingo's `aggregate()`: it rebuilds the operator table on every call. Inputs are cloned
    // because stages such as $set would otherwise write into the stored documents.
    docs =
      rest.length === 0
        ? source
        : new Aggregator(rest, {
            collectionResolver: (other: string) => collectionOf(context, other, false)?.all() ?? [],
            processingMode: rest.every((stage) => READ_ONLY_STAGES.has(Object.keys(stage)[0]))
              ? ProcessingMode.CLONE_OFF
              : ProcessingMode.CLONE_INPUT,
            ...(variables ? { variables } : {}),
          }).run<Document>(source);
  } catch (error) {
    throw badValue(error instanceof Error ? error.message : String(error));
  }
  return context.cursors.first(
    `${context.db}.${name}`,
    docs,
    (command.cursor as Document | undefined)?.batchSize,
  );
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  killCursors,
  count,
  distinct,
  aggregate: aggregateCommand,
  explain,
};
