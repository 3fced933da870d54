// Booking a visit: slots from each hall's hours (regular, lunch, evening, weekend), places that
// never overbook under concurrency, idempotent retries, reschedule and cancel races, check-in
// to a priority ticket, the no-show rule, reminders, and every refusal's code.
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, boundCitizens, signIn, type ApiCall, type Citizen, injectCaller } from '../support/citizens';
import { openEventStream } from '../support/sse';
import { scaled } from '../support/time-scale';
import { nextShanghaiMonday, MovableClock } from '../support/clock';
import { until, untilAnswer } from '../support/until';

let bff: TestBff;
const DAY = 86_400_000;
// The suite runs on a known week: "now" is next Monday 08:00 in Shanghai, so Tuesday evenings
// and Saturday mornings are always inside the 7-day horizon. Tests move the clock from there.
const clock = new MovableClock(`${nextShanghaiMonday()}T08:00:00+08:00`);

const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

interface Hall {
  id: string;
  level: string;
  name: string;
  hours: {
    weekday: { open: string; close: string; lunch?: unknown };
    evening?: { days: number[] };
    weekend?: { days: number[] };
  };
}

let district: Hall; // lunch, Tue/Thu evening and Saturday services
let community: Hall; // weekdays only, closed at lunch
let itemCode: string;
let secondItem: string;
let people: Citizen[];
let nextPerson = 0;
const person = () => people[nextPerson++];

/** The Shanghai date `days` from the (test) clock's today. */
function shanghaiDay(days: number): string {
  return new Date(clock.now().getTime() + 8 * 3600_000 + days * DAY).toISOString().slice(0, 10);
}
function localTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}
function weekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}
/** The first day from today (Monday) on with the given ISO weekday. */
function nextWeekday(iso: number): string {
  for (let i = 0; i < 7; i += 1) if (weekday(shanghaiDay(i)) === iso) return shanghaiDay(i);
  throw new Error('unreachable');
}

async function slots(hallId: string, item: string, from?: string, to?: string) {
  const query = new URLSearchParams({ itemCode: item, ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const answer = await call('GET', `/api/v1/halls/${hallId}/slots?${query}`);
  expect(answer.status).toBe(200);
  return answer.body.slots as {
    start: string;
    end: string;
    kind: string;
    capacity: number;
    remaining: number;
  }[];
}

async function slotAt(day: string, time: string, hallId = district.id, item = itemCode) {
  const slot = (await slots(hallId, item, day, day)).find((s) => localTime(s.start) === time);
  if (!slot) throw new Error(`no slot ${day} ${time}`);
  return slot;
}

const book = (
  citizen: Citizen,
  start: string,
  options: { hallId?: string; item?: string; key?: string } = {},
) =>
  call(
    'POST',
    '/api/v1/appointments',
    { hallId: options.hallId ?? district.id, itemCode: options.item ?? itemCode, start },
    bearer(citizen.token, options.key ? { 'idempotency-key': options.key } : {}),
  );

/** The database's own count of places: every slot's `taken` equals the bookings holding a place in it. */
async function placesAgree(): Promise<void> {
  const db = bff.app.db;
  const slotDocs = await db.collection('slots').find().toArray();
  for (const slot of slotDocs) {
    const holding = await db.collection('appointments').countDocuments({
      hallId: slot.hallId,
      category: slot.category,
      start: slot.start,
      status: { $in: ['booked', 'checked_in', 'missed'] },
    });
    expect({ start: slot.start, taken: slot.taken }).toEqual({ start: slot.start, taken: holding });
    expect(slot.taken).toBeLessThanOrEqual(slot.capacity);
  }
}

beforeAll(async () => {
  bff = await startTestBff(
    'booking',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      BOOKING_SWEEP_MS: '150',
      NOTIFY_RETRY_MS: '150',
    },
    { now: clock.now },
  );
  const halls: Hall[] = (await call('GET', '/api/v1/halls')).body.halls;
  district = halls.find(
    (h) => h.level === 'district' && h.hours.evening && h.hours.weekend && h.hours.weekday.lunch,
  )!;
  community = halls.find((h) => h.level === 'community' && !h.hours.weekend && !h.hours.weekday.lunch)!;
  const items = (await call('GET', `/api/v1/items?hallId=${district.id}&pageSize=50`)).body.items.filter(
    (i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC',
  );
  [itemCode, secondItem] = [items[0].code, items[1].code];
  people = await boundCitizens(call, bff.world, 620);
}, scaled(180_000));
afterAll(() => bff.stop());
afterEach(() => {
  clock.reset();
});

describe('slots', () => {
  test('a district hall: regular and lunch slots on weekdays, evening slots on Tuesday and Thursday, Saturday morning, nothing on Sunday', async () => {
    const tuesday = nextWeekday(2);
    const tue = await slots(district.id, itemCode, tuesday, tuesday);
    const kinds = (kind: string) => tue.filter((s) => s.kind === kind).map((s) => localTime(s.start));
    expect(kinds('regular')).toEqual([
      '08:30',
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
      '16:30',
      '17:00',
    ]);
    expect(kinds('lunch')).toEqual(['12:00', '12:30', '13:00']);
    expect(kinds('evening')).toEqual(['17:30', '18:00', '18:30', '19:00']);
    expect(tue.map((s) => [s.kind, s.capacity])).toEqual(
      expect.arrayContaining([
        ['regular', 10],
        ['lunch', 4],
        ['evening', 6],
      ]),
    );
    expect(
      tue.every((s) => s.remaining === s.capacity && Date.parse(s.end) - Date.parse(s.start) === 30 * 60_000),
    ).toBe(true);

    const monday = nextWeekday(1);
    expect((await slots(district.id, itemCode, monday, monday)).some((s) => s.kind === 'evening')).toBe(
      false,
    );
    const saturday = nextWeekday(6);
    const sat = await slots(district.id, itemCode, saturday, saturday);
    expect(sat.map((s) => `${s.kind} ${localTime(s.start)} ${s.capacity}`)).toEqual(
      ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((t) => `weekend ${t} 8`),
    );
    const sunday = nextWeekday(7);
    expect(await slots(district.id, itemCode, sunday, sunday)).toEqual([]);
  });

  test('a community hall closes at lunch and at weekends', async () => {
    const items = (await call('GET', `/api/v1/items?hallId=${community.id}&pageSize=50`)).body.items.filter(
      (i: { bookable: boolean; category: string }) => i.bookable && i.category !== 'BDC',
    );
    const wednesday = nextWeekday(3);
    const wed = await slots(community.id, items[0].code, wednesday, wednesday);
    expect(wed.map((s) => localTime(s.start))).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
      '16:30',
    ]);
    expect(new Set(wed.map((s) => s.kind))).toEqual(new Set(['regular']));
    expect(await slots(community.id, items[0].code, nextWeekday(6), nextWeekday(7))).toEqual([]);
  });

  test('the default range is today and the next six days; past slots and those inside the cut-off are not offered', async () => {
    const all = await slots(district.id, itemCode);
    const days = new Set(
      all.map((s) => new Date(Date.parse(s.start) + 8 * 3600_000).toISOString().slice(0, 10)),
    );
    for (const day of days) expect(day >= shanghaiDay(0) && day <= shanghaiDay(6)).toBe(true);
    expect(all.every((s) => Date.parse(s.start) - 30 * 60_000 > clock.now().getTime())).toBe(true);
    // Monday 08:00: the 08:30 slot is inside the 30-minute cut-off, 09:00 is the first offered.
    expect(localTime(all[0].start)).toBe('09:00');
    expect(await slots(district.id, itemCode, shanghaiDay(7), shanghaiDay(9))).toEqual([]);
  });

  test('bad dates, unknown halls and items, and items the hall does not book give clear codes', async () => {
    const bad = await call('GET', `/api/v1/halls/${district.id}/slots?itemCode=${itemCode}&from=2026-02-30`);
    expect([bad.status, bad.body.error.code, bad.body.error.message]).toEqual([
      400,
      'INVALID_INPUT',
      '日期无效：2026-02-30',
    ]);
    expect(
      (await call('GET', `/api/v1/halls/${district.id}/slots?itemCode=${itemCode}&from=tomorrow`)).body.error
        .code,
    ).toBe('INVALID_INPUT');
    const reversed = await call(
      'GET',
      `/api/v1/halls/${district.id}/slots?itemCode=${itemCode}&from=${shanghaiDay(3)}&to=${shanghaiDay(1)}`,
    );
    expect(reversed.body.error).toEqual({ code: 'INVALID_INPUT', message: '开始日期不能晚于结束日期' });
    const unknownHall = await call('GET', `/api/v1/halls/H-NOWHERE/slots?itemCode=${itemCode}`);
    expect([unknownHall.status, unknownHall.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await call('GET', `/api/v1/halls/${district.id}/slots?itemCode=NOPE-1`)).status).toBe(404);
    expect((await call('GET', `/api/v1/halls/${district.id}/slots`)).body.error.code).toBe('INVALID_INPUT');
    const notHere = (await call('GET', '/api/v1/items?pageSize=50')).body.items.find(
      (i: { code: string }) => i.code !== itemCode,
    );
    const { item } = (await call('GET', `/api/v1/items/${notHere.code}`)).body;
    const hallWithout = (await call('GET', '/api/v1/halls')).body.halls.find(
      (h: { id: string }) => !item.hallIds.includes(h.id),
    );
    const refused = await call('GET', `/api/v1/halls/${hallWithout.id}/slots?itemCode=${item.code}`);
    expect([refused.status, refused.body.error]).toEqual([
      400,
      { code: 'ITEM_NOT_BOOKABLE', message: '该事项不能在此大厅预约' },
    ]);
  });
});

describe('booking', () => {
  test('a booking has a short code, a signed QR payload and shows in my bookings; the slot has one place fewer', async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(2), '18:00');
    const answer = await book(citizen, slot.start);
    expect(answer.status).toBe(201);
    const appointment = answer.body;
    expect(appointment).toEqual(
      expect.objectContaining({
        status: 'booked',
        kind: 'evening',
        hallId: district.id,
        hallName: district.name,
        itemCode,
        start: slot.start,
        end: slot.end,
        ticket: null,
      }),
    );
    expect(appointment.bookingCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(appointment.qrPayload).toMatch(
      new RegExp(`^OWBK1\\.${appointment.id}\\.${appointment.bookingCode}\\.[A-Za-z0-9_-]{16}$`),
    );
    expect((await slotAt(nextWeekday(2), '18:00')).remaining).toBe(slot.remaining - 1);
    const mine = await call('GET', '/api/v1/appointments', undefined, bearer(citizen.token));
    expect(mine.body.appointments.map((a: { id: string }) => a.id)).toEqual([appointment.id]);
    expect(
      (await call('GET', `/api/v1/appointments/${appointment.id}`, undefined, bearer(citizen.token))).body
        .bookingCode,
    ).toBe(appointment.bookingCode);
  });

  test(
    '500 citizens at once for 10 places: exactly 10 bookings, the rest SLOT_FULL, and the database agrees',
    async () => {
      const slot = await slotAt(nextWeekday(3), '09:00');
      expect(slot.capacity).toBe(10);
      const crowd = people.slice(nextPerson, nextPerson + 500);
      nextPerson += 500;
      const answers = await Promise.all(crowd.map((c) => book(c, slot.start)));
      const byStatus = answers.reduce<Record<string, number>>(
        (acc, a) => ({
          ...acc,
          [`${a.status} ${a.body.error?.code ?? 'ok'}`]:
            (acc[`${a.status} ${a.body.error?.code ?? 'ok'}`] ?? 0) + 1,
        }),
        {},
      );
      expect(byStatus).toEqual({ '201 ok': 10, '409 SLOT_FULL': 490 });
      expect(
        await bff.app.db
          .collection('appointments')
          .countDocuments({ start: new Date(slot.start), status: 'booked' }),
      ).toBe(10);
      expect(
        (await bff.app.db.collection('slots').findOne({ hallId: district.id, start: new Date(slot.start) }))!
          .taken,
      ).toBe(10);
      expect((await slotAt(nextWeekday(3), '09:00')).remaining).toBe(0);
      await placesAgree();
    },
    scaled(120_000),
  );

  test('the same Idempotency-Key sent 20 times at once books once, and every answer is that booking', async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(3), '10:00');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => book(citizen, slot.start, { key: 'tap-once-0001' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await bff.app.db.collection('appointments').countDocuments({ userId: citizen.id })).toBe(1);
    expect((await slotAt(nextWeekday(3), '10:00')).remaining).toBe(slot.remaining - 1);
    const other = await book(citizen, (await slotAt(nextWeekday(3), '10:30')).start, {
      key: 'tap-once-0001',
    });
    expect([other.status, other.body.error.code]).toEqual([409, 'IDEMPOTENCY_MISMATCH']);
  });

  test('one active booking per person, item and day, even from a second WeChat account of the same person', async () => {
    const citizen = person();
    const day = nextWeekday(4);
    expect((await book(citizen, (await slotAt(day, '09:00')).start)).status).toBe(201);
    const again = await book(citizen, (await slotAt(day, '14:00')).start);
    expect([again.status, again.body.error]).toEqual([
      409,
      { code: 'ALREADY_BOOKED', message: '您当天已预约该事项' },
    ]);
    expect(
      (await book(citizen, (await slotAt(day, '14:00', district.id, secondItem)).start, { item: secondItem }))
        .status,
    ).toBe(201);
    const resident = (await (await fetch(`${bff.world.core.url}/__admin/citizens`)).json()).citizens.find(
      (c: { idNumber: string }) => c.idNumber === citizen.idNumber,
    );
    const secondPhone = await signIn(call, bff.world);
    await call(
      'PUT',
      '/api/v1/me/realname',
      { name: resident.name, idNumber: resident.idNumber, phone: resident.phone },
      bearer(secondPhone.token),
    );
    const twin = await book({ ...citizen, ...secondPhone }, (await slotAt(day, '15:00')).start);
    expect(twin.body.error.code).toBe('ALREADY_BOOKED');
    await placesAgree();
  });

  test('a double tap without a key on a 4-place lunch slot: one booking, every other tap ALREADY_BOOKED, not SLOT_FULL', async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(2), '12:00');
    expect([slot.kind, slot.capacity]).toEqual(['lunch', 4]);
    const taps = await Promise.all(Array.from({ length: 12 }, () => book(citizen, slot.start)));
    expect(taps.filter((t) => t.status === 201)).toHaveLength(1);
    expect(new Set(taps.filter((t) => t.status !== 201).map((t) => t.body.error.code))).toEqual(
      new Set(['ALREADY_BOOKED']),
    );
    expect((await slotAt(nextWeekday(2), '12:00')).remaining).toBe(slot.remaining - 1);
    await placesAgree();
  });

  test('whoever has just taken the last place hears ALREADY_BOOKED on a second tap, everyone else SLOT_FULL', async () => {
    const day = nextWeekday(4);
    const slot = await slotAt(day, '14:30');
    const others = people.slice(nextPerson, nextPerson + slot.remaining - 1);
    nextPerson += others.length;
    expect((await Promise.all(others.map((c) => book(c, slot.start)))).map((a) => a.status)).toEqual(
      others.map(() => 201),
    );
    const last = person();
    expect((await book(last, slot.start)).status).toBe(201);
    const again = await book(last, slot.start);
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_BOOKED']);
    const stranger = await book(person(), slot.start);
    expect([stranger.status, stranger.body.error.code]).toEqual([409, 'SLOT_FULL']);
    await placesAgree();
  });

  test('a booking claim left by a crashed request holds the person for a minute, then gives way', async () => {
    const citizen = person();
    const day = nextWeekday(2);
    const first = await book(citizen, (await slotAt(day, '09:30')).start);
    expect(first.status).toBe(201);
    const { personKey } = (await bff.app.db
      .collection('appointments')
      .findOne({ bookingCode: first.body.bookingCode }))!;
    expect(
      (await call('POST', `/api/v1/appointments/${first.body.id}/cancel`, undefined, bearer(citizen.token)))
        .status,
    ).toBe(200);
    const claims = bff.app.db.collection<{ _id: string; token: string; until: Date }>('booking_claims');
    await claims.insertOne({
      _id: `${personKey}|${itemCode}|${day}`,
      token: 'crashed',
      until: new Date(clock.now().getTime() + 60_000),
    });
    const held = await book(citizen, (await slotAt(day, '10:00')).start);
    expect([held.status, held.body.error?.code]).toEqual([409, 'ALREADY_BOOKED']);
    clock.advance(61_000);
    const again = await book(citizen, (await slotAt(day, '10:00')).start);
    expect(again.status).toBe(201);
    expect(await claims.countDocuments({ _id: `${personKey}|${itemCode}|${day}` })).toBe(0);
    await placesAgree();
  });

  test('booking needs real-name binding, a slot the hall offers, in the future and inside the horizon', async () => {
    const unbound = await signIn(call, bff.world);
    const slot = await slotAt(nextWeekday(5), '09:30');
    const refused = await book({ ...unbound, name: '', idNumber: '' }, slot.start);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'REALNAME_REQUIRED']);
    expect(
      (await call('POST', '/api/v1/appointments', { hallId: district.id, itemCode, start: slot.start }))
        .status,
    ).toBe(401);

    const citizen = person();
    const offGrid = await book(citizen, new Date(Date.parse(slot.start) + 10 * 60_000).toISOString());
    expect([offGrid.status, offGrid.body.error.code]).toEqual([400, 'SLOT_UNAVAILABLE']);
    const past = await book(citizen, new Date(Date.parse(slot.start) - 7 * DAY).toISOString());
    expect(past.body.error).toEqual({
      code: 'SLOT_UNAVAILABLE',
      message: '该时段已过或距开始不足30分钟，不能预约',
    });
    const tooFar = await book(citizen, new Date(Date.parse(slot.start) + 7 * DAY).toISOString());
    expect(tooFar.body.error).toEqual({ code: 'SLOT_UNAVAILABLE', message: '只能预约7天内的时段' });
    const sunday = await book(citizen, `${nextWeekday(7)}T10:00:00+08:00`);
    expect(sunday.body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book(citizen, slot.start, { hallId: 'H-NOWHERE' })).status).toBe(404);
    expect((await book(citizen, slot.start, { item: 'NOPE-1' })).status).toBe(404);
    const malformed = await call(
      'POST',
      '/api/v1/appointments',
      { hallId: district.id, itemCode, start: 'next tuesday' },
      bearer(citizen.token),
    );
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    const operator = await call(
      'POST',
      '/api/v1/appointments',
      { hallId: { $ne: null }, itemCode, start: slot.start },
      bearer(citizen.token),
    );
    expect(operator.status).toBe(400);
    expect(await bff.app.db.collection('appointments').countDocuments({ userId: citizen.id })).toBe(0);
  });
});

describe('changing a booking', () => {
  test('cancel frees exactly one place, even when sent twice at once', async () => {
    const day = nextWeekday(5);
    const slot = await slotAt(day, '11:00');
    const crowd = people.slice(nextPerson, nextPerson + slot.remaining);
    nextPerson += crowd.length;
    const booked = await Promise.all(crowd.map((c) => book(c, slot.start)));
    expect((await slotAt(day, '11:00')).remaining).toBe(0);
    const [first, second] = await Promise.all(
      [0, 1].map(() =>
        call('POST', `/api/v1/appointments/${booked[0].body.id}/cancel`, undefined, bearer(crowd[0].token)),
      ),
    );
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((await slotAt(day, '11:00')).remaining).toBe(1);
    const late = person();
    expect((await book(late, slot.start)).status).toBe(201);
    expect((await book(person(), slot.start)).body.error.code).toBe('SLOT_FULL');
    await placesAgree();
  });

  test('reschedule moves the booking and the places; two reschedules at once: one wins, nothing leaks', async () => {
    const citizen = person();
    const day = nextWeekday(1);
    const [a, b, c] = await Promise.all(['09:00', '09:30', '10:00'].map((t) => slotAt(day, t)));
    const appointment = (await book(citizen, a.start)).body;
    const moved = await call(
      'POST',
      `/api/v1/appointments/${appointment.id}/reschedule`,
      { start: b.start },
      bearer(citizen.token),
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual(
      expect.objectContaining({
        id: appointment.id,
        bookingCode: appointment.bookingCode,
        start: b.start,
        status: 'booked',
      }),
    );
    expect((await slotAt(day, '09:00')).remaining).toBe(a.remaining);
    expect((await slotAt(day, '09:30')).remaining).toBe(b.remaining - 1);

    const race = await Promise.all(
      [a, c].map((target) =>
        call(
          'POST',
          `/api/v1/appointments/${appointment.id}/reschedule`,
          { start: target.start },
          bearer(citizen.token),
        ),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race.find((r) => r.status === 200)!.body.start;
    const stored = await call(
      'GET',
      `/api/v1/appointments/${appointment.id}`,
      undefined,
      bearer(citizen.token),
    );
    expect(stored.body.start).toBe(winner);
    expect((await slotAt(day, '09:30')).remaining).toBe(b.remaining);
    await placesAgree();
  });

  test('reschedule into a full slot keeps the old booking; racing another citizen for the last place, one gets it', async () => {
    const day = nextWeekday(1);
    const target = await slotAt(day, '14:00');
    const fillers = people.slice(nextPerson, nextPerson + target.remaining - 1);
    nextPerson += fillers.length;
    await Promise.all(fillers.map((f) => book(f, target.start)));
    expect((await slotAt(day, '14:00')).remaining).toBe(1);
    const mover = person();
    const appointment = (await book(mover, (await slotAt(day, '15:00')).start)).body;
    const rival = person();
    const [moved, rivalBooked] = await Promise.all([
      call(
        'POST',
        `/api/v1/appointments/${appointment.id}/reschedule`,
        { start: target.start },
        bearer(mover.token),
      ),
      book(rival, target.start),
    ]);
    expect([moved.status === 200, rivalBooked.status === 201].filter(Boolean)).toHaveLength(1);
    // Either may win; both outcomes are checked: the loser is SLOT_FULL, and the mover's booking
    // is at the target if the reschedule won, else still where it was.
    const moverWon = moved.status === 200;
    expect((moverWon ? rivalBooked : moved).body.error.code).toBe('SLOT_FULL');
    const kept = await call('GET', `/api/v1/appointments/${appointment.id}`, undefined, bearer(mover.token));
    expect(kept.body).toEqual(
      expect.objectContaining({ status: 'booked', start: moverWon ? target.start : appointment.start }),
    );
    expect((await slotAt(day, '14:00')).remaining).toBe(0);
    await placesAgree();
  });

  test('reschedule racing a cancel: one of them happens, and the places add up', async () => {
    const citizen = person();
    const day = nextWeekday(4);
    const appointment = (await book(citizen, (await slotAt(day, '10:30')).start)).body;
    const target = await slotAt(day, '11:30');
    const [moved, cancelled] = await Promise.all([
      call(
        'POST',
        `/api/v1/appointments/${appointment.id}/reschedule`,
        { start: target.start },
        bearer(citizen.token),
      ),
      call('POST', `/api/v1/appointments/${appointment.id}/cancel`, undefined, bearer(citizen.token)),
    ]);
    const final = (
      await call('GET', `/api/v1/appointments/${appointment.id}`, undefined, bearer(citizen.token))
    ).body;
    // Either the move won (booked at the new time, the cancel refused) or the cancel did (cancelled
    // at the old time, the move refused); never both, never neither.
    expect([
      [moved.status, moved.body.error?.code, cancelled.status, cancelled.body.error?.code],
      [final.status, final.start],
    ]).toEqual(
      moved.status === 200
        ? [
            [200, undefined, 409, 'BOOKING_NOT_CHANGEABLE'],
            ['booked', target.start],
          ]
        : [
            [409, 'BOOKING_NOT_CHANGEABLE', 200, undefined],
            ['cancelled', appointment.start],
          ],
    );
    await placesAgree();
  });

  test("no cancelling or rescheduling inside the cut-off; another citizen's booking is 404", async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(2), '16:00');
    const appointment = (await book(citizen, slot.start)).body;
    const stranger = person();
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '/cancel', undefined],
      ['POST', '/reschedule', { start: slot.start }],
      ['POST', '/check-in', undefined],
    ] as const) {
      const answer = await call(
        method,
        `/api/v1/appointments/${appointment.id}${path}`,
        body,
        bearer(stranger.token),
      );
      expect([answer.status, answer.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect(
      (await call('GET', '/api/v1/appointments/not-an-id', undefined, bearer(citizen.token))).status,
    ).toBe(404);
    clock.set(Date.parse(slot.start) - 20 * 60_000);
    const late = await call(
      'POST',
      `/api/v1/appointments/${appointment.id}/cancel`,
      undefined,
      bearer(citizen.token),
    );
    expect([late.status, late.body.error]).toEqual([
      409,
      { code: 'BOOKING_NOT_CHANGEABLE', message: '距预约开始不足30分钟，不能取消或改约' },
    ]);
    const later = await slotAt(nextWeekday(2), '16:30');
    const lateMove = await call(
      'POST',
      `/api/v1/appointments/${appointment.id}/reschedule`,
      { start: later.start },
      bearer(citizen.token),
    );
    expect([lateMove.status, lateMove.body.error.code]).toEqual([409, 'BOOKING_NOT_CHANGEABLE']);
    const kept = await call(
      'GET',
      `/api/v1/appointments/${appointment.id}`,
      undefined,
      bearer(citizen.token),
    );
    expect([kept.body.status, kept.body.start]).toEqual(['booked', slot.start]);
    expect((await slotAt(nextWeekday(2), '16:30')).remaining).toBe(later.remaining);
    await placesAgree();
  });
});

describe('check-in', () => {
  test('from 30 minutes before to 15 after, once: a priority ticket at the booked hall', async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(4), '18:30');
    const appointment = (await book(citizen, slot.start)).body;
    const checkIn = () =>
      call('POST', `/api/v1/appointments/${appointment.id}/check-in`, undefined, bearer(citizen.token));
    clock.set(Date.parse(slot.start) - 31 * 60_000);
    expect((await checkIn()).body.error.code).toBe('CHECK_IN_CLOSED');
    clock.set(Date.parse(slot.start) - 10 * 60_000);
    const [first, second] = await Promise.all([checkIn(), checkIn()]);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('checked_in');
    expect(first.body.ticket.number).toMatch(/^[A-Z]\d{3}$/);
    expect(second.body.ticket).toEqual(first.body.ticket);
    const tickets = await bff.app.db.collection('tickets').find({ appointmentId: appointment.id }).toArray();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toEqual(
      expect.objectContaining({
        priority: 'booking',
        status: 'waiting',
        hallId: district.id,
        userId: citizen.id,
      }),
    );
    expect(
      (await call('POST', `/api/v1/appointments/${appointment.id}/cancel`, undefined, bearer(citizen.token)))
        .body.error.code,
    ).toBe('BOOKING_NOT_CHANGEABLE');
  });

  test('a check-in whose ticket cannot be issued leaves the booking as it was, to check in again', async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(3), '15:00');
    const appointment = (await book(citizen, slot.start)).body;
    clock.set(Date.parse(slot.start) - 10 * 60_000);
    // Already in that line with a walk-in number: the booking's ticket would be a second one.
    const walkIn = await call(
      'POST',
      `/api/v1/halls/${district.id}/tickets`,
      {
        category: (await call('GET', `/api/v1/halls/${district.id}/slots?itemCode=${itemCode}`)).body
          .category,
      },
      bearer(citizen.token),
    );
    expect(walkIn.status).toBe(201);
    const checkIn = () =>
      call('POST', `/api/v1/appointments/${appointment.id}/check-in`, undefined, bearer(citizen.token));
    const refused = await checkIn();
    expect([refused.status, refused.body.error.code]).toEqual([409, 'ALREADY_QUEUED']);
    const after = await call(
      'GET',
      `/api/v1/appointments/${appointment.id}`,
      undefined,
      bearer(citizen.token),
    );
    expect([after.body.status, after.body.ticket ?? null]).toEqual(['booked', null]);
    expect(await bff.app.db.collection('tickets').countDocuments({ appointmentId: appointment.id })).toBe(0);

    expect(
      (await call('POST', `/api/v1/tickets/${walkIn.body.id}/cancel`, undefined, bearer(citizen.token)))
        .status,
    ).toBe(200);
    const checkedIn = await checkIn();
    expect([checkedIn.status, checkedIn.body.status]).toEqual([200, 'checked_in']);
    expect(await bff.app.db.collection('tickets').countDocuments({ appointmentId: appointment.id })).toBe(1);
  });

  test('a check-in reaches the live streams of the citizens already waiting in that line', async () => {
    const booker = person();
    // An ordinary ticket (not 65 or older, who would be 绿色通道 and keep their place among priority tickets).
    let waiting = person();
    while (Number(waiting.idNumber.slice(6, 10)) <= 1962) waiting = person();
    const slot = await slotAt(nextWeekday(4), '17:30');
    const appointment = (await book(booker, slot.start)).body;
    clock.set(Date.parse(slot.start) - 10 * 60_000);
    const { category } = (await bff.app.db
      .collection('appointments')
      .findOne({ bookingCode: appointment.bookingCode }))!;
    const ticket = await call(
      'POST',
      `/api/v1/halls/${district.id}/tickets`,
      { category },
      bearer(waiting.token),
    );
    expect(ticket.status).toBe(201);
    const address = await bff.app
      .listen({ port: 0, host: '127.0.0.1' })
      .catch(() => `http://127.0.0.1:${(bff.app.server.address() as { port: number }).port}`);
    const stream = await openEventStream(
      `${address}/api/v1/tickets/${ticket.body.id}/events`,
      bearer(waiting.token),
    );
    try {
      const before = (await stream.next()).ahead;
      expect(
        (
          await call(
            'POST',
            `/api/v1/appointments/${appointment.id}/check-in`,
            undefined,
            bearer(booker.token),
          )
        ).status,
      ).toBe(200);
      // The booked citizen goes first: the one already waiting hears it at once, without asking.
      expect(await stream.nextWhere((t) => t.ahead !== before)).toEqual(
        expect.objectContaining({ id: ticket.body.id, ahead: before + 1 }),
      );
    } finally {
      stream.close();
    }
  });

  test('16 minutes after the start is too late', async () => {
    const citizen = person();
    const slot = await slotAt(nextWeekday(4), '19:00');
    const appointment = (await book(citizen, slot.start)).body;
    clock.set(Date.parse(slot.start) + 16 * 60_000);
    expect(
      (
        await call(
          'POST',
          `/api/v1/appointments/${appointment.id}/check-in`,
          undefined,
          bearer(citizen.token),
        )
      ).body.error.code,
    ).toBe('CHECK_IN_CLOSED');
  });
});

describe('no-shows', () => {
  test('a missed booking is marked; three in 90 days restrict booking for 30 days from the last, then it lifts', async () => {
    const citizen = person();
    const days = [nextWeekday(1), nextWeekday(2), nextWeekday(3)].sort();
    const booked = [];
    for (const day of days.slice(0, 2))
      booked.push((await book(citizen, (await slotAt(day, '10:00')).start)).body);
    clock.set(`${days[2]}T00:00:00+08:00`);
    const mine = (await call('GET', '/api/v1/appointments', undefined, bearer(citizen.token))).body
      .appointments;
    expect(mine.map((a: { id: string }) => a.id).sort()).toEqual(booked.map((a) => a.id).sort());
    expect(mine.map((a: { status: string }) => a.status)).toEqual(['missed', 'missed']);
    // Two misses: still allowed.
    const third = (await book(citizen, (await slotAt(days[2], '08:30')).start)).body;
    expect(third.status).toBe('booked');
    clock.set(Date.parse(third.end) + 60_000);
    const refused = await book(citizen, (await slotAt(shanghaiDay(1), '09:00')).start);
    const lifts = new Date(Date.parse(third.end) + 30 * DAY);
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      403,
      'BOOKING_RESTRICTED',
      { until: lifts.toISOString() },
    ]);
    expect(refused.body.error.message).toBe(
      `因多次预约未到，${new Date(lifts.getTime() + 8 * 3600_000).toISOString().slice(0, 10)} 前不能预约`,
    );
    clock.set(lifts.getTime() - 60_000);
    expect((await book(citizen, (await slotAt(shanghaiDay(1), '09:00')).start)).body.error.code).toBe(
      'BOOKING_RESTRICTED',
    );
    clock.set(lifts.getTime() + 60_000);
    expect((await book(citizen, (await slotAt(shanghaiDay(1), '09:00')).start)).status).toBe(201);
  });
});

describe('reminders', () => {
  async function wechatInbox(
    openid: string,
  ): Promise<{ template_id: string; data: Record<string, { value: string }> }[]> {
    return (await (await fetch(`${bff.world.wechat.url}/dev/messages?openid=${openid}`)).json()).messages;
  }
  const inbox = (citizen: Citizen) => call('GET', '/api/v1/messages', undefined, bearer(citizen.token));
  const pushStates = async (citizen: Citizen) =>
    (
      await bff.app.db
        .collection('messages')
        .find({ userId: citizen.id, kind: 'booking_reminder' })
        .sort({ createdAt: 1 })
        .toArray()
    ).map((m) => m.push?.state);

  test('the day before and the hour before: in the message centre always, on WeChat once per consent', async () => {
    const citizen = person();
    const subscriptions = await call('GET', '/api/v1/subscriptions', undefined, bearer(citizen.token));
    const templateId = subscriptions.body.templates.bookingReminder;
    expect(templateId).toBe(bff.world.wechat.templateIds.bookingReminder);
    await fetch(`${bff.world.wechat.url}/dev/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: citizen.openid, templateId }),
    });
    expect(
      (await call('POST', '/api/v1/subscriptions', { templateIds: [templateId] }, bearer(citizen.token))).body
        .consents,
    ).toEqual({ bookingReminder: 1 });

    const slot = await slotAt(nextWeekday(5), '15:30');
    const appointment = (await book(citizen, slot.start)).body;
    // Another citizen's booking half an hour later: its reminders come due after the first one's.
    const other = person();
    const later = await slotAt(nextWeekday(5), '16:00');
    expect((await book(other, later.start)).status).toBe(201);
    clock.set(Date.parse(slot.start) - 23 * 3600_000);
    let messages = (
      await untilAnswer(
        () => inbox(citizen),
        (answer) => answer.body.total > 0,
        'the day-before reminder',
      )
    ).body;
    expect(messages.unread).toBe(1);
    expect(messages.messages[0]).toEqual(
      expect.objectContaining({
        kind: 'booking_reminder',
        title: expect.stringContaining('明天'),
        link: `/packages/booking/detail?id=${appointment.id}`,
      }),
    );
    expect(messages.messages[0].body).toContain(appointment.bookingCode);
    let pushed = await until(async () => {
      const got = await wechatInbox(citizen.openid);
      return got.length > 0 && got;
    }, 'the WeChat reminder');
    expect(pushed).toHaveLength(1);
    expect(pushed[0].data.character_string4.value).toBe(appointment.bookingCode);

    clock.set(Date.parse(slot.start) - 50 * 60_000);
    messages = (
      await untilAnswer(
        () => inbox(citizen),
        (answer) => answer.body.total === 2,
        'the hour-before reminder',
      )
    ).body;
    expect(messages.messages.map((m: { title: string }) => m.title)).toEqual([
      expect.stringContaining('1小时后'),
      expect.stringContaining('明天'),
    ]);
    // The one consent was used by the first reminder: the second reaches the message centre only.
    await untilAnswer(
      async () => ({ status: 200, body: await pushStates(citizen) }),
      (answer) => answer.body.join() === 'sent,no_consent',
      'the second push to find no consent',
    );
    pushed = await wechatInbox(citizen.openid);
    expect(pushed).toHaveLength(1);
    // Later sweeps remind nobody twice: the other citizen's hour-before reminder proves a sweep ran since.
    clock.set(Date.parse(later.start) - 50 * 60_000);
    await untilAnswer(
      () => inbox(other),
      (answer) => answer.body.messages.some((m: { title: string }) => m.title.includes('1小时后')),
      "the other citizen's hour-before reminder",
    );
    expect((await inbox(citizen)).body.total).toBe(2);

    const read = await call(
      'POST',
      `/api/v1/messages/${messages.messages[0].id}/read`,
      undefined,
      bearer(citizen.token),
    );
    expect(read.body.message.read).toBe(true);
    expect((await call('GET', '/api/v1/messages', undefined, bearer(citizen.token))).body.unread).toBe(1);
    expect(
      (
        await call(
          'POST',
          `/api/v1/messages/${messages.messages[0].id}/read`,
          undefined,
          bearer(person().token),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await call(
          'POST',
          '/api/v1/subscriptions',
          { templateIds: ['not-a-template'] },
          bearer(citizen.token),
        )
      ).body.error.code,
    ).toBe('INVALID_INPUT');
  });
});
