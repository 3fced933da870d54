// The queue's live updates, whichever BFF instance made the change: one MongoDB change stream
// per process on tickets and windows. A change marks its hall; each marked hall is refreshed
// once (every open stream's ticket in one batch: a constant number of queries per category,
// not per stream), and a change that arrives during a refresh marks the hall again, so it is
// covered by one more refresh instead of being dropped. The driver resumes the change stream
// from its last token after a dropped connection.
import type { FastifyBaseLogger } from 'fastify';
import type { ChangeStream, ChangeStreamDocument, Document } from 'mongodb';
import type { Ticket } from '@onewindow/shared-types';
import type { QueueModels } from './model';

export interface TicketWatch {
  ticketId: string;
  send(ticket: Ticket): void;
}

/** What a refresh needs from the queue: the current views of some tickets of one hall. */
export type ViewsOf = (hallId: string, ticketIds: string[]) => Promise<Map<string, Ticket>>;

interface Watcher extends TicketWatch {
  last: string;
}

const RETRY_MS = 1_000;

export class QueueLiveFeed {
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Halls being refreshed, and whether another change came in meanwhile. */
  private readonly refreshing = new Map<string, boolean>();
  private streams: ChangeStream[] = [];
  private closed = false;
  private opening: Promise<void> | null = null;

  constructor(
    private readonly models: QueueModels,
    private readonly viewsOf: ViewsOf,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Follows one ticket of `hallId`; `initial` is the view the stream already sent. Returns the unsubscribe. */
  async watch(hallId: string, initial: Ticket, watch: TicketWatch): Promise<() => void> {
    await this.open();
    const watcher: Watcher = { ...watch, last: JSON.stringify(initial) };
    let set = this.watchers.get(hallId);
    if (!set) this.watchers.set(hallId, (set = new Set()));
    set.add(watcher);
    // A change between the initial read and this subscription would otherwise be missed.
    this.mark(hallId);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.watchers.delete(hallId);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.streams.map((s) => s.close().catch(() => undefined)));
    this.streams = [];
  }

  /** Opens the change streams once, at the first watcher (most instances' tests never need them). */
  private open(): Promise<void> {
    this.opening ??= this.follow();
    return this.opening;
  }

  private async follow(): Promise<void> {
    const kinds = { $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } } };
    for (const model of [this.models.Ticket, this.models.Window]) {
      const stream = model.collection.watch<Document>([kinds], { fullDocument: 'updateLookup' });
      stream.on('change', (change: ChangeStreamDocument<Document>) => this.onChange(change));
      stream.on('error', (error: unknown) => {
        if (this.closed) return;
        // Not resumable (the driver resumes the rest itself): start again from now, and refresh every
        // watched hall, since changes in between are unknown.
        this.log.warn({ err: error }, 'queue change stream failed; reopening');
        this.streams = this.streams.filter((s) => s !== stream);
        setTimeout(() => {
          if (this.closed) return;
          this.opening = this.follow();
          for (const hallId of this.watchers.keys()) this.mark(hallId);
        }, RETRY_MS).unref();
      });
      this.streams.push(stream);
    }
  }

  private onChange(change: ChangeStreamDocument<Document>): void {
    const hallId = 'fullDocument' in change ? (change.fullDocument?.hallId as string | undefined) : undefined;
    if (hallId) return this.mark(hallId);
    // A deleted document names no hall (a number that could not be issued): every watched hall looks again.
    for (const watched of this.watchers.keys()) this.mark(watched);
  }

  private mark(hallId: string): void {
    if (!this.watchers.has(hallId)) return;
    if (this.refreshing.has(hallId)) {
      this.refreshing.set(hallId, true);
      return;
    }
    this.refreshing.set(hallId, false);
    void this.refresh(hallId);
  }

  private async refresh(hallId: string): Promise<void> {
    try {
      const watchers = [...(this.watchers.get(hallId) ?? [])];
      if (watchers.length > 0) {
        const views = await this.viewsOf(hallId, [...new Set(watchers.map((w) => w.ticketId))]);
        for (const watcher of watchers) {
          const view = views.get(watcher.ticketId);
          const text = view && JSON.stringify(view);
          if (!view || text === watcher.last) continue;
          watcher.last = text!;
          watcher.send(view);
        }
      }
    } catch (error) {
      this.log.warn({ err: error, hallId }, 'queue live refresh failed; the next change retries it');
    }
    const again = this.refreshing.get(hallId);
    this.refreshing.delete(hallId);
    if (again) this.mark(hallId);
  }
}
