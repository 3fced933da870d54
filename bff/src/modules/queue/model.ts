// Queue tickets, the per-day number counters, the windows' state, and the calling streaks that
// keep priority tickets from starving ordinary ones.
import {
  PRIORITY_REASONS,
  TICKET_STATUSES,
  type PriorityReason,
  type TicketStatus,
} from '@onewindow/shared-types';
import { Schema, Types, type Connection, type Model } from 'mongoose';

export type { PriorityReason, TicketStatus };

export interface TicketDoc {
  _id: Types.ObjectId;
  hallId: string;
  /** The queue it waits in now (a transfer changes it). */
  category: string;
  /** The category its number was drawn from: numbers are unique per hall, this and day. */
  numberCategory: string;
  /** Shanghai date the number belongs to: numbers restart every day. */
  day: string;
  /** null only for the moment between claiming the citizen's place and drawing the number. */
  seq: number | null;
  /** Category prefix and sequence, e.g. A023. */
  number: string | null;
  userId: string;
  priority: PriorityReason | null;
  appointmentId: string | null;
  /** The booked slot's start, for a checked-in booking. */
  bookedStart?: Date | null;
  /** Who flagged it 绿色通道 at the hall, and when (the reason is `priority`). */
  flaggedBy?: { staffId: string; at: Date } | null;
  status: TicketStatus;
  /** true while waiting, called or serving: one live ticket per citizen, hall, category and day. */
  live: boolean;
  /** Place in the queue: the time taken, kept on transfer, moved back on rejoin (NOT_IN_LINE until numbered). */
  queuedAt: Date;
  takenAt: Date;
  windowId: string | null;
  /** The last call (a recall moves it). */
  calledAt: Date | null;
  /** The staff member who called it last (the clerk of a no-show, for the operating figures). */
  calledBy?: string | null;
  servedAt: Date | null;
  completedAt: Date | null;
  /** The staff member who completed the service (for rating statistics by staff). */
  servedBy: string | null;
  skippedAt: Date | null;
  rejoined: boolean;
  /** Alerts already sent: near the front, and called. */
  alerted: { approach: boolean; called: number };
  /** 代办: the agent who took it (or checked in the booking) in the citizen's name. */
  actedBy?: { userId: string; name: string } | null;
}

export interface TicketCounterDoc {
  _id: string;
  seq: number;
  /** When the last number was drawn, never earlier than the one before: the line's order. */
  at?: Date;
}

export interface WindowDoc {
  _id: string; // window id
  hallId: string;
  open: boolean;
  currentTicketId: string | null;
}

/**
 * The hall's own record of staff actions that change who is served first (绿色通道 flags):
 * append-only, one entry per action, kept apart from the ticket so a later change to the
 * ticket cannot rewrite who did what.
 */
export interface QueueAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  action: 'priority_flag';
  actorId: string;
  hallId: string;
  ticketId: string;
  number: string | null;
  reason: PriorityReason;
}

/** How many priority tickets a hall category has called in a row. */
export interface StreakDoc {
  _id: string; // hallId|category|day
  priority: number;
}

/**
 * A new ticket as the schema's defaults make it, for the take path's insert through the driver
 * (a mongoose document costs more CPU than the rest of the take; the morning rush is made of
 * takes). The schema below stays the record of defaults: `tests/bff/queue.test.ts` compares the two.
 */
/**
 * The place in line of a ticket whose number is not drawn yet (between claiming the citizen's
 * place and the draw): after every real place, so the reads of a line, which bound `queuedAt`
 * below it, never count a claim, and a count over a line stays within one index.
 */
export const NOT_IN_LINE = new Date(8_640_000_000_000_000);

/** The two kinds of ticket in a line, as index points rather than `$ne: null`, for the same reason. */
export const ORDINARY = { priority: null };
export const PRIORITIZED = { priority: { $in: [...PRIORITY_REASONS] } };
export const EITHER_KIND = { priority: { $in: [null, ...PRIORITY_REASONS] } };

export function newTicket(
  fields: Pick<
    TicketDoc,
    'hallId' | 'category' | 'numberCategory' | 'day' | 'userId' | 'priority' | 'appointmentId'
  > &
    Partial<Pick<TicketDoc, 'bookedStart' | 'actedBy'>>,
  at: Date,
): TicketDoc {
  return {
    _id: new Types.ObjectId(),
    hallId: fields.hallId,
    category: fields.category,
    numberCategory: fields.numberCategory,
    day: fields.day,
    seq: null,
    number: null,
    userId: fields.userId,
    priority: fields.priority,
    appointmentId: fields.appointmentId,
    bookedStart: fields.bookedStart ?? null,
    flaggedBy: null,
    actedBy: fields.actedBy ?? null,
    status: 'waiting',
    live: true,
    queuedAt: NOT_IN_LINE,
    takenAt: at,
    windowId: null,
    calledAt: null,
    calledBy: null,
    servedAt: null,
    completedAt: null,
    servedBy: null,
    skippedAt: null,
    rejoined: false,
    alerted: { approach: false, called: 0 },
  };
}

const ticketSchema = new Schema<TicketDoc>(
  {
    hallId: String,
    category: String,
    numberCategory: String,
    day: String,
    seq: { type: Number, default: null },
    number: { type: String, default: null },
    userId: String,
    priority: { type: String, enum: [...PRIORITY_REASONS, null], default: null },
    appointmentId: { type: String, default: null },
    bookedStart: { type: Date, default: null },
    flaggedBy: { type: { _id: false, staffId: String, at: Date }, default: null },
    actedBy: { type: { _id: false, userId: String, name: String }, default: null },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    live: Boolean,
    queuedAt: Date,
    takenAt: Date,
    windowId: { type: String, default: null },
    calledAt: { type: Date, default: null },
    calledBy: { type: String, default: null },
    servedAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    servedBy: { type: String, default: null },
    skippedAt: { type: Date, default: null },
    rejoined: { type: Boolean, default: false },
    alerted: { approach: { type: Boolean, default: false }, called: { type: Number, default: 0 } },
  },
  { versionKey: false },
);
ticketSchema.index(
  { hallId: 1, numberCategory: 1, day: 1, seq: 1 },
  { unique: true, partialFilterExpression: { seq: { $type: 'number' } } },
);
ticketSchema.index(
  { userId: 1, hallId: 1, category: 1, day: 1 },
  { unique: true, partialFilterExpression: { live: true } },
);
// One ticket per checked-in booking, however often check-in is pressed.
ticketSchema.index(
  { appointmentId: 1 },
  { unique: true, partialFilterExpression: { appointmentId: { $type: 'string' } } },
);
// The queue reads: one day's waiting tickets of a hall category by kind, in calling order; a
// position (how many of a kind queued before a place) is counted from this index alone. Also
// the operating figures: one day's tickets of a hall, by its prefix.
ticketSchema.index({ day: 1, hallId: 1, category: 1, status: 1, priority: 1, queuedAt: 1, seq: 1 });
// Recent service times of a category, for the estimate.
ticketSchema.index({ hallId: 1, category: 1, status: 1, completedAt: -1 });

const counterSchema = new Schema<TicketCounterDoc>(
  { _id: String, seq: Number, at: Date },
  { versionKey: false },
);
const windowSchema = new Schema<WindowDoc>(
  {
    _id: String,
    hallId: { type: String, index: true },
    open: Boolean,
    currentTicketId: { type: String, default: null },
  },
  { versionKey: false },
);
const queueAuditSchema = new Schema<QueueAuditDoc>(
  {
    at: Date,
    action: String,
    actorId: String,
    hallId: String,
    ticketId: { type: String, index: true },
    number: { type: String, default: null },
    reason: String,
  },
  { versionKey: false },
);
queueAuditSchema.index({ hallId: 1, at: -1 });
const streakSchema = new Schema<StreakDoc>({ _id: String, priority: Number }, { versionKey: false });

export interface QueueModels {
  Ticket: Model<TicketDoc>;
  Counter: Model<TicketCounterDoc>;
  Window: Model<WindowDoc>;
  Streak: Model<StreakDoc>;
  Audit: Model<QueueAuditDoc>;
}

export function queueModels(db: Connection): QueueModels {
  return {
    Ticket: db.model<TicketDoc>('Ticket', ticketSchema, 'tickets'),
    Counter: db.model<TicketCounterDoc>('TicketCounter', counterSchema, 'ticket_counters'),
    Window: db.model<WindowDoc>('QueueWindow', windowSchema, 'queue_windows'),
    Streak: db.model<StreakDoc>('QueueStreak', streakSchema, 'queue_streaks'),
    Audit: db.model<QueueAuditDoc>('QueueAudit', queueAuditSchema, 'queue_audit'),
  };
}
