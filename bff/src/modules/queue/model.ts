// Queue tickets. Booking check-in issues priority tickets here; the queue feature issues,
// orders and calls them.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface TicketDoc {
  _id: Types.ObjectId;
  hallId: string;
  category: string;
  /** Shanghai date the number belongs to: numbers restart every day. */
  day: string;
  seq: number;
  /** Category prefix and sequence, e.g. A023. */
  number: string;
  userId: string;
  /** Why the ticket is served before ordinary ones; null for an ordinary ticket. */
  priority: 'booking' | null;
  appointmentId: string | null;
  status: 'waiting' | 'called' | 'serving' | 'done' | 'skipped' | 'cancelled';
  createdAt: Date;
}

/** The last number handed out per hall, category and day. */
export interface TicketCounterDoc {
  _id: string;
  seq: number;
}

const ticketSchema = new Schema<TicketDoc>(
  {
    hallId: String,
    category: String,
    day: String,
    seq: Number,
    number: String,
    userId: { type: String, index: true },
    priority: { type: String, default: null },
    appointmentId: { type: String, default: null },
    status: String,
    createdAt: Date,
  },
  { versionKey: false },
);
ticketSchema.index({ hallId: 1, category: 1, day: 1, seq: 1 }, { unique: true });
// One ticket per checked-in booking, however often check-in is pressed.
ticketSchema.index({ appointmentId: 1 }, { unique: true, partialFilterExpression: { appointmentId: { $type: 'string' } } });

const counterSchema = new Schema<TicketCounterDoc>({ _id: String, seq: Number }, { versionKey: false });

export interface QueueModels {
  Ticket: Model<TicketDoc>;
  Counter: Model<TicketCounterDoc>;
}

export function queueModels(db: Connection): QueueModels {
  return {
    Ticket: db.model<TicketDoc>('Ticket', ticketSchema, 'tickets'),
    Counter: db.model<TicketCounterDoc>('TicketCounter', counterSchema, 'ticket_counters'),
  };
}
