import { Aggregator } from 'mingo';
import { Long, type Document, type Timestamp } from 'bson';
import { CommandError, badValue } from './errors';
import type { Store } from './store';
import { keyOf } from './values';

/** One committed change as the store saw it; the event a stream delivers is built from it when read. */
export interface Change {
  db: string;
  coll: string;
  key?: string;
  doc?: Document | null;
  previous?: Document;
  replaced?: boolean;
  drop?: boolean;
  clusterTime: Timestamp;
}

interface LoggedChange extends Change {
  seq: number;
  wallTime: Date;
}

/** How many changes at least stay resumable: older resume tokens get ChangeStreamHistoryLost, like an oplog that rolled over. */
const RETAINED_CHANGES = 10_000;

/**
 * The server's oplog, as far as change streams need one: the recent committed changes in order.
 * Stored documents are never mutated, so keeping references to the old and new versions is
 * safe, and an update's description is only computed for a stream that reads it.
 */
export class ChangeLog {
  private readonly changes: LoggedChange[] = [];
  /** Sequence number of the last recorded change (0: none yet). */
  last = 0;
  private readonly waiting = new Set<() => void>();

  record(change: Change): void {
    this.last += 1;
    this.changes.push({ ...change, seq: this.last, wallTime: new Date() });
    // Trimmed in halves, not one by one: shifting a 10,000-entry array on every write would cost more than the write.
    if (this.changes.length >= 2 * RETAINED_CHANGES) this.changes.splice(0, RETAINED_CHANGES);
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  /** The changes after `seq`; throws when some of them are no longer retained. */
  after(seq: number): LoggedChange[] {
    const first = this.changes[0]?.seq ?? this.last + 1;
    if (seq + 1 < first)
      throw new CommandError(
        286,
        'ChangeStreamHistoryLost',
        'Resume of change stream was not possible, as the resume point may no longer be in the oplog.',
      );
    return this.changes.slice(seq + 1 - first);
  }

  /** The sequence of the first change at or after a cluster time. */
  seqAt(time: Timestamp): number {
    const found = this.changes.find((c) => c.clusterTime.greaterThanOrEqual(time));
    return (found?.seq ?? this.last + 1) - 1;
  }

  /** Resolves at the next change, or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiting.add(wake);
    });
  }
}

/** Resume tokens: the change's sequence, and whether it is the invalidate that follows it. */
function token(seq: number, invalidate = false): Document {
  return { _data: `${seq.toString(16).padStart(16, '0')}${invalidate ? '01' : '00'}` };
}

function parseToken(value: unknown): { seq: number; invalidate: boolean } {
  const data = (value as { _data?: unknown } | undefined)?._data;
  if (typeof data !== 'string' || !/^[0-9a-f]{18}$/.test(data))
    throw new CommandError(260, 'InvalidResumeToken', 'Invalid resume token: not one this server issued');
  return { seq: parseInt(data.slice(0, 16), 16), invalidate: data.endsWith('01') };
}

/** An update's description: top-level fields set or changed, and fields removed. */
function describeUpdate(previous: Document, doc: Document): Document {
  const updatedFields: Document = {};
  for (const [field, value] of Object.entries<unknown>(doc))
    if (!(field in previous) || keyOf(previous[field]) !== keyOf(value)) updatedFields[field] = value;
  const removedFields = Object.keys(previous).filter((field) => !(field in doc));
  return { updatedFields, removedFields, truncatedArrays: [] };
}

interface StreamCursor {
  id: number;
  db: string;
  /** null for a whole-database stream. */
  coll: string | null;
  namespace: string;
  position: number;
  stages: Document[];
  fullDocument: string;
  closed: boolean;
}

const FULL_DOCUMENT = ['default', 'updateLookup', 'whenAvailable', 'required'];
/** How long a getMore waits for a change when the client names no maxTimeMS (MongoDB's awaitData default). */
const DEFAULT_AWAIT_MS = 1000;

/** Change stream cursors: `aggregate` with a leading `$changeStream`, answered batch by batch by `getMore`. */
export class ChangeStreams {
  private readonly open = new Map<number, StreamCursor>();

  constructor(
    private readonly store: Store,
    private readonly nextCursorId: () => number,
  ) {}

  owns(id: number): boolean {
    return this.open.has(id);
  }

  kill(id: number): boolean {
    return this.open.delete(id);
  }

  /** Opens a stream for `aggregate: coll` (or `aggregate: 1` for the database) and answers its first batch. */
  start(db: string, coll: string | null, pipeline: Document[], batchSize: unknown): Document {
    const spec = pipeline[0].$changeStream as Document;
    if (!spec || typeof spec !== 'object') throw badValue('$changeStream stage expects a document');
    const fullDocument = spec.fullDocument === undefined ? 'default' : String(spec.fullDocument);
    if (!FULL_DOCUMENT.includes(fullDocument))
      throw badValue(`unrecognised fullDocument mode ${fullDocument}`);
    if (spec.allChangesForCluster)
      throw new CommandError(
        72,
        'InvalidOptions',
        'allChangesForCluster is not supported by the offline MongoDB server',
      );
    let position = this.store.changes.last;
    if (spec.resumeAfter !== undefined) {
      const resume = parseToken(spec.resumeAfter);
      if (resume.invalidate)
        throw new CommandError(
          260,
          'InvalidResumeToken',
          "Attempting to resume a change stream using 'resumeAfter' is not allowed from an invalidate notification.",
        );
      position = resume.seq;
    } else if (spec.startAfter !== undefined) {
      position = parseToken(spec.startAfter).seq;
    } else if (spec.startAtOperationTime !== undefined) {
      position = this.store.changes.seqAt(spec.startAtOperationTime as Timestamp);
    }
    const cursor: StreamCursor = {
      id: this.nextCursorId(),
      db,
      coll,
      namespace: `${db}.${coll ?? '$cmd.aggregate'}`,
      position,
      stages: pipeline.slice(1),
      fullDocument,
      closed: false,
    };
    const { batch, resumeToken } = this.read(cursor, batchSize);
    if (!cursor.closed) this.open.set(cursor.id, cursor);
    return {
      cursor: {
        firstBatch: batch,
        postBatchResumeToken: resumeToken,
        id: Long.fromNumber(cursor.closed ? 0 : cursor.id),
        ns: cursor.namespace,
      },
      ok: 1,
    };
  }

  /** getMore: the changes since the last batch, waiting up to maxTimeMS for one when there are none yet. */
  async more(
    id: number,
    collection: string,
    db: string,
    batchSize: unknown,
    maxTimeMS: unknown,
  ): Promise<Document> {
    const cursor = this.open.get(id)!;
    if (cursor.namespace !== `${db}.${collection}`) {
      throw new CommandError(
        13,
        'Unauthorized',
        `Requested getMore on namespace '${db}.${collection}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    if (this.store.changes.last <= cursor.position)
      await this.store.changes.next(
        typeof maxTimeMS === 'number' && maxTimeMS > 0 ? maxTimeMS : DEFAULT_AWAIT_MS,
      );
    const { batch, resumeToken } = this.read(cursor, batchSize);
    if (cursor.closed) this.open.delete(id);
    return {
      cursor: {
        nextBatch: batch,
        postBatchResumeToken: resumeToken,
        id: Long.fromNumber(cursor.closed ? 0 : id),
        ns: cursor.namespace,
      },
      ok: 1,
    };
  }

  private read(cursor: StreamCursor, batchSize: unknown): { batch: Document[]; resumeToken: Document } {
    const limit = typeof batchSize === 'number' && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER;
    const batch: Document[] = [];
    let resumeToken = token(cursor.position);
    for (const change of this.store.changes.after(cursor.position)) {
      if (batch.length >= limit) break;
      cursor.position = change.seq;
      resumeToken = token(change.seq);
      if (change.db !== cursor.db || (cursor.coll !== null && change.coll !== cursor.coll)) continue;
      const event = this.event(cursor, change);
      const [delivered] =
        cursor.stages.length > 0 ? new Aggregator(cursor.stages).run<Document>([event]) : [event];
      if (delivered) batch.push(delivered);
      // Dropping the watched collection ends its stream: the drop, then an invalidate.
      if (change.drop && cursor.coll !== null) {
        resumeToken = token(change.seq, true);
        batch.push({
          _id: resumeToken,
          operationType: 'invalidate',
          clusterTime: change.clusterTime,
          wallTime: change.wallTime,
        });
        cursor.closed = true;
        break;
      }
    }
    return { batch, resumeToken };
  }

  private event(cursor: StreamCursor, change: LoggedChange): Document {
    const base = {
      _id: token(change.seq),
      clusterTime: change.clusterTime,
      wallTime: change.wallTime,
      ns: { db: change.db, coll: change.coll },
    };
    if (change.drop) return { ...base, operationType: 'drop' };
    const documentKey = { _id: (change.doc ?? change.previous)!._id as unknown };
    if (!change.doc) return { ...base, operationType: 'delete', documentKey };
    if (!change.previous) return { ...base, operationType: 'insert', fullDocument: change.doc, documentKey };
    if (change.replaced) return { ...base, operationType: 'replace', fullDocument: change.doc, documentKey };
    const event: Document = {
      ...base,
      operationType: 'update',
      documentKey,
      updateDescription: describeUpdate(change.previous, change.doc),
    };
    if (cursor.fullDocument !== 'default') {
      // updateLookup reads the document as it is now, which may be later than this change (or gone).
      event.fullDocument = this.store.get(change.db, change.coll)?.docs.get(change.key!) ?? null;
    }
    return event;
  }
}
