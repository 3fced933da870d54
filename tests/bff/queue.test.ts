// Queue numbers: gap-free numbering under load, windows calling concurrently, the priority
// rule and its anti-starvation bound, skip and rejoin, transfer, the daily reset, hours and
// quota, estimates that follow open windows, ownership, and live updates over SSE.
import { Types } from 'mongoose';
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, boundCitizens, signIn, type ApiCall, injectCaller } from '../support/citizens';
import { callingOrder, ticketsAhead } from '@onewindow/bff/modules/queue/order';
import type { TicketDoc } from '@onewindow/bff/modules/queue/model';
import { openEventStream } from '../support/sse';
import { scaled } from '../support/time-scale';
import { nextShanghaiMonday, MovableClock } from '../support/clock';

let bff: TestBff;
const DAY = 86_400_000;
// Next Monday 08:00 Shanghai (00:00 UTC); each test moves to its own day, and tickets belong to a day.
const base = Date.parse(`${nextShanghaiMonday()}T08:00:00+08:00`);
const clock = new MovableClock(base);
/** Sets the clock to `days` after that Monday at a Shanghai wall-clock time. */
function clockAt(days: number, hhmm: string): void {
  const day = new Date(base + days * DAY).toISOString().slice(0, 10);
  clock.set(`${day}T${hhmm}:00+08:00`);
}

const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

interface Hall {
  id: string;
  level: string;
  hours: { weekday: { lunch?: unknown } };
  windows: { id: string; name: string; categories: string[] }[];
  categories: { code: string; prefix: string }[];
}
let hall: Hall;
let staffTokens: Map<string, string>; // window id → token
let staffDirectory: { id: string; username: string; windowId?: string; hallId?: string; role: string }[];
let staffPassword: string;

async function staffLogin(windowId: string): Promise<string> {
  if (staffTokens.has(windowId)) return staffTokens.get(windowId)!;
  const member = staffDirectory.find((s) => s.windowId === windowId)!;
  const login = await call('POST', '/api/v1/auth/staff', {
    username: member.username,
    password: staffPassword,
  });
  expect(login.status).toBe(200);
  staffTokens.set(windowId, login.body.accessToken);
  return login.body.accessToken;
}

async function citizens(count: number) {
  const signedIn = [];
  // In batches: a thousand logins at once would trip the BFF's overload guard.
  for (let i = 0; i < count; i += 50)
    signedIn.push(
      ...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => signIn(call, bff.world)))),
    );
  return signedIn;
}

const take = (token: string, category: string, hallId = hall.id) =>
  call('POST', `/api/v1/halls/${hallId}/tickets`, { category }, bearer(token));
const staffPost = async (windowId: string, path: string, body?: unknown) =>
  call('POST', `/api/v1/staff/${path}`, body, bearer(await staffLogin(windowId)));
/** The windows of the hall serving `category` only through its own line (not 综合). */
const lineWindows = (category: string) =>
  hall.windows.filter((w) => w.categories.includes(category) && w.categories.length === 2);
const allWindows = (category: string) => hall.windows.filter((w) => w.categories.includes(category));

async function closeAll(): Promise<void> {
  for (const w of hall.windows) await staffPost(w.id, `windows/${w.id}/close`);
}

beforeAll(async () => {
  bff = await startTestBff(
    'queue',
    { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000', QUEUE_DAILY_QUOTA: '1000' },
    { now: clock.now },
  );
  const halls: Hall[] = (await call('GET', '/api/v1/halls?level=district')).body.halls;
  hall = halls[0];
  ({ staff: staffDirectory, password: staffPassword } = await (
    await fetch(`${bff.world.core.url}/__admin/staff`)
  ).json());
  staffTokens = new Map();
}, scaled(60_000));
afterAll(() => bff.stop());

describe('the calling rule', () => {
  test('positions from counts agree with the full calling order for every queue of up to 8 tickets', () => {
    const mismatches: string[] = [];
    for (let length = 1; length <= 8; length += 1) {
      for (let pattern = 0; pattern < 1 << length; pattern += 1) {
        for (const streak of [0, 1, 2]) {
          const queue = Array.from(
            { length },
            (_, i) =>
              ({
                _id: String(i),
                seq: i + 1,
                queuedAt: new Date(i * 1000),
                priority: pattern & (1 << i) ? 'disabled' : null,
              }) as unknown as TicketDoc,
          );
          const order = callingOrder(queue, streak);
          const ids = order.map((t) => t._id);
          for (const ticket of queue) {
            const sameKind = queue.filter(
              (t) => Boolean(t.priority) === Boolean(ticket.priority) && t.seq! < ticket.seq!,
            ).length;
            const others = queue.filter((t) => Boolean(t.priority) !== Boolean(ticket.priority)).length;
            const counted = ticketsAhead(Boolean(ticket.priority), sameKind, others, streak);
            if (counted !== ids.indexOf(ticket._id))
              mismatches.push(
                `${pattern}/${length}/${streak}: ticket ${String(ticket._id)} counted ${counted}`,
              );
          }
          // Never more than two priority tickets in a row while an ordinary one still waits.
          const kinds = order.map((t) => (t.priority ? 'P' : 'O')).join('');
          if (/PPP/.test(kinds.slice(0, Math.max(0, kinds.lastIndexOf('O')))))
            mismatches.push(`${pattern}/${length}/${streak}: ${kinds}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('numbers', () => {
  test(
    '1,000 citizens take a number at once: 1..1000 exactly once; the 1,001st finds the quota used up and burns no number',
    async () => {
      clockAt(0, '09:00');
      const category = hall.categories[0];
      const crowd = await citizens(1001);
      const answers = await Promise.all(crowd.slice(0, 1000).map((c) => take(c.token, category.code)));
      expect(answers.filter((a) => a.status !== 201)).toEqual([]);
      const numbers = answers.map((a) => a.body.number as string).sort();
      expect(numbers).toEqual(
        Array.from({ length: 1000 }, (_, i) => `${category.prefix}${String(i + 1).padStart(3, '0')}`).sort(),
      );
      const last = await take(crowd[1000].token, category.code);
      expect([last.status, last.body.error.code]).toEqual([409, 'QUOTA_EXHAUSTED']);
      const stored = await bff.app.db
        .collection('tickets')
        .find({ hallId: hall.id, category: category.code, day: new Date(base).toISOString().slice(0, 10) })
        .toArray();
      expect(stored.map((t) => t.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 1000 }, (_, i) => i + 1),
      );
      expect(
        (
          await bff.app.db.collection('ticket_counters').findOne({
            _id: `${hall.id}|${category.code}|${new Date(base).toISOString().slice(0, 10)}` as never,
          })
        )?.seq,
      ).toBe(1000);
      // The ticket says where it stands.
      const first = answers.find((a) => a.body.number === `${category.prefix}001`)!.body;
      expect(first).toEqual(
        expect.objectContaining({
          status: 'waiting',
          ahead: 0,
          etaMinutes: 0,
          hallId: hall.id,
          category: category.code,
        }),
      );
      // The line is called in number order: concurrent takes claim in one order and draw in
      // another, and the place in line follows the draw.
      const calling = [...stored].sort(
        (a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.seq as number) - (b.seq as number),
      );
      expect(calling.map((t) => t.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      // Once the burst is written, the tenth number has nine ahead. (Its answer during the burst
      // may count fewer: numbers drawn before it whose tickets were not yet written.)
      const tenthId = answers.find((a) => a.body.number === `${category.prefix}010`)!.body.id as string;
      const tenthOwner = crowd[answers.findIndex((a) => a.body.id === tenthId)];
      const tenth = await call('GET', `/api/v1/tickets/${tenthId}`, undefined, bearer(tenthOwner.token));
      expect(tenth.body.ahead).toBe(9);
    },
    scaled(120_000),
  );

  test("one live number per citizen, hall and category; numbers restart the next day and yesterday's expire", async () => {
    clockAt(1, '16:00');
    const [citizen] = await citizens(1);
    const category = hall.categories[1].code;
    const first = await take(citizen.token, category);
    expect(first.status).toBe(201);
    expect((await take(citizen.token, category)).body.error.code).toBe('ALREADY_QUEUED');
    clockAt(2, '09:00');
    const next = await take(citizen.token, category);
    expect(next.status).toBe(201);
    expect(next.body.number).toBe(`${hall.categories[1].prefix}001`);
    expect(
      (await call('GET', `/api/v1/tickets/${first.body.id}`, undefined, bearer(citizen.token))).body.status,
    ).toBe('cancelled');
  });

  test("a taken ticket is stored as the ticket schema's defaults make it (the take inserts through the driver)", async () => {
    clockAt(14, '10:00'); // a day of its own: no other test's line
    const [citizen] = await citizens(1);
    const taken = await take(citizen.token, hall.categories[0].code);
    expect(taken.status).toBe(201);
    const stored = await bff.app.db
      .collection('tickets')
      .findOne({ _id: new Types.ObjectId(taken.body.id as string) });
    const { _id, hallId, category, numberCategory, day, userId, queuedAt, takenAt, seq, number } = stored!;
    const Ticket = bff.app.db.models.Ticket;
    const bySchema = new Ticket({
      _id,
      hallId,
      category,
      numberCategory,
      day,
      userId,
      queuedAt,
      takenAt,
      seq,
      number,
      status: 'waiting',
      live: true,
    }).toObject();
    expect(stored).toEqual(bySchema);
  });

  test('outside opening hours the queue is closed; unknown halls and categories are refused', async () => {
    const [citizen] = await citizens(1);
    clockAt(0, '20:00'); // Monday: no evening service
    expect((await take(citizen.token, hall.categories[0].code)).body.error).toEqual({
      code: 'QUEUE_CLOSED',
      message: '当前不在取号时间内',
    });
    clockAt(6, '10:00'); // Sunday
    expect((await take(citizen.token, hall.categories[0].code)).body.error.code).toBe('QUEUE_CLOSED');
    const street = (await call('GET', '/api/v1/halls?level=street')).body.halls.find(
      (h: Hall) => !h.hours.weekday.lunch,
    );
    clockAt(2, '12:30');
    expect((await take(citizen.token, street.categories[0].code, street.id)).body.error.code).toBe(
      'QUEUE_CLOSED',
    );
    clockAt(2, '12:30');
    expect((await take(citizen.token, 'NOPE')).body.error.code).toBe('INVALID_INPUT');
    expect((await take(citizen.token, hall.categories[0].code, 'H-NOWHERE')).status).toBe(404);
    expect(
      (
        await call(
          'POST',
          `/api/v1/halls/${hall.id}/tickets`,
          { category: { $gt: '' } },
          bearer(citizen.token),
        )
      ).status,
    ).toBe(400);
  });
});

describe('calling', () => {
  test(
    'two windows calling at once 200 times never get the same ticket',
    async () => {
      clockAt(3, '09:00');
      const category = hall.categories.find((c) => lineWindows(c.code).length >= 2) ?? hall.categories[0];
      const [a, b] = allWindows(category.code);
      const crowd = await citizens(200);
      for (const c of crowd) expect((await take(c.token, category.code)).status).toBe(201);
      const called: string[] = [];
      for (let round = 0; round < 100; round += 1) {
        const answers = await Promise.all([
          staffPost(a.id, `windows/${a.id}/call-next`),
          staffPost(b.id, `windows/${b.id}/call-next`),
        ]);
        for (const answer of answers) {
          expect(answer.status).toBe(200);
          called.push(answer.body.current.id);
          await staffPost(answer.body.windowId, `tickets/${answer.body.current.id}/complete`);
        }
      }
      expect(called).toHaveLength(200);
      expect(new Set(called).size).toBe(200);
      const empty = await staffPost(a.id, `windows/${a.id}/call-next`);
      expect([empty.status, empty.body.error.code]).toEqual([404, 'QUEUE_EMPTY']);
      await closeAll();
    },
    scaled(120_000),
  );

  test('priority tickets go first, but never more than two in a row while ordinary tickets wait', async () => {
    clockAt(4, '09:00');
    const category = hall.categories[2].code;
    const window = allWindows(category)[0];
    const people = await citizens(6);
    const tickets: any[] = [];
    for (const p of people) tickets.push((await take(p.token, category)).body);
    // The last three are flagged at the window: disabled, pregnant, military.
    for (const [i, reason] of (['disabled', 'pregnant', 'military'] as const).entries()) {
      const flagged = await staffPost(window.id, `tickets/${tickets[3 + i].id}/priority`, { reason });
      expect(flagged.body.priority).toBe(reason);
    }
    const ahead = (await call('GET', `/api/v1/tickets/${tickets[0].id}`, undefined, bearer(people[0].token)))
      .body.ahead;
    expect(ahead).toBe(2); // two priority tickets go before the oldest ordinary one
    const order: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const answer = await staffPost(window.id, `windows/${window.id}/call-next`);
      order.push(answer.body.current.number);
      await staffPost(window.id, `tickets/${answer.body.current.id}/complete`);
    }
    const n = (i: number) => tickets[i].number;
    expect(order).toEqual([n(3), n(4), n(0), n(5), n(1), n(2)]);
    await closeAll();
  });

  test('an elderly citizen (65+ by real-name data) is 绿色通道 automatically', async () => {
    clockAt(4, '10:00');
    const people = await boundCitizens(call, bff.world, 40);
    const elder = people.find((p) => Number(p.idNumber.slice(6, 10)) <= new Date(base).getUTCFullYear() - 66);
    const young = people.find(
      (p) => Number(p.idNumber.slice(6, 10)) >= new Date(base).getUTCFullYear() - 60,
    )!;
    const category = hall.categories[3].code;
    expect((await take(young.token, category)).body.priority).toBeNull();
    expect(elder).toBeDefined();
    expect((await take(elder!.token, category)).body).toEqual(
      expect.objectContaining({ priority: 'elderly', ahead: 0 }),
    );
  });

  test('skip, then rejoin once behind three others; recall and serve', async () => {
    clockAt(7, '09:00');
    const category = hall.categories[0].code;
    const window = allWindows(category)[0];
    const people = await citizens(6);
    const tickets: any[] = [];
    for (const p of people) tickets.push((await take(p.token, category)).body);
    const calledFirst = await staffPost(window.id, `windows/${window.id}/call-next`);
    expect(calledFirst.body.current.id).toBe(tickets[0].id);
    expect((await staffPost(window.id, `windows/${window.id}/call-next`)).body.error.code).toBe(
      'WINDOW_BUSY',
    );
    expect((await staffPost(window.id, `tickets/${tickets[0].id}/recall`)).status).toBe(200);
    const messages = (await call('GET', '/api/v1/messages', undefined, bearer(people[0].token))).body
      .messages;
    expect(messages.filter((m: { kind: string }) => m.kind === 'queue_called')).toHaveLength(2);
    expect((await staffPost(window.id, `tickets/${tickets[0].id}/skip`)).body.current).toBeNull();
    const mine = await call('GET', `/api/v1/tickets/${tickets[0].id}`, undefined, bearer(people[0].token));
    expect(mine.body).toEqual(expect.objectContaining({ status: 'skipped', canRejoin: true }));
    const back = await call(
      'POST',
      `/api/v1/tickets/${tickets[0].id}/rejoin`,
      undefined,
      bearer(people[0].token),
    );
    expect(back.body).toEqual(expect.objectContaining({ status: 'waiting', ahead: 3, canRejoin: false }));
    const fifth = await call('GET', `/api/v1/tickets/${tickets[4].id}`, undefined, bearer(people[4].token));
    expect(fifth.body.ahead).toBe(4);
    for (let i = 1; i <= 3; i += 1) {
      const next = await staffPost(window.id, `windows/${window.id}/call-next`);
      expect(next.body.current.id).toBe(tickets[i].id);
      expect((await staffPost(window.id, `tickets/${tickets[i].id}/serve`)).body.current.status).toBe(
        'serving',
      );
      await staffPost(window.id, `tickets/${tickets[i].id}/complete`);
    }
    const again = await staffPost(window.id, `windows/${window.id}/call-next`);
    expect(again.body.current.id).toBe(tickets[0].id);
    await staffPost(window.id, `tickets/${tickets[0].id}/skip`);
    const twice = await call(
      'POST',
      `/api/v1/tickets/${tickets[0].id}/rejoin`,
      undefined,
      bearer(people[0].token),
    );
    expect([twice.status, twice.body.error.code]).toEqual([409, 'TICKET_NOT_ACTIONABLE']);
    await closeAll();
  });

  test('transfer to another category keeps the place by the time the number was taken', async () => {
    clockAt(8, '09:00');
    const [from, to] = [hall.categories[0].code, hall.categories[1].code];
    const window = allWindows(from)[0];
    const people = await citizens(4);
    const early = (await take(people[0].token, to)).body;
    clock.advance(60_000);
    const moving = (await take(people[1].token, from)).body;
    clock.advance(60_000);
    const late = (await take(people[2].token, to)).body;
    await staffPost(window.id, `windows/${window.id}/call-next`);
    const moved = await staffPost(window.id, `tickets/${moving.id}/transfer`, { category: to });
    expect([moved.status, moved.body.error, moved.body.current]).toEqual([200, undefined, null]);
    const now = (await call('GET', `/api/v1/tickets/${moving.id}`, undefined, bearer(people[1].token))).body;
    expect(now).toEqual(
      expect.objectContaining({ category: to, status: 'waiting', ahead: 1, number: moving.number }),
    );
    expect(
      (await call('GET', `/api/v1/tickets/${late.id}`, undefined, bearer(people[2].token))).body.ahead,
    ).toBe(2);
    expect(
      (await call('GET', `/api/v1/tickets/${early.id}`, undefined, bearer(people[0].token))).body.ahead,
    ).toBe(0);
    await closeAll();
  });
});

describe('windows and transfers at the edges', () => {
  test('a window is closed until opened or calling; a busy window cannot close until its number is done', async () => {
    clockAt(11, '09:00');
    await closeAll();
    const category = hall.categories[2].code;
    const window = allWindows(category)[0];
    const state = async () =>
      (
        await call(
          'GET',
          `/api/v1/staff/windows/${window.id}`,
          undefined,
          bearer(await staffLogin(window.id)),
        )
      ).body;
    expect(await state()).toEqual(
      expect.objectContaining({ windowId: window.id, open: false, current: null }),
    );
    const [citizen] = await citizens(1);
    const ticket = (await take(citizen.token, category)).body;
    const called = await staffPost(window.id, `windows/${window.id}/call-next`);
    expect([called.status, called.body.open, called.body.current?.id]).toEqual([200, true, ticket.id]);

    const busy = await staffPost(window.id, `windows/${window.id}/close`);
    expect([busy.status, busy.body.error.code]).toEqual([409, 'WINDOW_BUSY']);
    expect(await state()).toEqual(
      expect.objectContaining({ open: true, current: expect.objectContaining({ id: ticket.id }) }),
    );
    const again = await staffPost(window.id, `windows/${window.id}/call-next`);
    expect([again.status, again.body.error.code]).toEqual([409, 'WINDOW_BUSY']);

    expect((await staffPost(window.id, `tickets/${ticket.id}/complete`)).status).toBe(200);
    // Done: the citizen still sees which window served them and the clerk's masked number, to rate them.
    const clerk = staffDirectory.find((s) => s.windowId === window.id)!;
    const served = (await call('GET', `/api/v1/tickets/${ticket.id}`, undefined, bearer(citizen.token))).body;
    expect([served.status, served.window, served.clerk]).toEqual([
      'done',
      { id: window.id, name: window.name },
      `***${clerk.id.replace(/[^A-Za-z0-9]/g, '').slice(-4)}`,
    ]);
    expect(JSON.stringify(served)).not.toContain(clerk.id);
    expect(JSON.stringify(served)).not.toContain(clerk.username);
    const closed = await staffPost(window.id, `windows/${window.id}/close`);
    expect([closed.status, closed.body.open]).toEqual([200, false]);
    const empty = await staffPost(window.id, `windows/${window.id}/call-next`);
    expect([empty.status, empty.body.error.code]).toEqual([404, 'QUEUE_EMPTY']);
    await closeAll();
  });

  test('a transfer needs a number at this window and another line of this hall; the citizen already in that line keeps both as they were', async () => {
    clockAt(11, '10:00');
    await closeAll();
    const [from, to] = [hall.categories[0].code, hall.categories[1].code];
    const window = allWindows(from)[0];
    const [holder, waiting] = await citizens(2);
    const held = (await take(holder.token, from)).body;
    const alreadyThere = (await take(holder.token, to)).body;
    const stillWaiting = (await take(waiting.token, from)).body;
    expect((await staffPost(window.id, `windows/${window.id}/call-next`)).body.current.id).toBe(held.id);

    const refusals: [string, unknown, number, string][] = [
      [stillWaiting.id, { category: to }, 409, 'TICKET_NOT_ACTIONABLE'],
      [held.id, { category: from }, 400, 'INVALID_INPUT'],
      [held.id, { category: 'NOPE' }, 400, 'INVALID_INPUT'],
      [held.id, { category: to }, 409, 'ALREADY_QUEUED'],
    ];
    for (const [id, body, status, code] of refusals) {
      const refused = await staffPost(window.id, `tickets/${id}/transfer`, body);
      expect([id, refused.status, refused.body.error.code]).toEqual([id, status, code]);
    }
    const ticketOf = async (id: string, token: string) =>
      (await call('GET', `/api/v1/tickets/${id}`, undefined, bearer(token))).body;
    expect(await ticketOf(held.id, holder.token)).toEqual(
      expect.objectContaining({ category: from, status: 'called' }),
    );
    expect(await ticketOf(alreadyThere.id, holder.token)).toEqual(
      expect.objectContaining({ category: to, status: 'waiting' }),
    );
    expect((await staffPost(window.id, `tickets/${held.id}/complete`)).status).toBe(200);
    await closeAll();
  });

  test("staff of another hall see neither this hall's windows nor its numbers", async () => {
    clockAt(11, '11:00');
    await closeAll();
    const category = hall.categories[0].code;
    const [citizen] = await citizens(1);
    const ticket = (await take(citizen.token, category)).body;
    const outsider = staffDirectory.find(
      (s) => s.role === 'window' && s.hallId && s.hallId !== hall.id && s.windowId,
    )!;
    const token = await staffLogin(outsider.windowId!);
    const window = allWindows(category)[0];
    for (const path of [`windows/${window.id}/open`, `windows/${window.id}/call-next`]) {
      const refused = await call('POST', `/api/v1/staff/${path}`, undefined, bearer(token));
      expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    for (const action of ['serve', 'complete', 'skip', 'recall']) {
      const refused = await call(
        'POST',
        `/api/v1/staff/tickets/${ticket.id}/${action}`,
        undefined,
        bearer(token),
      );
      expect([action, refused.status, refused.body.error.code]).toEqual([action, 404, 'NOT_FOUND']);
    }
    const flag = await call(
      'POST',
      `/api/v1/staff/tickets/${ticket.id}/priority`,
      { reason: 'disabled' },
      bearer(token),
    );
    expect([flag.status, flag.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(
      (await call('GET', `/api/v1/tickets/${ticket.id}`, undefined, bearer(citizen.token))).body,
    ).toEqual(expect.objectContaining({ status: 'waiting', priority: null }));
    await closeAll();
  });
});

describe('estimates, access and live updates', () => {
  test('the estimate follows the open windows', async () => {
    clockAt(9, '09:00');
    await closeAll();
    const category = hall.categories[4].code;
    const people = await citizens(5);
    const tickets: any[] = [];
    for (const p of people) tickets.push((await take(p.token, category)).body);
    const eta = async () =>
      (await call('GET', `/api/v1/tickets/${tickets[4].id}`, undefined, bearer(people[4].token))).body
        .etaMinutes;
    expect(await eta()).toBe(4 * 8); // no service time yet: 8 minutes each, one window assumed
    const [w1, w2] = allWindows(category);
    await staffPost(w1.id, `windows/${w1.id}/open`);
    await staffPost(w2.id, `windows/${w2.id}/open`);
    expect(await eta()).toBe(16);
    const queues = (await call('GET', `/api/v1/halls/${hall.id}/queues`)).body;
    expect(queues.queues.find((q: { category: string }) => q.category === category)).toEqual(
      expect.objectContaining({ waiting: 5, openWindows: 2, etaMinutes: 40 / 2 }),
    );
    await staffPost(w2.id, `windows/${w2.id}/close`);
    expect(await eta()).toBe(32);
    await closeAll();
  });

  test("another citizen's ticket is 404; citizens cannot use staff actions; staff act only at their own window", async () => {
    clockAt(9, '10:00');
    const category = hall.categories[0].code;
    const [owner, stranger] = await citizens(2);
    const ticket = (await take(owner.token, category)).body;
    for (const path of ['', '/cancel', '/rejoin']) {
      const answer = await call(
        path ? 'POST' : 'GET',
        `/api/v1/tickets/${ticket.id}${path}`,
        undefined,
        bearer(stranger.token),
      );
      expect([answer.status, answer.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
    const [w1, w2] = allWindows(category);
    expect(
      (await call('POST', `/api/v1/staff/windows/${w1.id}/call-next`, undefined, bearer(owner.token))).status,
    ).toBe(403);
    const wrongWindow = await call(
      'POST',
      `/api/v1/staff/windows/${w1.id}/call-next`,
      undefined,
      bearer(await staffLogin(w2.id)),
    );
    expect([wrongWindow.status, wrongWindow.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const cancelled = await call(
      'POST',
      `/api/v1/tickets/${ticket.id}/cancel`,
      undefined,
      bearer(owner.token),
    );
    expect(cancelled.body.status).toBe('cancelled');
    const display = (await call('GET', `/api/v1/halls/${hall.id}/display`)).body;
    expect(display.hallId).toBe(hall.id);
  });

  test('server-sent events deliver a position change and the call', async () => {
    clockAt(10, '09:00');
    const category = hall.categories[0].code;
    const window = allWindows(category)[0];
    const people = await citizens(2);
    const first = (await take(people[0].token, category)).body;
    const second = (await take(people[1].token, category)).body;
    const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openEventStream(
      `${address}/api/v1/tickets/${second.id}/events`,
      bearer(people[1].token),
    );
    expect((await stream.next()).ahead).toBe(1);
    const called = await staffPost(window.id, `windows/${window.id}/call-next`);
    expect(called.body.current.id).toBe(first.id);
    expect(await stream.nextWhere((t) => t.ahead !== 1)).toEqual(
      expect.objectContaining({ id: second.id, ahead: 0, status: 'waiting' }),
    );
    await staffPost(window.id, `tickets/${first.id}/complete`);
    await staffPost(window.id, `windows/${window.id}/call-next`);
    const update = await stream.nextWhere((t) => t.status !== 'waiting');
    expect(update).toEqual(
      expect.objectContaining({ status: 'called', window: { id: window.id, name: window.name } }),
    );
    stream.close();
    const approach = (
      await call('GET', '/api/v1/messages', undefined, bearer(people[1].token))
    ).body.messages.map((m: { kind: string }) => m.kind);
    expect(approach).toEqual(expect.arrayContaining(['queue_called', 'queue_approach']));
    await closeAll();
  });
});
