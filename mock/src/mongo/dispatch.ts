import { Binary, Long, type Document } from 'bson';
import { adminCommands } from './admin-commands';
import type { AwaitingHandler, CommandContext } from './context';
import { CommandError, commandNotFound } from './errors';
import { getMore, readCommands } from './read-commands';
import { refuseUnsupported } from './unsupported';
import { writeCommands } from './write-commands';

const handlers: Record<string, AwaitingHandler> = {
  ...adminCommands,
  ...readCommands,
  ...writeCommands,
  getMore,
};

/**
 * Runs one command to completion. Every handler is synchronous and the server runs commands
 * one at a time, so no other command can interleave with a read-modify-write: single-document
 * atomicity (and `$inc`, conditional updates, unique checks) holds by construction.
 */
export function runCommand(
  command: Document,
  context: Omit<CommandContext, 'transaction'>,
): Document | Promise<Document> {
  const response = run(command, context);
  return response instanceof Promise
    ? response.then((later) => withClusterTime(later, context))
    : withClusterTime(response, context);
}

/** Every reply carries the cluster time, so the driver's causally consistent sessions work. */
function withClusterTime(response: Document, context: Omit<CommandContext, 'transaction'>): Document {
  const clusterTime = context.store.operationTime;
  response.operationTime = clusterTime;
  response.$clusterTime = { clusterTime, signature: UNSIGNED };
  return response;
}

function toResponse(error: unknown): Document {
  if (error instanceof CommandError) return error.toResponse();
  return new CommandError(
    1,
    'InternalError',
    error instanceof Error ? error.message : String(error),
  ).toResponse();
}

/** Sessions are not authenticated here, so cluster times carry the all-zero signature of an unsigned cluster. */
const UNSIGNED = { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) };

/** What a transaction may run, as in MongoDB 7.0; anything else is OperationNotSupportedInTransaction (263). */
const IN_TRANSACTION = new Set([
  'find',
  'getMore',
  'killCursors',
  'aggregate',
  'distinct',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'createIndexes',
  'commitTransaction',
  'abortTransaction',
  'explain',
]);

function run(command: Document, context: Omit<CommandContext, 'transaction'>): Document | Promise<Document> {
  const name = Object.keys(command)[0] ?? '';
  const handler = handlers[name];
  if (!handler) return commandNotFound(name).toResponse();
  let transaction: CommandContext['transaction'] = null;
  try {
    context.sessions.abortExpired(Date.now());
    transaction = context.sessions.transactionFor(command);
    if (transaction && !IN_TRANSACTION.has(name)) {
      throw new CommandError(
        263,
        'OperationNotSupportedInTransaction',
        `Cannot run '${name}' in a multi-document transaction.`,
      );
    }
    refuseUnsupported(name, command);
    const response = handler(command, { ...context, transaction });
    if (response instanceof Promise) return response.catch(toResponse);
    // As on the real server, a failed write inside a transaction aborts the transaction.
    if (transaction && response.writeErrors) transaction.abort();
    return response;
  } catch (error) {
    transaction?.abort();
    return toResponse(error);
  }
}
