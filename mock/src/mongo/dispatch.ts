import type { Document } from 'bson';
import { adminCommands } from './admin-commands';
import type { CommandContext, CommandHandler } from './context';
import { CommandError, commandNotFound } from './errors';
import { readCommands } from './read-commands';
import { writeCommands } from './write-commands';

const handlers: Record<string, CommandHandler> = { ...adminCommands, ...readCommands, ...writeCommands };

/**
 * Runs one command to completion. Every handler is synchronous and the server runs commands
 * one at a time, so no other command can interleave with a read-modify-write: single-document
 * atomicity (and `$inc`, conditional updates, unique checks) holds by construction.
 */
export function runCommand(command: Document, context: Omit<CommandContext, 'transaction'>): Document {
  const name = Object.keys(command)[0] ?? '';
  const handler = handlers[name];
  if (!handler) return commandNotFound(name).toResponse();
  let transaction: CommandContext['transaction'] = null;
  try {
    transaction = context.sessions.transactionFor(command);
    const response = handler(command, { ...context, transaction });
    // As on the real server, a failed write inside a transaction aborts the transaction.
    if (transaction && response.writeErrors) transaction.abort();
    return response;
  } catch (error) {
    transaction?.abort();
    if (error instanceof CommandError) return error.toResponse();
    return new CommandError(1, 'InternalError', error instanceof Error ? error.message : String(error)).toResponse();
  }
}
