// Booking: slots with the places left, and the citizen's appointments.
//
// A place is a counter on the slot document, moved only by conditional updates: booking takes
// one with `$inc` guarded by `taken < capacity`, so a slot never holds more than its capacity
// whatever the concurrency. The appointment is written after its place is taken; when the
// write is refused (one active booking per person, item and day) the place is given back.
// Rescheduling takes the new place first and frees the old one only after the appointment has
// moved, so the citizen is never left without a place.
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { Appointment, BookBody, Hall, Item, Slot } from '@onewindow/shared-types';
import type { Config } from '../../config';
import type { ActedBy } from '../../plugins/acting';
import { AppError } from '../../errors';
import {
  addDays,
  isCalendarDate,
  isoWeekday,
  shanghaiDate,
  shanghaiInstant,
} from '@onewindow/shared-types/shanghai-time';
import type { CatalogueService } from '../catalogue/service';
import type { QueueService } from '../queue/service';
import type { AppointmentDoc, BookingModels } from './model';
import { daySlots, rulesFor, type Kind, type SlotRules } from './slot-rules';
import { isDocumentId } from '../../document-id';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Check-in is open from 30 minutes before the start to 15 minutes after it. */
export const CHECK_IN_BEFORE_MS = 30 * MINUTE;
export const CHECK_IN_AFTER_MS = 15 * MINUTE;
export const GENERAL_CATEGORY = 'ZH';
/** How long a claim of a crashed request blocks the same person's next booking of the day. */
const CLAIM_MS = MINUTE;
const REMINDER_LEAD_MS = { dayBefore: DAY, hourBefore: 60 * MINUTE };
/** Booking codes avoid characters read wrongly aloud or on a small screen (0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

interface Place {
  hallId: string;
  category: string;
  start: Date;
  end: Date;
  kind: Kind;
  capacity: number;
}

export interface Booker {
  userId: string;
  /** 代办: the agent booking in the citizen's name (X-Act-As); null when the citizen books. */
  actedBy?: ActedBy | null;
}

function bookingCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

function validDay(day: string): boolean {
  return isCalendarDate(day);
}

export class BookingService {
  constructor(
    private readonly models: BookingModels,
    private readonly catalogue: CatalogueService,
    private readonly queue: Pick<QueueService, 'issueCheckedIn' | 'numberOf'>,
    /** The person behind an account (keyed hash of the bound identity number; null before binding). */
    private readonly citizens: { personKey(userId: string): Promise<string | null> },
    private readonly config: Config['booking'],
    private readonly qrKey: string,
    private readonly now: () => Date,
  ) {}

  async slots(hallId: string, itemCode: string, from?: string, to?: string) {
    const { hall, item } = await this.hallAndItem(hallId, itemCode);
    const rules = rulesFor(item.category);
    const today = shanghaiDate(this.now());
    const lastDay = addDays(today, rules.horizonDays - 1);
    for (const day of [from, to])
      if (day !== undefined && !validDay(day)) throw new AppError('INVALID_INPUT', `日期无效：${day}`);
    const first = from && from > today ? from : today;
    const last = to && to < lastDay ? to : lastDay;
    if (from && to && from > to) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期');
    const places: Place[] = [];
    for (let day = first; day <= last; day = addDays(day, 1))
      places.push(...this.placesOn(hall, item.category, day, rules));
    const bookable = places.filter((p) => this.beforeCutoff(p.start, rules));
    const taken = await this.takenCounts(hall.id, item.category, bookable);
    const slots: Slot[] = bookable.map((p) => ({
      start: p.start.toISOString(),
      end: p.end.toISOString(),
      kind: p.kind,
      capacity: p.capacity,
      remaining: Math.max(0, p.capacity - (taken.get(p.start.getTime()) ?? 0)),
    }));
    return { hallId: hall.id, itemCode: item.code, category: item.category, slots };
  }

  async book(booker: Booker, input: BookBody): Promise<Appointment> {
    const personKey = await this.citizens.personKey(booker.userId);
    if (!personKey) throw new AppError('REALNAME_REQUIRED');
    // When a slot opens, most attempts find it full: the person's standing (a restriction, a
    // booking already held) and the slot's count are read side by side, so a full slot is
    // answered in one round trip instead of a claim, a refused take and the claim's release.
    // The count is only a hint: the take below still decides.
    const wanted = this.hallAndItem(input.hallId, input.itemCode).then(({ hall, item }) => {
      const place = this.place(hall, item, input.start);
      return { hall, item, place, day: shanghaiDate(place.start) };
    });
    const room = wanted.then(({ place }) => this.hasRoom(place));
    room.catch(() => undefined);
    const standing = await this.standing(personKey);
    if (standing.restrictedUntil)
      throw new AppError(
        'BOOKING_RESTRICTED',
        `因多次预约未到，${shanghaiDate(standing.restrictedUntil)} 前不能预约`,
        { until: standing.restrictedUntil.toISOString() },
      );
    const { hall, item, place, day } = await wanted;
    // Their own booking, not a full slot, is what stops someone who has just taken its last place.
    if (standing.holds(item.code, day)) throw new AppError('ALREADY_BOOKED');
    if (!(await room)) throw new AppError('SLOT_FULL');
    const claim = await this.claimPerson(`${personKey}|${item.code}|${day}`);
    try {
      return await this.bookPlace(booker, personKey, hall, item, place, day);
    } finally {
      await this.models.BookingClaim.deleteOne(claim);
    }
  }

  /** Takes the place, then writes the appointment; the place is given back if the write fails. */
  private async bookPlace(
    booker: Booker,
    personKey: string,
    hall: Hall,
    item: Item,
    place: Place,
    day: string,
  ): Promise<Appointment> {
    await this.take(place);
    const doc = {
      userId: booker.userId,
      personKey,
      hallId: hall.id,
      hallName: hall.name,
      itemCode: item.code,
      itemName: item.name,
      category: item.category,
      start: place.start,
      end: place.end,
      kind: place.kind,
      day,
      status: 'booked' as const,
      ticketId: null,
      reminded: this.remindersFor(place.start),
      createdAt: this.now(),
      actedBy: booker.actedBy ?? null,
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const created = await this.models.Appointment.create({ ...doc, bookingCode: bookingCode() });
        return this.view(created.toObject());
      } catch (error) {
        const duplicate = error as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
        const codeClash =
          duplicate.code === 11000 &&
          (duplicate.keyPattern
            ? 'bookingCode' in duplicate.keyPattern
            : /bookingCode/.test(duplicate.message ?? ''));
        if (codeClash && attempt < 5) continue;
        await this.release(place);
        if (duplicate.code === 11000) throw new AppError('ALREADY_BOOKED');
        throw error;
      }
    }
  }

  /**
   * One booking at a time per person, item and day. A claim held by another request means a
   * booking of the same item and day is being made for this person right now (a double tap, or
   * a second agent): the answer is ALREADY_BOOKED, and the request holding the claim answers
   * for itself. Returns the filter that deletes exactly this claim.
   */
  private async claimPerson(id: string): Promise<{ _id: string; token: string }> {
    const token = randomUUID();
    const now = this.now();
    // One operation for a free and a stale claim alike: a held one fails the filter, and the
    // upsert then collides with its `_id`.
    try {
      await this.models.BookingClaim.updateOne(
        { _id: id, until: { $lt: now } },
        { $set: { token, until: new Date(now.getTime() + CLAIM_MS) } },
        { upsert: true },
      );
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new AppError('ALREADY_BOOKED');
      throw error;
    }
    return { _id: id, token };
  }

  async list(userId: string): Promise<Appointment[]> {
    await this.markMissed({ userId });
    const docs = await this.models.Appointment.find({ userId })
      .sort({ start: -1 })
      .limit(100)
      .lean<AppointmentDoc[]>();
    return Promise.all(docs.map((d) => this.view(d)));
  }

  /** The item a citizen's booking is for (代办 checks the agent's grant covers it). */
  async itemOf(userId: string, id: string): Promise<string> {
    return (await this.own(userId, id)).itemCode;
  }

  async get(userId: string, id: string): Promise<Appointment> {
    await this.markMissed({ userId });
    return this.view(await this.own(userId, id));
  }

  async cancel(userId: string, id: string): Promise<Appointment> {
    const current = await this.own(userId, id);
    this.assertChangeable(current);
    const cancelled = await this.models.Appointment.findOneAndUpdate(
      { _id: current._id, status: 'booked', start: current.start },
      { $set: { status: 'cancelled' } },
      { returnDocument: 'after' },
    ).lean<AppointmentDoc>();
    // Another request changed it first (a concurrent cancel or reschedule): only one frees a place.
    if (!cancelled) throw new AppError('BOOKING_NOT_CHANGEABLE');
    await this.release(this.placeOf(current));
    return this.view(cancelled);
  }

  async reschedule(userId: string, id: string, start: string): Promise<Appointment> {
    const current = await this.own(userId, id);
    this.assertChangeable(current);
    const { hall, item } = await this.hallAndItem(current.hallId, current.itemCode);
    const place = this.place(hall, item, start);
    if (place.start.getTime() === current.start.getTime())
      throw new AppError('INVALID_INPUT', '新时段与原时段相同');
    await this.take(place);
    let moved: AppointmentDoc | null;
    try {
      moved = await this.models.Appointment.findOneAndUpdate(
        { _id: current._id, status: 'booked', start: current.start },
        {
          $set: {
            start: place.start,
            end: place.end,
            kind: place.kind,
            day: shanghaiDate(place.start),
            reminded: this.remindersFor(place.start),
          },
        },
        { returnDocument: 'after' },
      ).lean<AppointmentDoc>();
    } catch (error) {
      await this.release(place);
      if ((error as { code?: number }).code === 11000) throw new AppError('ALREADY_BOOKED');
      throw error;
    }
    if (!moved) {
      await this.release(place);
      throw new AppError('BOOKING_NOT_CHANGEABLE');
    }
    await this.release(this.placeOf(current));
    return this.view(moved);
  }

  /**
   * Inside the check-in window: the booking becomes a priority ticket (once), in its own hall.
   * There is no "wrong hall" check (issue 25): the page could only echo the booking's own hall,
   * so the rule compared the booking with itself. Where the citizen stands is not known to the
   * BFF (no hall QR code to scan yet); the window (30 minutes before to 15 after) bounds a
   * check-in from elsewhere, and the ticket is called at the booked hall either way.
   */
  async checkIn(userId: string, id: string, actedBy: ActedBy | null = null): Promise<Appointment> {
    const current = await this.own(userId, id);
    if (current.status === 'checked_in') return this.afterCheckIn(userId, id);
    const now = this.now().getTime();
    const start = current.start.getTime();
    if (current.status !== 'booked' || now < start - CHECK_IN_BEFORE_MS || now > start + CHECK_IN_AFTER_MS)
      throw new AppError('CHECK_IN_CLOSED');
    const claimed = await this.models.Appointment.findOneAndUpdate(
      { _id: current._id, status: 'booked' },
      { $set: { status: 'checked_in' } },
      { returnDocument: 'after' },
    ).lean<AppointmentDoc>();
    if (!claimed) return this.afterCheckIn(userId, id); // a concurrent check-in won
    try {
      const ticket = await this.queue.issueCheckedIn({
        userId,
        hallId: current.hallId,
        category: current.category,
        appointmentId: String(current._id),
        bookedStart: current.start,
        actedBy,
      });
      const done = await this.models.Appointment.findOneAndUpdate(
        { _id: current._id },
        { $set: { ticketId: ticket.id } },
        { returnDocument: 'after' },
      ).lean<AppointmentDoc>();
      return this.view(done!);
    } catch (error) {
      await this.models.Appointment.updateOne(
        { _id: current._id, status: 'checked_in', ticketId: null },
        { $set: { status: 'booked' } },
      );
      throw error;
    }
  }

  /** A repeated check-in answers with the first one's ticket, waiting briefly while it is being issued. */
  private async afterCheckIn(userId: string, id: string): Promise<Appointment> {
    for (let waited = 0; ; waited += 50) {
      const current = await this.own(userId, id);
      if (current.status !== 'checked_in' || current.ticketId || waited >= 5000) return this.view(current);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * A hall's bookings of slots starting in [from, to), cancelled ones left out: the operating
   * figures' bookings and bookings kept (checked in).
   */
  async bookingsOf(
    hallId: string,
    from: Date,
    to: Date,
  ): Promise<{ id: string; category: string; start: Date; checkedIn: boolean }[]> {
    const docs = await this.models.Appointment.find(
      { status: { $in: ['booked', 'checked_in', 'missed'] }, start: { $gte: from, $lt: to }, hallId },
      { category: 1, start: 1, status: 1 },
    ).lean<Pick<AppointmentDoc, '_id' | 'category' | 'start' | 'status'>[]>();
    return docs.map((d) => ({
      id: String(d._id),
      category: d.category,
      start: d.start,
      checkedIn: d.status === 'checked_in',
    }));
  }

  /** Marks as missed every booking that ended without a check-in (all, or one citizen's). */
  async markMissed(scope: { userId?: string; personKey?: string } = {}): Promise<number> {
    const result = await this.models.Appointment.updateMany(
      { ...scope, status: 'booked', end: { $lte: this.now() } },
      { $set: { status: 'missed' } },
    );
    return result.modifiedCount;
  }

  /**
   * What a new booking of the person depends on, in one read of their appointments that ended
   * within the no-show window or are still to come: whether they hold a booking of an item on
   * a day (one is allowed), and until when they are restricted, if they are — `noShowLimit`
   * misses whose slots ended within `noShowWindowDays` of each other restrict booking for
   * `restrictionDays` from the end of the last of them. A booking that ended without a check-in
   * is a miss even before the sweep has marked it. (The driver directly: every booking attempt
   * asks, and there is nothing to cast.)
   */
  private async standing(
    personKey: string,
  ): Promise<{ restrictedUntil: Date | null; holds(itemCode: string, day: string): boolean }> {
    const { noShowLimit, noShowWindowDays, restrictionDays } = this.config;
    const now = this.now().getTime();
    const since = new Date(now - (noShowWindowDays + restrictionDays) * DAY);
    const appointments = await this.models.Appointment.collection
      .find<Pick<AppointmentDoc, 'end' | 'status' | 'itemCode' | 'day'>>(
        { personKey, status: { $in: ['missed', 'booked'] }, end: { $gte: since } },
        { projection: { _id: 0, end: 1, status: 1, itemCode: 1, day: 1 } },
      )
      .toArray();
    const misses = appointments
      .map((a) => a.end.getTime())
      .filter((end) => end <= now)
      .sort((a, b) => a - b);
    let until = 0;
    for (let i = noShowLimit - 1; i < misses.length; i += 1)
      if (misses[i] - misses[i - noShowLimit + 1] <= noShowWindowDays * DAY)
        until = Math.max(until, misses[i] + restrictionDays * DAY);
    return {
      restrictedUntil: until > now ? new Date(until) : null,
      holds: (itemCode, day) =>
        appointments.some((a) => a.status === 'booked' && a.itemCode === itemCode && a.day === day),
    };
  }

  /** Takes one appointment whose reminder (24 hours or 1 hour before the start) is due, marking it sent. */
  async claimReminder(which: 'dayBefore' | 'hourBefore'): Promise<AppointmentDoc | null> {
    const now = this.now().getTime();
    return this.models.Appointment.findOneAndUpdate(
      {
        status: 'booked',
        start: { $gt: new Date(now), $lte: new Date(now + REMINDER_LEAD_MS[which]) },
        [`reminded.${which}`]: false,
      },
      { $set: { [`reminded.${which}`]: true } },
      { returnDocument: 'after' },
    ).lean<AppointmentDoc>();
  }

  /** A booking made inside a reminder's lead time does not get that reminder: the citizen has just booked. */
  private remindersFor(start: Date): AppointmentDoc['reminded'] {
    const ahead = start.getTime() - this.now().getTime();
    return { dayBefore: ahead < REMINDER_LEAD_MS.dayBefore, hourBefore: ahead < REMINDER_LEAD_MS.hourBefore };
  }

  /**
   * The hall and item, with `item.category` replaced by the queue category that serves the item
   * at this hall: its own line where the hall has one, else the hall's 综合 (ZH) windows, which
   * small halls use for every item they accept.
   */
  private async hallAndItem(hallId: string, itemCode: string): Promise<{ hall: Hall; item: Item }> {
    const [{ hall }, { item }] = await Promise.all([
      this.catalogue.hall(hallId),
      this.catalogue.item(itemCode),
    ]);
    const category = [item.category, GENERAL_CATEGORY].find((code) =>
      hall.categories.some((c) => c.code === code),
    );
    if (!item.bookable || !item.hallIds.includes(hall.id) || !category)
      throw new AppError('ITEM_NOT_BOOKABLE');
    return { hall, item: { ...item, category } };
  }

  private placesOn(hall: Hall, category: string, day: string, rules: SlotRules): Place[] {
    return daySlots(hall, isoWeekday(day), rules).map((t) => ({
      hallId: hall.id,
      category,
      start: shanghaiInstant(day, t.start),
      end: shanghaiInstant(day, t.end),
      kind: t.kind,
      capacity: rules.capacity[t.kind],
    }));
  }

  /** The place a requested start names, if the hall offers it and it can still be booked. */
  private place(hall: Hall, item: Item, start: string): Place {
    const instant = new Date(start);
    if (Number.isNaN(instant.getTime())) throw new AppError('INVALID_INPUT', '预约时间格式不正确');
    const rules = rulesFor(item.category);
    const day = shanghaiDate(instant);
    const place = this.placesOn(hall, item.category, day, rules).find(
      (p) => p.start.getTime() === instant.getTime(),
    );
    if (!place) throw new AppError('SLOT_UNAVAILABLE', '该大厅此时段不提供预约');
    const today = shanghaiDate(this.now());
    if (!this.beforeCutoff(place.start, rules))
      throw new AppError('SLOT_UNAVAILABLE', `该时段已过或距开始不足${rules.cutoffMinutes}分钟，不能预约`);
    if (day > addDays(today, rules.horizonDays - 1))
      throw new AppError('SLOT_UNAVAILABLE', `只能预约${rules.horizonDays}天内的时段`);
    return place;
  }

  private placeOf(appointment: AppointmentDoc): Place {
    const rules = rulesFor(appointment.category);
    return {
      hallId: appointment.hallId,
      category: appointment.category,
      start: appointment.start,
      end: appointment.end,
      kind: appointment.kind,
      capacity: rules.capacity[appointment.kind],
    };
  }

  private beforeCutoff(start: Date, rules: SlotRules): boolean {
    return start.getTime() - rules.cutoffMinutes * MINUTE > this.now().getTime();
  }

  private async takenCounts(hallId: string, category: string, places: Place[]): Promise<Map<number, number>> {
    if (places.length === 0) return new Map();
    const docs = await this.models.Slot.find(
      { hallId, category, start: { $gte: places[0].start, $lte: places[places.length - 1].start } },
      { start: 1, taken: 1 },
    ).lean();
    return new Map(docs.map((d) => [d.start.getTime(), d.taken]));
  }

  /**
   * One place of a slot, in one database operation on the usual paths: the conditional
   * increment upserts, so the first booking of a slot creates it; a full slot fails the
   * filter, and the upsert then collides with the slot's unique key. That collision also
   * happens when a concurrent first booking created the slot just before, so it is tried
   * once more without the upsert before the answer is SLOT_FULL.
   */
  private async take(place: Place): Promise<void> {
    const key = { hallId: place.hallId, category: place.category, start: place.start };
    const slots = this.models.Slot.collection;
    try {
      await slots.updateOne(
        { ...key, taken: { $lt: place.capacity } },
        { $inc: { taken: 1 }, $setOnInsert: { capacity: place.capacity } },
        { upsert: true },
      );
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    if (
      (await slots.updateOne({ ...key, taken: { $lt: place.capacity } }, { $inc: { taken: 1 } }))
        .modifiedCount !== 1
    )
      throw new AppError('SLOT_FULL');
  }

  /** Whether the slot had a place left when read (a slot nobody has booked yet has no document). */
  private async hasRoom(place: Place): Promise<boolean> {
    const slot = await this.models.Slot.collection.findOne(
      { hallId: place.hallId, category: place.category, start: place.start },
      { projection: { _id: 0, taken: 1 } },
    );
    return !slot || (slot.taken as number) < place.capacity;
  }

  private async release(place: Place): Promise<void> {
    await this.models.Slot.updateOne(
      { hallId: place.hallId, category: place.category, start: place.start, taken: { $gt: 0 } },
      { $inc: { taken: -1 } },
    );
  }

  private async own(userId: string, id: string): Promise<AppointmentDoc> {
    // Someone else's booking is "not found", never "forbidden": its existence is not revealed.
    const doc = isDocumentId(id)
      ? await this.models.Appointment.findOne({ _id: id, userId }).lean<AppointmentDoc>()
      : null;
    if (!doc) throw new AppError('NOT_FOUND', '预约不存在');
    return doc;
  }

  private assertChangeable(appointment: AppointmentDoc): void {
    if (appointment.status !== 'booked') throw new AppError('BOOKING_NOT_CHANGEABLE');
    const rules = rulesFor(appointment.category);
    if (!this.beforeCutoff(appointment.start, rules))
      throw new AppError(
        'BOOKING_NOT_CHANGEABLE',
        `距预约开始不足${rules.cutoffMinutes}分钟，不能取消或改约`,
      );
  }

  /** What the hall's scanner reads: the booking, signed so a forged code is refused. */
  private qrPayload(appointment: AppointmentDoc): string {
    const body = `OWBK1.${String(appointment._id)}.${appointment.bookingCode}`;
    return `${body}.${createHmac('sha256', this.qrKey).update(body).digest('base64url').slice(0, 16)}`;
  }

  private async view(doc: AppointmentDoc): Promise<Appointment> {
    const rules = rulesFor(doc.category);
    const number = doc.ticketId ? await this.queue.numberOf(doc.ticketId) : null;
    return {
      id: String(doc._id),
      bookingCode: doc.bookingCode,
      qrPayload: this.qrPayload(doc),
      status: doc.status,
      hallId: doc.hallId,
      hallName: doc.hallName,
      itemCode: doc.itemCode,
      itemName: doc.itemName,
      start: doc.start.toISOString(),
      end: doc.end.toISOString(),
      kind: doc.kind,
      changeableUntil: new Date(doc.start.getTime() - rules.cutoffMinutes * MINUTE).toISOString(),
      checkInFrom: new Date(doc.start.getTime() - CHECK_IN_BEFORE_MS).toISOString(),
      checkInUntil: new Date(doc.start.getTime() + CHECK_IN_AFTER_MS).toISOString(),
      ticket: doc.ticketId && number ? { id: doc.ticketId, number } : null,
      createdAt: doc.createdAt.toISOString(),
      actedByName: doc.actedBy?.name ?? null,
    };
  }
}
