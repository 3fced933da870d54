// Queue numbers: taking one, watching it, the hall display, and the window's actions.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

const Code = Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' });

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'skipped', 'cancelled'] as const;
export const TicketStatus = literalUnion(TICKET_STATUSES);
export type TicketStatus = Static<typeof TicketStatus>;
export const PRIORITY_REASONS = ['booking', 'elderly', 'disabled', 'pregnant', 'military'] as const;
export const PriorityReason = literalUnion(PRIORITY_REASONS);
export type PriorityReason = Static<typeof PriorityReason>;

export const Ticket = Type.Object({
  id: Type.String(),
  number: Type.String(),
  hallId: Type.String(),
  hallName: Type.String(),
  category: Type.String(),
  categoryName: Type.String(),
  status: TicketStatus,
  /** Why it is served before ordinary tickets (绿色通道 or a checked-in booking); null for an ordinary ticket. */
  priority: Type.Union([PriorityReason, Type.Null()]),
  /** How many will be called before it; 0 once called. */
  ahead: Type.Integer(),
  etaMinutes: Type.Integer(),
  /** The window calling or serving it, and once done the window that served it (to rate it by name). */
  window: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  /** The serving clerk's masked staff number (工号 ***01W3) once served; the rater stays hidden from staff, not the clerk from the citizen. */
  clerk: Type.Union([Type.String(), Type.Null()]),
  canRejoin: Type.Boolean(),
  takenAt: Type.String(),
  calledAt: Type.Union([Type.String(), Type.Null()]),
  /** 代办: the agent who took it in the citizen's name; null when the citizen took it. */
  actedByName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type Ticket = Static<typeof Ticket>;

export const TakeTicketBody = Type.Object({ category: Code }, { additionalProperties: false });
export const TransferBody = Type.Object({ category: Code }, { additionalProperties: false });
export const PriorityBody = Type.Object(
  {
    reason: Type.Union([
      Type.Literal('elderly'),
      Type.Literal('disabled'),
      Type.Literal('pregnant'),
      Type.Literal('military'),
    ]),
  },
  { additionalProperties: false },
);

/** The audit of 绿色通道 flags at a hall: who flagged which number, why, when. */
export const PriorityFlagList = Type.Object({
  flags: Type.Array(
    Type.Object({
      at: Type.String(),
      actorId: Type.String(),
      ticketId: Type.String(),
      number: Type.Union([Type.String(), Type.Null()]),
      reason: PriorityReason,
    }),
  ),
});

export const QueueSummary = Type.Object({
  category: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  waiting: Type.Integer(),
  openWindows: Type.Integer(),
  etaMinutes: Type.Integer(),
});
export const QueueList = Type.Object({
  hallId: Type.String(),
  open: Type.Boolean(),
  queues: Type.Array(QueueSummary),
});

export const Display = Type.Object({
  hallId: Type.String(),
  hallName: Type.String(),
  calling: Type.Array(
    Type.Object({ number: Type.String(), windowName: Type.String(), calledAt: Type.String() }),
  ),
  /** The day's last 6 calls, newest first, whether still at the window or already served or skipped. */
  recent: Type.Array(
    Type.Object({ number: Type.String(), windowName: Type.String(), calledAt: Type.String() }),
  ),
  waiting: Type.Array(Type.Object({ category: Type.String(), name: Type.String(), waiting: Type.Integer() })),
});

/** A waiting ticket as the window sees it: enough to flag 绿色通道, no one's identity. */
export const WaitingTicket = Type.Object({
  id: Type.String(),
  number: Type.String(),
  priority: Type.Union([PriorityReason, Type.Null()]),
  takenAt: Type.String(),
});

/** One line the window serves: how many wait (how many of them priority) and the next few in calling order. */
export const WindowLine = Type.Object({
  category: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  waiting: Type.Integer(),
  priorityWaiting: Type.Integer(),
  next: Type.Array(WaitingTicket),
});

/** The window's view after an action: its current ticket (if any), and the lines it serves. */
export const WindowState = Type.Object({
  windowId: Type.String(),
  name: Type.String(),
  open: Type.Boolean(),
  categories: Type.Array(Type.String()),
  current: Type.Union([Ticket, Type.Null()]),
  /** What the clerk needs about the citizen at the window: the masked name, and the booked slot of a checked-in booking. */
  currentDetail: Type.Union([
    Type.Object({
      holderName: Type.Union([Type.String(), Type.Null()]),
      bookedStart: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  lines: Type.Array(WindowLine),
});

/** The longest period the operating figures cover in one answer (one calendar month and a day). */
export const FIGURES_MAX_DAYS = 31;
export const FIGURES_GROUPINGS = ['line', 'window', 'clerk'] as const;
export const FIGURES_BUCKETS = ['day', 'hour'] as const;

/** The centre's operating figures (a supervisor's daily statistics), for a hall and a period of Shanghai days. */
export const FiguresQuery = Type.Object(
  {
    /** The supervisor's own hall when absent; another hall of the same district may be named. */
    hallId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' })),
    /** Shanghai calendar dates, both included, at most FIGURES_MAX_DAYS days. */
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    groupBy: literalUnion(FIGURES_GROUPINGS),
    bucket: literalUnion(FIGURES_BUCKETS),
  },
  { additionalProperties: false },
);
export type FiguresQuery = Static<typeof FiguresQuery>;

const Seconds = Type.Union([Type.Integer(), Type.Null()]);

/** One group's figures in one bucket (or over the whole period when `bucket` is null). */
export const FiguresRow = Type.Object({
  /** `YYYY-MM-DD` by day, `YYYY-MM-DD HH:00` by hour (Shanghai); null for the whole period. */
  bucket: Type.Union([Type.String(), Type.Null()]),
  /** Line code, window id or clerk id; null for tickets no window called (and for the total). */
  key: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  /** Numbers drawn (checked-in bookings included). */
  issued: Type.Integer(),
  /** Tickets completed at a window. */
  served: Type.Integer(),
  /** Called and skipped: the citizen did not come (a rejoined ticket that was served is not one). */
  noShows: Type.Integer(),
  /** Cancelled by the citizen, or left waiting when the day ended. */
  abandoned: Type.Integer(),
  /** Draw to call, over served tickets, in seconds: mean (rounded) and 90th percentile (nearest rank). */
  waitAvgSeconds: Seconds,
  waitP90Seconds: Seconds,
  /** Call to completion, over served tickets, in seconds. */
  serviceAvgSeconds: Seconds,
  serviceP90Seconds: Seconds,
  /** Served tickets that waited no longer than the target, and their share of the served. */
  withinTarget: Type.Integer(),
  withinTargetRate: Type.Union([Type.Number(), Type.Null()]),
  /** Bookings of slots in the bucket (not cancelled), and those checked in. */
  bookings: Type.Integer(),
  bookingsKept: Type.Integer(),
});
export type FiguresRow = Static<typeof FiguresRow>;

export const QueueFigures = Type.Object({
  hallId: Type.String(),
  hallName: Type.String(),
  from: Type.String(),
  to: Type.String(),
  groupBy: literalUnion(FIGURES_GROUPINGS),
  bucket: literalUnion(FIGURES_BUCKETS),
  targetWaitMinutes: Type.Integer(),
  /** The whole hall over the whole period. */
  total: FiguresRow,
  /** Each group over the whole period. */
  groups: Type.Array(FiguresRow),
  /** Each group in each bucket that has anything, by bucket then key. */
  rows: Type.Array(FiguresRow),
});
export type QueueFigures = Static<typeof QueueFigures>;
