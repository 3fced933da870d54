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
  window: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
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
