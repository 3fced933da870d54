// Queue numbers: taking one, position and estimate, alerts, the hall display, and the window's
// actions. Every change is announced on the queue bus, which feeds the citizens' live streams
// and the near-the-front alerts.
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Hall, Ticket } from '@onewindow/shared-types';
import type { Config } from '../../config';
import type { ActedBy } from '../../plugins/acting';
import { AppError } from '../../errors';
import { maskStaffNumber } from '../../identity-protection';
import type { AccessClaims } from '../../plugins/auth';
import { shanghaiDate } from '@onewindow/shared-types/shanghai-time';
import { isOpenAt } from '../catalogue';
import type { CatalogueService } from '../catalogue/service';
import type { Notifier } from '../messages';
import {
  EITHER_KIND,
  NOT_IN_LINE,
  ORDINARY,
  PRIORITIZED,
  type PriorityReason,
  type QueueModels,
  type TicketDoc,
} from './model';
import { callingOrder, ticketsAhead } from './order';
import { QueueLiveFeed, type TicketWatch } from './live-feed';
import type { TicketIssuer } from './tickets';
import { isDocumentId } from '../../document-id';

const LIVE = ['waiting', 'called', 'serving'];
const REJOIN_BEHIND = 3;
/** Service times counted in the estimate: the most recent ones of the category. */
const RECENT_SERVICES = 20;
const AVERAGE_TTL_MS = 5_000;
const OPEN_WINDOWS_TTL_MS = 1_000;
/** Waiting tickets listed per line at the window (to flag 绿色通道); the count covers them all. */
const WINDOW_LINE_PREVIEW = 8;
/** Calls listed on the hall screen besides the current ones. */
const RECENT_CALLS = 6;

export type QueueConfig = Config['queue'];

function ageOn(idNumber: string, day: string): number {
  const birth = idNumber.slice(6, 14);
  const today = day.replace(/-/g, '');
  return Math.floor((Number(today) - Number(birth)) / 10_000);
}

/** A ticket as other features see it: not the stored document. */
export interface TicketFacts {
  id: string;
  status: TicketDoc['status'];
  hallId: string;
  number: string | null;
  windowId: string | null;
  servedBy: string | null;
  appointmentId: string | null;
  completedAt: Date | null;
}

export class QueueService {
  private readonly live: QueueLiveFeed;

  constructor(
    private readonly models: QueueModels,
    private readonly issuer: TicketIssuer,
    private readonly catalogue: CatalogueService,
    private readonly identityNumber: (userId: string) => Promise<string | null>,
    private readonly maskedName: (userId: string) => Promise<string | null>,
    private readonly notifier: Notifier,
    private readonly config: QueueConfig,
    private readonly now: () => Date,
    log: FastifyBaseLogger,
  ) {
    this.live = new QueueLiveFeed(models, (hallId, ids) => this.viewsOf(hallId, ids), log);
  }

  /**
   * The citizen's ticket now, then again through `send` whenever it changes, on whichever
   * instance the change was made. `stop` ends the subscription.
   */
  async follow(
    userId: string,
    id: string,
    send: TicketWatch['send'],
  ): Promise<{ initial: Ticket; stop: () => void }> {
    const ticket = await this.own(userId, id);
    const initial = await this.view(ticket);
    const stop = await this.live.watch(ticket.hallId, initial, { ticketId: String(ticket._id), send });
    return { initial, stop };
  }

  /** Ends the live feed (the app is closing). */
  closeLive(): Promise<void> {
    return this.live.close();
  }

  private today(): string {
    return shanghaiDate(this.now());
  }

  async queues(hallId: string) {
    const { hall } = await this.catalogue.hall(hallId);
    const queues = await Promise.all(
      hall.categories.map(async (c) => {
        const [waiting, openWindows] = await Promise.all([
          this.waitingCount(hall.id, c.code),
          this.openWindows(hall, c.code),
        ]);
        return {
          category: c.code,
          name: c.name,
          prefix: c.prefix,
          waiting,
          openWindows,
          etaMinutes: await this.eta(hall, c.code, waiting, openWindows),
        };
      }),
    );
    return { hallId: hall.id, open: isOpenAt(hall, this.now()), queues };
  }

  async take(
    userId: string,
    hallId: string,
    category: string,
    actedBy: ActedBy | null = null,
  ): Promise<Ticket> {
    const { hall } = await this.catalogue.hall(hallId);
    const line = hall.categories.find((c) => c.code === category);
    if (!line) throw new AppError('INVALID_INPUT', '该大厅没有这类业务');
    if (!isOpenAt(hall, this.now())) throw new AppError('QUEUE_CLOSED');
    await this.expireStale();
    const idNumber = await this.identityNumber(userId);
    // 绿色通道 from real-name data: 65 or older. Other reasons are flagged at the window.
    const priority: PriorityReason | null =
      idNumber && ageOn(idNumber, this.today()) >= this.config.elderlyAge ? 'elderly' : null;
    const { ticket, stored } = await this.issuer.issue({
      hallId,
      category,
      prefix: line.prefix,
      day: this.today(),
      userId,
      priority,
      appointmentId: null,
      quota: this.config.dailyQuota,
      actedBy,
    });
    const [view] = await Promise.all([this.view(ticket, hall), stored]);
    // A new number only joins the back, unless the queue is short enough to alert it at once.
    this.changed(hallId, view.ahead <= this.config.approachAt ? category : undefined);
    return view;
  }

  /**
   * The priority ticket of a booking checked in at the hall: no quota (the place was booked),
   * announced like any other new ticket so the queue's other citizens see it ahead of them.
   */
  async issueCheckedIn(booking: {
    userId: string;
    hallId: string;
    category: string;
    appointmentId: string;
    bookedStart?: Date;
    actedBy?: ActedBy | null;
  }): Promise<{ id: string; number: string }> {
    const { hall } = await this.catalogue.hall(booking.hallId);
    const prefix =
      hall.categories.find((c) => c.code === booking.category)?.prefix ?? booking.category.slice(0, 1);
    const { ticket, stored } = await this.issuer.issue({
      ...booking,
      prefix,
      day: this.today(),
      priority: 'booking',
      quota: Infinity,
    });
    await stored;
    this.changed(booking.hallId, booking.category);
    return { id: String(ticket._id), number: ticket.number! };
  }

  /** The number of a ticket, for features that refer to one (a checked-in booking). */
  async numberOf(ticketId: string): Promise<string | null> {
    const ticket = await this.models.Ticket.findById(ticketId, { number: 1 }).lean<
      Pick<TicketDoc, 'number'>
    >();
    return ticket?.number ?? null;
  }

  /** The line a citizen's ticket waits in (代办 checks the agent's grant covers it). */
  async lineOf(userId: string, id: string): Promise<{ hallId: string; category: string }> {
    const ticket = await this.own(userId, id);
    return { hallId: ticket.hallId, category: ticket.category };
  }

  async get(userId: string, id: string): Promise<Ticket> {
    await this.expireStale();
    return this.view(await this.own(userId, id));
  }

  async cancel(userId: string, id: string): Promise<Ticket> {
    const ticket = await this.own(userId, id);
    const cancelled = await this.models.Ticket.findOneAndUpdate(
      { _id: ticket._id, status: { $in: ['waiting', 'skipped'] } },
      { $set: { status: 'cancelled', live: false } },
      { returnDocument: 'after' },
    ).lean<TicketDoc>();
    if (!cancelled) throw new AppError('TICKET_NOT_ACTIONABLE');
    this.changed(ticket.hallId, ticket.category);
    return this.view(cancelled);
  }

  /** A skipped citizen who arrives late goes back in once, behind the next three waiting. */
  async rejoin(userId: string, id: string): Promise<Ticket> {
    const ticket = await this.own(userId, id);
    if (ticket.status !== 'skipped' || ticket.rejoined || ticket.day !== this.today())
      throw new AppError('TICKET_NOT_ACTIONABLE', '过号后只能重新排队一次');
    const front = await this.frontOf(ticket.hallId, ticket.category, REJOIN_BEHIND);
    const behind = front[front.length - 1];
    // Just after the third in line: ordered by time, so 1 ms later (or now, if fewer wait).
    const queuedAt = behind ? new Date(behind.queuedAt.getTime() + 1) : this.now();
    const back = await this.models.Ticket.findOneAndUpdate(
      { _id: ticket._id, status: 'skipped', rejoined: false },
      {
        $set: {
          status: 'waiting',
          live: true,
          rejoined: true,
          queuedAt,
          windowId: null,
          calledAt: null,
          calledBy: null,
          'alerted.approach': false,
        },
      },
      { returnDocument: 'after' },
    ).lean<TicketDoc>();
    if (!back) throw new AppError('TICKET_NOT_ACTIONABLE');
    this.changed(ticket.hallId, ticket.category);
    return this.view(back);
  }

  async display(hallId: string) {
    const { hall } = await this.catalogue.hall(hallId);
    const [calling, recent, waiting] = await Promise.all([
      this.models.Ticket.find({ hallId, day: this.today(), status: { $in: ['called', 'serving'] } })
        .sort({ calledAt: -1 })
        .limit(10)
        .lean<TicketDoc[]>(),
      // A ticket sent back to waiting (transfer, rejoin) loses its calledAt, so it leaves this list too.
      this.models.Ticket.find({ hallId, day: this.today(), calledAt: { $ne: null } })
        .sort({ calledAt: -1, _id: -1 })
        .limit(RECENT_CALLS)
        .lean<TicketDoc[]>(),
      Promise.all(
        hall.categories.map(async (c) => ({
          category: c.code,
          name: c.name,
          waiting: await this.waitingCount(hallId, c.code),
        })),
      ),
    ]);
    const call = (t: TicketDoc) => ({
      number: t.number!,
      windowName: hall.windows.find((w) => w.id === t.windowId)?.name ?? '',
      calledAt: t.calledAt!.toISOString(),
    });
    return { hallId, hallName: hall.name, calling: calling.map(call), recent: recent.map(call), waiting };
  }

  // ---- staff -------------------------------------------------------------------------------

  async window(staff: AccessClaims, windowId: string) {
    const { hall } = await this.staffWindow(staff, windowId);
    return this.windowState(hall, windowId);
  }

  async setWindowOpen(staff: AccessClaims, windowId: string, open: boolean) {
    const { hall, window } = await this.staffWindow(staff, windowId);
    if (!open) {
      const current = await this.models.Window.findById(windowId).lean();
      if (
        current?.currentTicketId &&
        (await this.models.Ticket.exists({
          _id: current.currentTicketId,
          status: { $in: ['called', 'serving'] },
        }))
      )
        throw new AppError('WINDOW_BUSY');
    }
    await this.models.Window.updateOne(
      { _id: windowId },
      { $set: { hallId: hall.id, open } },
      { upsert: true },
    );
    this.forgetOpenWindows(hall);
    this.changed(hall.id);
    return this.windowState(hall, window.id);
  }

  async callNext(staff: AccessClaims, windowId: string) {
    const { hall, window } = await this.staffWindow(staff, windowId);
    const state = await this.models.Window.findById(windowId).lean();
    if (
      state?.currentTicketId &&
      (await this.models.Ticket.exists({
        _id: state.currentTicketId,
        status: { $in: ['called', 'serving'] },
      }))
    )
      throw new AppError('WINDOW_BUSY');
    await this.models.Window.updateOne(
      { _id: windowId },
      { $set: { hallId: hall.id, open: true } },
      { upsert: true },
    );
    this.forgetOpenWindows(hall);
    // Another window may claim a candidate first: claim conditionally and move to the next.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const candidate = await this.nextFor(hall, window.categories);
      if (!candidate) throw new AppError('QUEUE_EMPTY');
      const called = await this.models.Ticket.findOneAndUpdate(
        { _id: candidate._id, status: 'waiting' },
        { $set: { status: 'called', windowId, calledAt: this.now(), calledBy: staff.sub } },
        { returnDocument: 'after' },
      ).lean<TicketDoc>();
      if (!called) continue;
      const streakId = `${hall.id}|${called.category}|${called.day}`;
      if (called.priority)
        await this.models.Streak.updateOne({ _id: streakId }, { $inc: { priority: 1 } }, { upsert: true });
      else await this.models.Streak.updateOne({ _id: streakId }, { $set: { priority: 0 } }, { upsert: true });
      await this.models.Window.updateOne(
        { _id: windowId },
        { $set: { currentTicketId: String(called._id) } },
      );
      await this.alertCalled(called, hall, window.name);
      this.changed(hall.id, called.category);
      return this.windowState(hall, windowId);
    }
    throw new AppError('INTERNAL');
  }

  async recall(staff: AccessClaims, id: string) {
    const { ticket, hall, window } = await this.atWindow(staff, id, ['called']);
    await this.models.Ticket.updateOne(
      { _id: ticket._id },
      { $set: { calledAt: this.now(), calledBy: staff.sub } },
    );
    await this.alertCalled(ticket, hall, window.name);
    this.changed(hall.id);
    return this.windowState(hall, window.id);
  }

  async skip(staff: AccessClaims, id: string) {
    const { ticket, hall, window } = await this.atWindow(staff, id, ['called']);
    await this.models.Ticket.updateOne(
      { _id: ticket._id, status: 'called' },
      { $set: { status: 'skipped', live: false, skippedAt: this.now() } },
    );
    await this.models.Window.updateOne({ _id: window.id }, { $set: { currentTicketId: null } });
    this.changed(hall.id);
    return this.windowState(hall, window.id);
  }

  async serve(staff: AccessClaims, id: string) {
    const { ticket, hall, window } = await this.atWindow(staff, id, ['called']);
    await this.models.Ticket.updateOne(
      { _id: ticket._id, status: 'called' },
      { $set: { status: 'serving', servedAt: this.now() } },
    );
    this.changed(hall.id);
    return this.windowState(hall, window.id);
  }

  async complete(staff: AccessClaims, id: string) {
    const { ticket, hall, window } = await this.atWindow(staff, id, ['called', 'serving']);
    const now = this.now();
    const done = await this.models.Ticket.updateOne(
      { _id: ticket._id, status: ticket.status },
      {
        $set: {
          status: 'done',
          live: false,
          completedAt: now,
          servedAt: ticket.servedAt ?? ticket.calledAt,
          servedBy: staff.sub,
        },
      },
    );
    await this.models.Window.updateOne({ _id: window.id }, { $set: { currentTicketId: null } });
    this.changed(hall.id);
    if (done.modifiedCount === 1) {
      await this.notifier.notify({
        userId: ticket.userId,
        kind: 'rating_prompt',
        title: '请为本次窗口服务评价',
        body: `您在${hall.name}${window.name}办理的 ${ticket.number} 号业务已完成，欢迎评价（好差评）。`,
        link: `/packages/rating/rate/index?ticketId=${String(ticket._id)}`,
        dedupeKey: `rate-ticket:${String(ticket._id)}`,
      });
    }
    return this.windowState(hall, window.id);
  }

  /** To another category of the hall, keeping its place by the time it was taken. */
  async transfer(staff: AccessClaims, id: string, category: string) {
    const { ticket, hall, window } = await this.atWindow(staff, id, ['called', 'serving']);
    if (!hall.categories.some((c) => c.code === category) || category === ticket.category)
      throw new AppError('INVALID_INPUT', '请选择本大厅的其他业务类别');
    try {
      await this.models.Ticket.updateOne(
        { _id: ticket._id, status: ticket.status },
        {
          $set: {
            category,
            status: 'waiting',
            queuedAt: ticket.takenAt,
            windowId: null,
            calledAt: null,
            calledBy: null,
            servedAt: null,
            'alerted.approach': false,
          },
        },
      );
    } catch (error) {
      if ((error as { code?: number }).code === 11000)
        throw new AppError('ALREADY_QUEUED', '该群众在目标业务已有排队号');
      throw error;
    }
    await this.models.Window.updateOne({ _id: window.id }, { $set: { currentTicketId: null } });
    this.changed(hall.id, category);
    return this.windowState(hall, window.id);
  }

  /**
   * 绿色通道 flagged at the hall: disabled, pregnant, military, or elderly without real-name data.
   * Only staff of the ticket's hall, only a waiting ordinary ticket (a flag never downgrades a
   * booking), and each flag leaves an audit entry naming the clerk.
   */
  async flagPriority(staff: AccessClaims, id: string, reason: PriorityReason): Promise<Ticket> {
    const ticket = await this.staffTicket(staff, id);
    const at = this.now();
    const flagged = await this.models.Ticket.findOneAndUpdate(
      { _id: ticket._id, status: 'waiting', priority: null },
      { $set: { priority: reason, flaggedBy: { staffId: staff.sub, at } } },
      { returnDocument: 'after' },
    ).lean<TicketDoc>();
    if (!flagged) {
      // Say why as it is now: another clerk may have flagged it since it was read.
      const now = await this.models.Ticket.findById(ticket._id, { priority: 1, status: 1 }).lean<TicketDoc>();
      throw new AppError(
        'TICKET_NOT_ACTIONABLE',
        now?.status === 'waiting' && now.priority ? '该号已是优先号' : '该号已不在等候中，不能标记绿色通道',
      );
    }
    await this.models.Audit.create({
      at,
      action: 'priority_flag',
      actorId: staff.sub,
      hallId: ticket.hallId,
      ticketId: String(ticket._id),
      number: ticket.number,
      reason,
    });
    this.changed(ticket.hallId, ticket.category);
    return this.view(flagged);
  }

  /** The 绿色通道 flags of the staff member's hall, newest first: who flagged which number, why and when. */
  async flags(staff: AccessClaims, ticketId?: string) {
    if (!staff.hallId) throw new AppError('FORBIDDEN');
    const entries = await this.models.Audit.find({ hallId: staff.hallId, ...(ticketId ? { ticketId } : {}) })
      .sort({ at: -1 })
      .limit(100)
      .lean();
    return entries.map((e) => ({
      at: e.at.toISOString(),
      actorId: e.actorId,
      ticketId: e.ticketId,
      number: e.number,
      reason: e.reason,
    }));
  }

  async windowState(hall: Hall, windowId: string) {
    const window = hall.windows.find((w) => w.id === windowId)!;
    const state = await this.models.Window.findById(windowId).lean();
    const found = state?.currentTicketId
      ? await this.models.Ticket.findById(state.currentTicketId).lean<TicketDoc>()
      : null;
    const current = found && LIVE.includes(found.status) ? found : null;
    const [view, holderName, lines] = await Promise.all([
      current ? this.view(current, hall) : null,
      current ? this.maskedName(current.userId) : null,
      Promise.all(window.categories.map((code) => this.line(hall, code))),
    ]);
    return {
      windowId,
      name: window.name,
      open: state?.open ?? false,
      categories: window.categories,
      current: view,
      currentDetail: current ? { holderName, bookedStart: current.bookedStart?.toISOString() ?? null } : null,
      lines,
    };
  }

  /** A line as the window sees it: the whole waiting count and the next few in calling order. */
  private async line(hall: Hall, code: string) {
    const category = hall.categories.find((c) => c.code === code);
    const [waiting, priorityWaiting, next] = await Promise.all([
      this.waitingCount(hall.id, code),
      this.models.Ticket.countDocuments({ ...this.waitingFilter(hall.id, code), ...PRIORITIZED }),
      this.frontOf(hall.id, code, WINDOW_LINE_PREVIEW),
    ]);
    return {
      category: code,
      name: category?.name ?? code,
      prefix: category?.prefix ?? '',
      waiting,
      priorityWaiting,
      next: next.map((t) => ({
        id: String(t._id),
        number: t.number ?? '',
        priority: t.priority,
        takenAt: t.takenAt.toISOString(),
      })),
    };
  }

  // ---- views and order ---------------------------------------------------------------------

  async view(ticket: TicketDoc, knownHall?: Hall): Promise<Ticket> {
    const hall = knownHall ?? (await this.catalogue.hall(ticket.hallId)).hall;
    if (ticket.status !== 'waiting') return this.present(ticket, hall, 0, 0);
    const [ahead, open] = await Promise.all([this.aheadOf(ticket), this.openWindows(hall, ticket.category)]);
    return this.present(ticket, hall, ahead, await this.eta(hall, ticket.category, ahead, open));
  }

  /**
   * The views of several tickets of one hall at once (the live feed's refresh): one read of each
   * category's waiting line, its streak and its open windows, however many tickets are asked for.
   */
  async viewsOf(hallId: string, ticketIds: string[]): Promise<Map<string, Ticket>> {
    const { hall } = await this.catalogue.hall(hallId);
    const tickets = await this.models.Ticket.find({ _id: { $in: ticketIds } }).lean<TicketDoc[]>();
    const positions = new Map<string, number>();
    const openWindows = new Map<string, number>();
    const categories = [...new Set(tickets.filter((t) => t.status === 'waiting').map((t) => t.category))];
    await Promise.all(
      categories.map(async (category) => {
        const [line, streak, open] = await Promise.all([
          this.models.Ticket.find(this.waitingFilter(hallId, category), { priority: 1, queuedAt: 1, seq: 1 })
            .sort({ queuedAt: 1, seq: 1 })
            .lean<TicketDoc[]>(),
          this.streak(hallId, category),
          this.openWindows(hall, category),
        ]);
        callingOrder(line, streak).forEach((t, index) => positions.set(String(t._id), index));
        openWindows.set(category, open);
      }),
    );
    const views = new Map<string, Ticket>();
    for (const ticket of tickets) {
      const waiting = ticket.status === 'waiting';
      const ahead = waiting ? (positions.get(String(ticket._id)) ?? 0) : 0;
      const eta = waiting
        ? await this.eta(hall, ticket.category, ahead, openWindows.get(ticket.category) ?? 0)
        : 0;
      views.set(String(ticket._id), this.present(ticket, hall, ahead, eta));
    }
    return views;
  }

  private present(ticket: TicketDoc, hall: Hall, ahead: number, etaMinutes: number): Ticket {
    const window = ticket.windowId ? hall.windows.find((w) => w.id === ticket.windowId) : undefined;
    return {
      id: String(ticket._id),
      number: ticket.number ?? '',
      hallId: hall.id,
      hallName: hall.name,
      category: ticket.category,
      categoryName: hall.categories.find((c) => c.code === ticket.category)?.name ?? ticket.category,
      status: ticket.status,
      priority: ticket.priority,
      ahead,
      etaMinutes,
      window:
        window && (LIVE.includes(ticket.status) || ticket.status === 'done')
          ? { id: window.id, name: window.name }
          : null,
      clerk: ticket.servedBy && ticket.status === 'done' ? maskStaffNumber(ticket.servedBy) : null,
      canRejoin: ticket.status === 'skipped' && !ticket.rejoined && ticket.day === this.today(),
      takenAt: ticket.takenAt.toISOString(),
      calledAt: ticket.calledAt?.toISOString() ?? null,
      actedByName: ticket.actedBy?.name ?? null,
    };
  }

  /** A line's numbered waiting tickets of both kinds (a caller narrows `priority` to one). */
  private waitingFilter(hallId: string, category: string) {
    return {
      day: this.today(),
      hallId,
      category,
      status: 'waiting' as const,
      ...EITHER_KIND,
      queuedAt: { $lt: NOT_IN_LINE },
    };
  }

  private async waitingCount(hallId: string, category: string): Promise<number> {
    return this.models.Ticket.countDocuments(this.waitingFilter(hallId, category));
  }

  private async streak(hallId: string, category: string): Promise<number> {
    return (await this.models.Streak.findById(`${hallId}|${category}|${this.today()}`).lean())?.priority ?? 0;
  }

  /** Position by counts: no need to read the whole queue to answer one ticket. */
  private async aheadOf(ticket: TicketDoc): Promise<number> {
    const waiting = this.waitingFilter(ticket.hallId, ticket.category);
    const sameKind = ticket.priority ? PRIORITIZED : ORDINARY;
    const otherKind = ticket.priority ? ORDINARY : PRIORITIZED;
    const [before, others, streak] = await Promise.all([
      this.models.Ticket.countDocuments({
        ...waiting,
        ...sameKind,
        $or: [
          { queuedAt: { $lt: ticket.queuedAt } },
          { queuedAt: ticket.queuedAt, seq: { $lt: ticket.seq } },
        ],
      }),
      this.models.Ticket.countDocuments({ ...waiting, ...otherKind }),
      this.streak(ticket.hallId, ticket.category),
    ]);
    return ticketsAhead(Boolean(ticket.priority), before, others, streak);
  }

  /** The first `count` tickets to be called: the oldest of each kind, merged by the rule. */
  private async frontOf(hallId: string, category: string, count: number): Promise<TicketDoc[]> {
    const waiting = this.waitingFilter(hallId, category);
    const oldest = (kind: object) =>
      this.models.Ticket.find({ ...waiting, ...kind })
        .sort({ queuedAt: 1, seq: 1 })
        .limit(count)
        .lean<TicketDoc[]>();
    const [priority, ordinary, streak] = await Promise.all([
      oldest(PRIORITIZED),
      oldest(ORDINARY),
      this.streak(hallId, category),
    ]);
    return callingOrder([...priority, ...ordinary], streak).slice(0, count);
  }

  /** The ticket a window calls next: the head of each category it serves by the rule, priority heads first, then the longest waiting. */
  private async nextFor(hall: Hall, categories: string[]): Promise<TicketDoc | null> {
    const served = categories.filter((c) => hall.categories.some((h) => h.code === c));
    const heads = (await Promise.all(served.map(async (c) => (await this.frontOf(hall.id, c, 1))[0]))).filter(
      Boolean,
    );
    heads.sort(
      (a, b) =>
        Number(Boolean(b.priority)) - Number(Boolean(a.priority)) ||
        a.queuedAt.getTime() - b.queuedAt.getTime(),
    );
    return heads[0] ?? null;
  }

  /**
   * Open windows serving a category, for waiting-time estimates only: read at most once a second
   * per queue, since every take and every live refresh asks and windows open or close a few
   * times a day. A change on this instance is seen at once.
   */
  private readonly openCounts = new Map<string, { count: number; until: number }>();

  private forgetOpenWindows(hall: Hall): void {
    for (const category of hall.categories) this.openCounts.delete(`${hall.id}|${category.code}`);
  }

  private async openWindows(hall: Hall, category: string): Promise<number> {
    const key = `${hall.id}|${category}`;
    const known = this.openCounts.get(key);
    if (known && known.until > performance.now()) return known.count;
    const serving = hall.windows.filter((w) => w.categories.includes(category)).map((w) => w.id);
    const count = await this.models.Window.countDocuments({ _id: { $in: serving }, open: true });
    this.openCounts.set(key, { count, until: performance.now() + OPEN_WINDOWS_TTL_MS });
    return count;
  }

  /** Minutes until `ahead` tickets are served: the recent average service time, shared by the open windows (at least one). */
  private async eta(hall: Hall, category: string, ahead: number, openWindows: number): Promise<number> {
    if (ahead === 0) return 0;
    return Math.ceil(
      (ahead * (await this.averageServiceMinutes(hall.id, category))) / Math.max(1, openWindows),
    );
  }

  /** Service times move slowly: each category's average is read at most every few seconds. */
  private readonly averages = new Map<string, { minutes: number; until: number }>();

  private async averageServiceMinutes(hallId: string, category: string): Promise<number> {
    const key = `${hallId}|${category}`;
    const known = this.averages.get(key);
    if (known && known.until > Date.now()) return known.minutes;
    const recent = await this.models.Ticket.find(
      { hallId, category, status: 'done' },
      { servedAt: 1, completedAt: 1 },
    )
      .sort({ completedAt: -1 })
      .limit(RECENT_SERVICES)
      .lean<TicketDoc[]>();
    const minutes =
      recent.length > 0
        ? recent.reduce((sum, t) => sum + (t.completedAt!.getTime() - t.servedAt!.getTime()), 0) /
          recent.length /
          60_000
        : this.config.defaultServiceMinutes;
    this.averages.set(key, { minutes, until: Date.now() + AVERAGE_TTL_MS });
    return minutes;
  }

  // ---- alerts ------------------------------------------------------------------------------

  /** Queues whose front is being checked for alerts, and whether another change came in meanwhile. */
  private readonly alerting = new Map<string, boolean>();

  /** After a change in a hall: `moved` names a category whose front may have moved up, to check its alerts. */
  private changed(hallId: string, moved?: string): void {
    // Live streams learn of it from the database's change stream (live-feed.ts), on every instance.
    if (moved === undefined) return;
    // One check at a time per queue; changes arriving meanwhile are covered by one more run.
    const key = `${hallId}|${moved}`;
    if (this.alerting.has(key)) {
      this.alerting.set(key, true);
      return;
    }
    this.alerting.set(key, false);
    const run = (): Promise<void> =>
      this.alertApproaching(hallId, moved)
        .catch(() => undefined)
        .then(() => {
          if (this.alerting.get(key)) {
            this.alerting.set(key, false);
            return run();
          }
          this.alerting.delete(key);
        });
    void run();
  }

  /** Tickets with `approachAt` or fewer ahead get one alert each. */
  private async alertApproaching(hallId: string, categoryCode: string): Promise<void> {
    const { hall } = await this.catalogue.hall(hallId);
    const category = hall.categories.find((c) => c.code === categoryCode)!;
    const front = await this.frontOf(hallId, category.code, this.config.approachAt + 1);
    for (const [ahead, ticket] of front.entries()) {
      if (ticket.alerted.approach) continue;
      const claimed = await this.models.Ticket.findOneAndUpdate(
        { _id: ticket._id, 'alerted.approach': false },
        { $set: { 'alerted.approach': true } },
      );
      if (!claimed) continue;
      await this.notifier.notify({
        userId: ticket.userId,
        kind: 'queue_approach',
        title: `快到您了：${ticket.number}`,
        body: `您在${hall.name}的${category.name}排队号 ${ticket.number} 前面还有 ${ahead} 人，请到大厅等候叫号。`,
        link: `/packages/queue/ticket?id=${String(ticket._id)}`,
        dedupeKey: `ticket:${String(ticket._id)}:approach:${ticket.queuedAt.getTime()}`,
        push: {
          template: 'queueCalled',
          data: {
            character_string1: ticket.number!,
            thing2: hall.name.slice(0, 20),
            number3: String(ahead),
            thing4: '快到您了，请到大厅等候',
          },
          page: `packages/queue/ticket?id=${String(ticket._id)}`,
        },
      });
    }
  }

  private async alertCalled(ticket: TicketDoc, hall: Hall, windowName: string): Promise<void> {
    const count = ticket.alerted.called + 1;
    await this.models.Ticket.updateOne({ _id: ticket._id }, { $set: { 'alerted.called': count } });
    await this.notifier.notify({
      userId: ticket.userId,
      kind: 'queue_called',
      title: `请到${windowName}办理：${ticket.number}`,
      body: `${hall.name}正在叫号 ${ticket.number}，请到${windowName}办理。`,
      link: `/packages/queue/ticket?id=${String(ticket._id)}`,
      dedupeKey: `ticket:${String(ticket._id)}:called:${count}`,
      push: {
        template: 'queueCalled',
        data: {
          character_string1: ticket.number!,
          thing2: windowName.slice(0, 20),
          number3: '0',
          thing4: `请到${windowName}办理`.slice(0, 20),
        },
        page: `packages/queue/ticket?id=${String(ticket._id)}`,
      },
    });
  }

  // ---- access ------------------------------------------------------------------------------

  /** Yesterday's tickets that never finished leave the queue (numbers restart at midnight): once a day. */
  private async expireStale(): Promise<void> {
    const today = this.today();
    if (this.expiredBefore === today) return;
    await this.models.Ticket.updateMany(
      { live: true, day: { $lt: today } },
      { $set: { status: 'cancelled', live: false } },
    );
    this.expiredBefore = today;
  }

  private expiredBefore = '';

  /** What another feature may know of a citizen's own ticket (rating a served visit), else NOT_FOUND. */
  async ticketFacts(userId: string, id: string): Promise<TicketFacts> {
    const t = await this.own(userId, id);
    return {
      id: String(t._id),
      status: t.status,
      hallId: t.hallId,
      number: t.number,
      windowId: t.windowId,
      servedBy: t.servedBy,
      appointmentId: t.appointmentId,
      completedAt: t.completedAt ?? null,
    };
  }

  /**
   * The last ticket this staff member completed at their own window today, with its owner: the
   * window's 扫码评价 code is bound to that handling (rating module). Null when none yet.
   */
  async lastCompletedAt(
    staff: AccessClaims,
    windowId: string,
  ): Promise<{ ticketId: string; userId: string; number: string; completedAt: Date } | null> {
    const { hall } = await this.staffWindow(staff, windowId);
    const ticket = await this.models.Ticket.findOne({
      day: this.today(),
      hallId: hall.id,
      status: 'done',
      windowId,
      servedBy: staff.sub,
    })
      .sort({ completedAt: -1 })
      .lean<TicketDoc>();
    return ticket
      ? {
          ticketId: String(ticket._id),
          userId: ticket.userId,
          number: ticket.number ?? '',
          completedAt: ticket.completedAt!,
        }
      : null;
  }

  /** The citizen's own ticket, else NOT_FOUND. */
  private async own(userId: string, id: string): Promise<TicketDoc> {
    const ticket = isDocumentId(id)
      ? await this.models.Ticket.findOne({ _id: id, userId }).lean<TicketDoc>()
      : null;
    if (!ticket) throw new AppError('NOT_FOUND', '排队号不存在');
    return ticket;
  }

  private async staffWindow(staff: AccessClaims, windowId: string) {
    if (!staff.hallId) throw new AppError('FORBIDDEN');
    const { hall } = await this.catalogue.hall(staff.hallId);
    const window = hall.windows.find((w) => w.id === windowId);
    // Staff work their own window; another window of the hall, or another hall, is not theirs.
    if (!window || (staff.windowId && staff.windowId !== windowId))
      throw new AppError('FORBIDDEN', '只能操作本人所在窗口');
    return { hall, window };
  }

  private async staffTicket(staff: AccessClaims, id: string): Promise<TicketDoc> {
    const ticket = isDocumentId(id) ? await this.models.Ticket.findById(id).lean<TicketDoc>() : null;
    if (!ticket || ticket.hallId !== staff.hallId) throw new AppError('NOT_FOUND', '排队号不存在');
    return ticket;
  }

  /** A ticket held by the staff member's window, in one of the given states. */
  private async atWindow(staff: AccessClaims, id: string, states: TicketDoc['status'][]) {
    const ticket = await this.staffTicket(staff, id);
    if (!ticket.windowId || !states.includes(ticket.status)) throw new AppError('TICKET_NOT_ACTIONABLE');
    const { hall, window } = await this.staffWindow(staff, ticket.windowId);
    return { ticket, hall, window };
  }
}
