// Booking: slots of a hall for an item, and the citizen's appointments.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';

/** A real calendar date (2026-02-30 is refused), so no impossible date reaches the time arithmetic. */
const Day = Type.String({ format: 'date', maxLength: 10 });
const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });

export const SLOT_KINDS = ['regular', 'lunch', 'evening', 'weekend'] as const;
export const SlotKind = literalUnion(SLOT_KINDS);

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'checked_in', 'missed'] as const;

export const Slot = Type.Object({
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  kind: SlotKind,
  capacity: Type.Integer(),
  remaining: Type.Integer(),
});
export type Slot = Static<typeof Slot>;

export const SlotQuery = Type.Object(
  { itemCode: Id, from: Type.Optional(Day), to: Type.Optional(Day) },
  { additionalProperties: false },
);
export type SlotQuery = Static<typeof SlotQuery>;
export const SlotList = Type.Object({
  hallId: Type.String(),
  itemCode: Type.String(),
  category: Type.String(),
  slots: Type.Array(Slot),
});

export const BookBody = Type.Object(
  { hallId: Id, itemCode: Id, start: Type.String({ format: 'date-time', maxLength: 40 }) },
  { additionalProperties: false },
);
export type BookBody = Static<typeof BookBody>;
export const RescheduleBody = Type.Object(
  { start: Type.String({ format: 'date-time', maxLength: 40 }) },
  { additionalProperties: false },
);

export const Appointment = Type.Object({
  id: Type.String(),
  bookingCode: Type.String(),
  qrPayload: Type.String(),
  status: literalUnion(APPOINTMENT_STATUSES),
  hallId: Type.String(),
  hallName: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  start: Type.String(),
  end: Type.String(),
  kind: SlotKind,
  /** Last moment to cancel or reschedule. */
  changeableUntil: Type.String(),
  checkInFrom: Type.String(),
  checkInUntil: Type.String(),
  /** The priority queue ticket after check-in. */
  ticket: Type.Union([Type.Object({ id: Type.String(), number: Type.String() }), Type.Null()]),
  createdAt: Type.String(),
  /** 代办: the agent who booked it in the citizen's name; null when the citizen booked. */
  actedByName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type Appointment = Static<typeof Appointment>;
export const AppointmentList = Type.Object({ appointments: Type.Array(Appointment) });
