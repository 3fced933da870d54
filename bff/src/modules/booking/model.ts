import { APPOINTMENT_STATUSES, SLOT_KINDS } from '@onewindow/shared-types';
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Kind } from './slot-rules';

/** Places taken in one slot. Created on first booking; `taken` only moves by conditional `$inc`. */
export interface SlotDoc {
  hallId: string;
  category: string;
  start: Date;
  capacity: number;
  taken: number;
}

export interface AppointmentDoc {
  _id: Types.ObjectId;
  userId: string;
  /** The person (keyed hash of the identity number): one-per-day and no-show rules follow the person, not the WeChat account. */
  personKey: string;
  hallId: string;
  hallName: string;
  itemCode: string;
  itemName: string;
  category: string;
  start: Date;
  end: Date;
  kind: Kind;
  /** Shanghai date of the start: one active booking per citizen, item and day. */
  day: string;
  bookingCode: string;
  status: 'booked' | 'cancelled' | 'checked_in' | 'missed';
  ticketId: string | null;
  /** Reminders already sent, so each goes out once. */
  reminded: { dayBefore: boolean; hourBefore: boolean };
  createdAt: Date;
  /** 代办: the agent who booked in the citizen's name (X-Act-As); null when the citizen booked. */
  actedBy?: { userId: string; name: string } | null;
}

/**
 * A booking in flight for one person, item and day. Concurrent taps for the same person (a
 * double tap, or two agents of one principal) meet here before any of them takes a place, so
 * the losers answer ALREADY_BOOKED instead of SLOT_FULL when their own siblings fill a small
 * slot. Deleted when the booking finishes; one left by a crash is taken over once `until` passes
 * (no TTL index: `until` follows the injected clock, which the TTL monitor does not).
 */
export interface BookingClaimDoc {
  _id: string;
  token: string;
  until: Date;
}

const bookingClaimSchema = new Schema<BookingClaimDoc>(
  { _id: String, token: String, until: Date },
  { versionKey: false },
);

const slotSchema = new Schema<SlotDoc>(
  { hallId: String, category: String, start: Date, capacity: Number, taken: { type: Number, default: 0 } },
  { versionKey: false },
);
slotSchema.index({ hallId: 1, category: 1, start: 1 }, { unique: true });

const appointmentSchema = new Schema<AppointmentDoc>(
  {
    userId: { type: String, required: true, index: true },
    personKey: { type: String, required: true },
    hallId: String,
    hallName: String,
    itemCode: String,
    itemName: String,
    category: String,
    start: Date,
    end: Date,
    kind: { type: String, enum: SLOT_KINDS, required: true },
    day: String,
    bookingCode: { type: String, required: true, unique: true },
    status: { type: String, enum: APPOINTMENT_STATUSES, required: true },
    ticketId: { type: String, default: null },
    reminded: { dayBefore: { type: Boolean, default: false }, hourBefore: { type: Boolean, default: false } },
    createdAt: Date,
    actedBy: { type: { _id: false, userId: String, name: String }, default: null },
  },
  { versionKey: false },
);
// The last line against double booking: at most one active appointment per person, item and day.
appointmentSchema.index(
  { personKey: 1, itemCode: 1, day: 1 },
  { unique: true, partialFilterExpression: { status: 'booked' } },
);
appointmentSchema.index({ personKey: 1, status: 1, end: 1 });
appointmentSchema.index({ status: 1, start: 1 });

export interface BookingModels {
  Slot: Model<SlotDoc>;
  Appointment: Model<AppointmentDoc>;
  BookingClaim: Model<BookingClaimDoc>;
}

export function bookingModels(db: Connection): BookingModels {
  return {
    Slot: db.model<SlotDoc>('Slot', slotSchema, 'slots'),
    Appointment: db.model<AppointmentDoc>('Appointment', appointmentSchema, 'appointments'),
    BookingClaim: db.model<BookingClaimDoc>('BookingClaim', bookingClaimSchema, 'booking_claims'),
  };
}
