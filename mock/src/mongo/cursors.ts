import { Long, type Document } from 'bson';
import { CommandError } from './errors';

interface OpenCursor {
  namespace: string;
  docs: Document[];
  position: number;
  touched: number;
}

/** Idle cursors are reaped after the server's default cursorTimeoutMillis. */
const CURSOR_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_FIRST_BATCH = 101;

/** Server-side cursors: results beyond the first batch wait here for getMore. */
export class Cursors {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000);

  /** A fresh cursor id (change streams take theirs from here too, so ids never collide). */
  allocateId(): number {
    return this.nextId++;
  }

  /** The `cursor` reply of find/aggregate/listIndexes/listCollections. */
  first(namespace: string, docs: Document[], batchSize: unknown, singleBatch = false): Document {
    const size = typeof batchSize === 'number' && batchSize >= 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const firstBatch = singleBatch ? docs : docs.slice(0, size);
    let id = 0;
    if (firstBatch.length < docs.length) {
      id = this.allocateId();
      this.open.set(id, { namespace, docs, position: firstBatch.length, touched: Date.now() });
    }
    return { cursor: { id: Long.fromNumber(id), ns: namespace, firstBatch }, ok: 1 };
  }

  more(id: number, collection: string, db: string, batchSize: unknown): Document {
    this.reap();
    const cursor = this.open.get(id);
    if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
    if (cursor.namespace !== `${db}.${collection}`) {
      throw new CommandError(
        13,
        'Unauthorized',
        `Requested getMore on namespace '${db}.${collection}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    const size = typeof batchSize === 'number' && batchSize > 0 ? batchSize : cursor.docs.length;
    const nextBatch = cursor.docs.slice(cursor.position, cursor.position + size);
    cursor.position += nextBatch.length;
    cursor.touched = Date.now();
    const exhausted = cursor.position >= cursor.docs.length;
    if (exhausted) this.open.delete(id);
    return { cursor: { id: Long.fromNumber(exhausted ? 0 : id), ns: cursor.namespace, nextBatch }, ok: 1 };
  }

  kill(ids: number[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  private reap(): void {
    const limit = Date.now() - CURSOR_TIMEOUT_MS;
    for (const [id, cursor] of this.open) if (cursor.touched < limit) this.open.delete(id);
  }
}
