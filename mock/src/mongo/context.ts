import type { Document, ObjectId } from 'bson';
import type { Collection } from './collection';
import type { ChangeStreams } from './change-streams';
import type { Cursors } from './cursors';
import type { Store } from './store';
import type { Sessions, Transaction } from './transactions';

/** What a command handler may use: the store (or its transaction's view of it) and the cursors. */
export interface CommandContext {
  store: Store;
  sessions: Sessions;
  cursors: Cursors;
  changeStreams: ChangeStreams;
  transaction: Transaction | null;
  db: string;
  hostPort: string;
  connectionId: number;
  /** This server's run: a driver tells a restarted server by it (hello's topologyVersion). */
  processId: ObjectId;
}

export type CommandHandler = (command: Document, context: CommandContext) => Document;

/** A command whose answer may wait (a change stream's getMore awaiting data). */
export type AwaitingHandler = (command: Document, context: CommandContext) => Document | Promise<Document>;

/** The collection as this command sees it: inside a transaction, the transaction's snapshot. */
export function collectionOf(context: CommandContext, name: string, create: boolean): Collection | undefined {
  if (context.transaction) return context.transaction.view(context.db, name, create);
  return create ? context.store.obtain(context.db, name).collection : context.store.get(context.db, name);
}
