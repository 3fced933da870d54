import type { Document } from 'bson';
import type {
  CountCommand,
  DeleteStatement,
  FindAndModifyCommand,
  FindCommand,
  UpdateStatement,
} from './command-fields';
import { collectionOf, type CommandContext, type CommandHandler } from './context';
import { collatorOf } from './collation';
import { CommandError } from './errors';
import { countMatching, countShape, leadingStages, select, type Execution } from './matching';

interface Shape {
  filter: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
  /** The write or count stage on top: UPDATE, DELETE, COUNT. */
  top?: string;
  collation?: unknown;
}

const isEmpty = (doc: Document | undefined) => !doc || Object.keys(doc).length === 0;

/** The stage tree of an execution, in the shape and with the stage names MongoDB's classic engine uses. */
function stages(execution: Execution, shape: Shape, withStats: boolean): Document {
  const stats = (doc: Document, extra: Document) =>
    withStats ? { ...doc, nReturned: execution.nReturned, ...extra } : doc;
  const { plan } = execution;
  let stage: Document;
  if (!plan?.index) {
    stage = stats(
      { stage: 'COLLSCAN', ...(isEmpty(shape.filter) ? {} : { filter: shape.filter }), direction: 'forward' },
      { docsExamined: execution.docsExamined },
    );
  } else {
    const index = plan.index;
    const scan = {
      keyPattern: index.spec.key,
      indexName: index.name,
      isMultiKey: index.multikey,
      isUnique: Boolean(index.spec.unique) || index.name === '_id_',
      isSparse: Boolean(index.spec.sparse),
      isPartial: Boolean(index.spec.partialFilterExpression),
      indexVersion: 2,
      direction: plan.reverse ? 'backward' : 'forward',
      indexBounds: plan.indexBounds(),
    };
    if (execution.countScan) {
      stage = stats({ stage: 'COUNT_SCAN', ...scan }, { keysExamined: execution.keysExamined });
    } else {
      const ixscan = plan.branchBounds
        ? stats(
            {
              stage: 'OR',
              inputStages: plan.branchBounds.map((bounds) => ({
                stage: 'IXSCAN',
                ...scan,
                indexBounds: bounds(),
              })),
            },
            { keysExamined: execution.keysExamined },
          )
        : stats({ stage: 'IXSCAN', ...scan }, { keysExamined: execution.keysExamined });
      stage = stats(
        { stage: 'FETCH', ...(plan.exact ? {} : { filter: shape.filter }), inputStage: ixscan },
        { docsExamined: execution.docsExamined },
      );
    }
  }
  if (!isEmpty(shape.sort) && !plan?.sorted)
    stage = {
      stage: 'SORT',
      sortPattern: shape.sort,
      ...(shape.limit ? { limitAmount: shape.limit } : {}),
      inputStage: stage,
    };
  if (shape.skip) stage = { stage: 'SKIP', skipAmount: shape.skip, inputStage: stage };
  if (shape.limit && (isEmpty(shape.sort) || plan?.sorted))
    stage = { stage: 'LIMIT', limitAmount: Math.abs(shape.limit), inputStage: stage };
  if (!isEmpty(shape.projection))
    stage = { stage: 'PROJECTION_SIMPLE', transformBy: shape.projection, inputStage: stage };
  if (shape.top) stage = { stage: shape.top, inputStage: stage };
  return stage;
}

function plannerOutput(
  namespace: string,
  execution: Execution,
  shape: Shape,
  verbosity: string,
  started: number,
): Document {
  const output: Document = {
    queryPlanner: {
      namespace,
      indexFilterSet: false,
      parsedQuery: shape.filter,
      winningPlan: stages(execution, shape, false),
      rejectedPlans: [],
    },
  };
  if (verbosity !== 'queryPlanner') {
    output.executionStats = {
      executionSuccess: true,
      nReturned: execution.nReturned,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: execution.keysExamined,
      totalDocsExamined: execution.docsExamined,
      executionStages: stages(execution, shape, true),
    };
  }
  return output;
}

function run(
  context: CommandContext,
  name: string,
  shape: Shape,
  variables: Document | undefined,
  count: boolean,
): Execution {
  const collection = collectionOf(context, name, false);
  const execution: Execution = { plan: null, keysExamined: 0, docsExamined: 0, nReturned: 0 };
  const collator = collatorOf(shape.collation);
  if (count)
    countMatching(
      collection,
      shape.filter,
      { skip: shape.skip, limit: shape.limit, variables, collator },
      execution,
    );
  else
    select(
      collection,
      shape.filter,
      {
        sort: shape.sort,
        skip: shape.skip,
        limit: shape.limit,
        projection: shape.projection,
        variables,
        collator,
      },
      execution,
    );
  return execution;
}

/** The shape of the query part of an explained command; writes are planned, never performed. */
function shapeOf(name: string, inner: Document): { collection: string; shape: Shape; count?: boolean } {
  switch (name) {
    case 'find': {
      const find = inner as FindCommand;
      return {
        collection: String(inner.find),
        shape: {
          filter: find.filter ?? {},
          sort: find.sort,
          skip: find.skip,
          limit: find.limit,
          projection: find.projection,
          collation: find.collation,
        },
      };
    }
    case 'count': {
      const count = inner as CountCommand;
      return {
        collection: String(inner.count),
        shape: {
          filter: count.query ?? {},
          skip: count.skip,
          limit: count.limit,
          top: 'COUNT',
          collation: count.collation,
        },
        count: true,
      };
    }
    case 'distinct': {
      const distinct = inner as CountCommand;
      return {
        collection: String(inner.distinct),
        shape: { filter: distinct.query ?? {}, collation: distinct.collation },
      };
    }
    case 'update': {
      const op: Partial<UpdateStatement> = ((inner.updates as UpdateStatement[]) ?? [])[0] ?? {};
      return {
        collection: String(inner.update),
        shape: {
          filter: op.q ?? {},
          limit: op.multi ? undefined : 1,
          top: 'UPDATE',
          collation: op.collation,
        },
      };
    }
    case 'delete': {
      const op: DeleteStatement = ((inner.deletes as DeleteStatement[]) ?? [])[0] ?? {};
      return {
        collection: String(inner.delete),
        shape: {
          filter: op.q ?? {},
          limit: op.limit === 1 ? 1 : undefined,
          top: 'DELETE',
          collation: op.collation,
        },
      };
    }
    case 'findAndModify':
    case 'findandmodify': {
      const findAndModify = inner as FindAndModifyCommand;
      return {
        collection: String(inner[name]),
        shape: {
          filter: findAndModify.query ?? {},
          sort: findAndModify.sort,
          limit: 1,
          top: inner.remove === true ? 'DELETE' : 'UPDATE',
          collation: findAndModify.collation,
        },
      };
    }
  }
  throw new CommandError(2, 'BadValue', `Explain failed due to unknown command: ${name}`);
}

/** `explain` of find, count, distinct, aggregate, update, delete and findAndModify, as `cursor.explain()` and mongoose send it. */
export const explain: CommandHandler = (command, context) => {
  const inner = command.explain as Document;
  if (!inner || typeof inner !== 'object')
    throw new CommandError(2, 'BadValue', 'explain command requires a nested object');
  const name = Object.keys(inner)[0];
  const verbosity = typeof command.verbosity === 'string' ? command.verbosity : 'allPlansExecution';
  const started = Date.now();
  const serverInfo = {
    host: context.hostPort,
    port: Number(context.hostPort.split(':')[1]),
    version: '7.0.0',
    gitVersion: 'offline',
  };
  if (name === 'aggregate') {
    const pipeline = (inner.pipeline as Document[]) ?? [];
    const { filter, sort, limit, rest } = leadingStages(pipeline);
    const collection = String(inner.aggregate);
    // `countDocuments`' pipeline is executed as a count (read-commands.ts): explained as one too.
    const counted = typeof inner.aggregate === 'string' && !sort ? countShape(rest) : null;
    const shape: Shape = counted
      ? { filter, skip: counted.skip, limit: counted.limit, collation: inner.collation }
      : { filter, sort, limit, collation: inner.collation };
    const execution = run(context, collection, shape, inner.let as Document | undefined, Boolean(counted));
    const cursor = plannerOutput(`${context.db}.${collection}`, execution, shape, verbosity, started);
    if (rest.length === 0) return { explainVersion: '1', ...cursor, command: inner, serverInfo, ok: 1 };
    return { explainVersion: '1', stages: [{ $cursor: cursor }, ...rest], command: inner, serverInfo, ok: 1 };
  }
  const { collection, shape, count } = shapeOf(name, inner);
  const execution = run(context, collection, shape, inner.let as Document | undefined, Boolean(count));
  return {
    explainVersion: '1',
    ...plannerOutput(`${context.db}.${collection}`, execution, shape, verbosity, started),
    command: inner,
    serverInfo,
    ok: 1,
  };
};
