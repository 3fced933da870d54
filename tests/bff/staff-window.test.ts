// The window console's view and 绿色通道 flags: per-line waiting counts and the next tickets in
// calling order, the current citizen's masked name, and flags that only the hall's staff can set,
// once per ticket (even when two clerks press at the same moment), each leaving an audit entry.
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, boundCitizens, signIn, type ApiCall, injectCaller } from '../support/citizens';
import { scaled } from '../support/time-scale';
import { nextShanghaiMonday, MovableClock } from '../support/clock';

let bff: TestBff;
// Next Monday 10:00 Shanghai: the halls are open.
const clock = new MovableClock(`${nextShanghaiMonday()}T10:00:00+08:00`);
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

interface Hall {
  id: string;
  windows: { id: string; name: string; categories: string[] }[];
  categories: { code: string; name: string; prefix: string }[];
}
interface Member {
  username: string;
  windowId?: string;
  hallId?: string;
  role: string;
}
let halls: Hall[];
let directory: Member[];
let password: string;

async function login(member: Member): Promise<string> {
  const answer = await call('POST', '/api/v1/auth/staff', { username: member.username, password });
  expect(answer.status).toBe(200);
  return answer.body.accessToken;
}
const clerkOf = (windowId: string) => login(directory.find((s) => s.windowId === windowId)!);

beforeAll(async () => {
  bff = await startTestBff(
    'staff_window',
    { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000' },
    { now: clock.now },
  );
  halls = (await call('GET', '/api/v1/halls?level=district')).body.halls;
  ({ staff: directory, password } = await (await fetch(`${bff.world.core.url}/__admin/staff`)).json());
}, scaled(60_000));
afterAll(() => bff.stop());

test('the window sees each line it serves: waiting counts, priority counts, the next numbers in calling order', async () => {
  const hall = halls[0];
  const window = hall.windows.find((w) => w.categories.length === 2)!;
  const [first, second] = window.categories;
  const token = await clerkOf(window.id);
  const people = await Promise.all(Array.from({ length: 4 }, () => signIn(call, bff.world)));
  const tickets = [];
  for (const [i, p] of people.entries())
    tickets.push(
      (
        await call(
          'POST',
          `/api/v1/halls/${hall.id}/tickets`,
          { category: i < 3 ? first : second },
          bearer(p.token),
        )
      ).body,
    );
  // The third ticket of the first line is flagged, so it is called first.
  expect(
    (
      await call(
        'POST',
        `/api/v1/staff/tickets/${tickets[2].id}/priority`,
        { reason: 'disabled' },
        bearer(token),
      )
    ).status,
  ).toBe(200);

  const state = (await call('GET', `/api/v1/staff/windows/${window.id}`, undefined, bearer(token))).body;
  expect(state.current).toBeNull();
  expect(state.currentDetail).toBeNull();
  const line = (code: string) => state.lines.find((l: { category: string }) => l.category === code);
  expect(state.lines.map((l: { category: string }) => l.category)).toEqual(window.categories);
  expect(line(first)).toEqual(
    expect.objectContaining({
      waiting: 3,
      priorityWaiting: 1,
      name: hall.categories.find((c) => c.code === first)!.name,
      prefix: hall.categories.find((c) => c.code === first)!.prefix,
    }),
  );
  expect(line(first).next.map((t: { number: string }) => t.number)).toEqual([
    tickets[2].number,
    tickets[0].number,
    tickets[1].number,
  ]);
  expect(line(first).next[0].priority).toBe('disabled');
  expect(line(second)).toEqual(expect.objectContaining({ waiting: 1, priorityWaiting: 0 }));
  // Nothing in the window's view names a waiting citizen.
  expect(JSON.stringify(state.lines)).not.toMatch(/userId|openid/);

  // Calling takes the flagged ticket first, and the counts move.
  const called = (
    await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, bearer(token))
  ).body;
  expect(called.current.number).toBe(tickets[2].number);
  expect(called.current.priority).toBe('disabled');
  expect(called.lines.find((l: { category: string }) => l.category === first)).toEqual(
    expect.objectContaining({ waiting: 2, priorityWaiting: 0 }),
  );
  expect(called.currentDetail).toEqual({ holderName: null, bookedStart: null }); // no real name bound
  await call('POST', `/api/v1/staff/tickets/${called.current.id}/complete`, undefined, bearer(token));
  for (const t of tickets)
    await call('POST', `/api/v1/tickets/${t.id}/cancel`, undefined, bearer(people[tickets.indexOf(t)].token));
  await call('POST', `/api/v1/staff/windows/${window.id}/close`, undefined, bearer(token));
});

test('the current citizen is shown to the clerk by a masked name only', async () => {
  const hall = halls[0];
  const window = hall.windows.find((w) => w.categories.length === 2)!;
  const token = await clerkOf(window.id);
  const [person] = await boundCitizens(call, bff.world, 1);
  const ticket = (
    await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: window.categories[1] },
      bearer(person.token),
    )
  ).body;
  const state = (await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, bearer(token)))
    .body;
  expect(state.current.id).toBe(ticket.id);
  const chars = [...person.name];
  expect(state.currentDetail.holderName).toBe(`${chars[0]}${'*'.repeat(chars.length - 1)}`);
  expect(JSON.stringify(state)).not.toContain(person.name);
  expect(JSON.stringify(state)).not.toContain(person.idNumber);
  await call('POST', `/api/v1/staff/tickets/${ticket.id}/complete`, undefined, bearer(token));
  await call('POST', `/api/v1/staff/windows/${window.id}/close`, undefined, bearer(token));
});

test("绿色通道: once per ticket even when two clerks press together, audited, only by the hall's own window staff", async () => {
  const [hall, otherHall] = halls;
  const [w1, w2] = hall.windows;
  const [tokenA, tokenB] = await Promise.all([clerkOf(w1.id), clerkOf(w2.id)]);
  const outsider = await clerkOf(otherHall.windows[0].id);
  const [citizen] = await Promise.all([signIn(call, bff.world)]);
  const ticket = (
    await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: hall.categories[3].code },
      bearer(citizen.token),
    )
  ).body;
  const flag = (token: string, reason: unknown) =>
    call('POST', `/api/v1/staff/tickets/${ticket.id}/priority`, { reason }, bearer(token));

  // Refused before anything changes: a citizen, another hall's clerk, a reason that is not one.
  expect((await flag(citizen.token, 'disabled')).status).toBe(403);
  const foreign = await flag(outsider, 'disabled');
  expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);
  const bad = await flag(tokenA, 'vip');
  expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_INPUT']);
  expect(bad.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  const booking = await flag(tokenA, 'booking');
  expect(booking.status).toBe(400);

  const answers = await Promise.all([flag(tokenA, 'pregnant'), flag(tokenB, 'military')]);
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses).toEqual([200, 409]);
  const won = answers.find((a) => a.status === 200)!;
  const lost = answers.find((a) => a.status === 409)!;
  expect(lost.body.error.code).toBe('TICKET_NOT_ACTIONABLE');
  expect(lost.body.error.message).toBe('该号已是优先号');
  const winnerToken = won === answers[0] ? tokenA : tokenB;

  const flags = (
    await call('GET', `/api/v1/staff/priority-flags?ticketId=${ticket.id}`, undefined, bearer(tokenA))
  ).body.flags;
  expect(flags).toHaveLength(1);
  expect(flags[0]).toEqual(
    expect.objectContaining({ ticketId: ticket.id, number: ticket.number, reason: won.body.priority }),
  );
  const winnerId = JSON.parse(Buffer.from(winnerToken.split('.')[1], 'base64url').toString()).sub;
  expect(flags[0].actorId).toBe(winnerId);
  // Another hall's staff see none of this hall's flags.
  expect(
    (await call('GET', `/api/v1/staff/priority-flags?ticketId=${ticket.id}`, undefined, bearer(outsider)))
      .body.flags,
  ).toEqual([]);
  expect((await call('GET', '/api/v1/staff/priority-flags', undefined, bearer(citizen.token))).status).toBe(
    403,
  );

  // A ticket no longer waiting cannot be flagged.
  await call('POST', `/api/v1/tickets/${ticket.id}/cancel`, undefined, bearer(citizen.token));
  const late = await call(
    'POST',
    `/api/v1/staff/tickets/${ticket.id}/priority`,
    { reason: 'disabled' },
    bearer(tokenA),
  );
  expect([late.status, late.body.error.code]).toEqual([409, 'TICKET_NOT_ACTIONABLE']);
});

test("the hall screen lists the day's last 6 calls, newest first, served or not; the current calls apart", async () => {
  const hall = halls[1];
  const window = hall.windows.find((w) => w.categories.length === 2)!;
  const token = await clerkOf(window.id);
  const people = await Promise.all(Array.from({ length: 8 }, () => signIn(call, bff.world)));
  for (const p of people)
    await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: window.categories[0] },
      bearer(p.token),
    );
  const called: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    const state = (
      await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, bearer(token))
    ).body;
    called.push(state.current.number);
    // Alternately served and skipped: both stay in the recent calls.
    if (i < 7)
      await call(
        'POST',
        `/api/v1/staff/tickets/${state.current.id}/${i % 2 ? 'skip' : 'complete'}`,
        undefined,
        bearer(token),
      );
  }
  const display = (await call('GET', `/api/v1/halls/${hall.id}/display`)).body;
  expect(display.calling.map((c: { number: string }) => c.number)).toEqual([called[7]]);
  expect(display.recent.map((c: { number: string }) => c.number)).toEqual(called.slice(2).reverse());
  expect(display.recent.every((c: { windowName: string }) => c.windowName === window.name)).toBe(true);
});

test("after a check-in, the window console's current ticket shows that booking's slot", async () => {
  const hall = halls[0];
  const items = (await call('GET', `/api/v1/items?hallId=${hall.id}&pageSize=50`)).body.items;
  const item = items.find((i: { category: string; bookable: boolean }) => i.bookable && i.category === 'SB');
  const window = hall.windows.find((w) => w.categories.includes('SB'))!;
  const token = await clerkOf(window.id);
  const [citizen] = await boundCitizens(call, bff.world, 1);
  // The clock reads Monday 10:00 (and on): the 11:00 slot is bookable.
  const day = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const eleven = Date.parse(`${day}T11:00:00+08:00`);
  const slot = (
    await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${item.code}&from=${day}&to=${day}`)
  ).body.slots.find((s: { start: string }) => Date.parse(s.start) === eleven);
  const booked = await call(
    'POST',
    '/api/v1/appointments',
    { hallId: hall.id, itemCode: item.code, start: slot.start },
    bearer(citizen.token),
  );
  expect(booked.status).toBe(201);
  // 10:50: inside the check-in window (30 minutes before to 15 after the start).
  clock.set(eleven - 10 * 60_000);
  try {
    const checkedIn = await call(
      'POST',
      `/api/v1/appointments/${booked.body.id}/check-in`,
      undefined,
      bearer(citizen.token),
    );
    expect(checkedIn.status).toBe(200);
    const state = (
      await call('POST', `/api/v1/staff/windows/${window.id}/call-next`, undefined, bearer(token))
    ).body;
    expect(state.current).toEqual(
      expect.objectContaining({ id: checkedIn.body.ticket.id, number: checkedIn.body.ticket.number }),
    );
    expect(state.current.priority).toBe('booking');
    // Exactly the booked slot: that Monday 11:00 Shanghai (03:00 UTC).
    expect(state.currentDetail.bookedStart).toBe(`${day}T03:00:00.000Z`);
    expect(state.currentDetail.bookedStart).toBe(booked.body.start);
    await call('POST', `/api/v1/staff/tickets/${state.current.id}/complete`, undefined, bearer(token));
    await call('POST', `/api/v1/staff/windows/${window.id}/close`, undefined, bearer(token));
  } finally {
    clock.reset();
  }
});
