// 代办 beyond applications: an agent, with `X-Act-As: <grant>`, books, takes a number, corrects
// and rates in the principal's name. Each record is the principal's and names the agent; the
// agency log shows every action to both; out of scope, not accepted, revoked or someone else's
// grant is 403 with a stable code; another person's record stays 404; two agents' double tap on
// one booking makes one booking. Real BFF, offline database, core and OSS simulators.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectId } from 'mongodb';
import { startTestBff, type TestBff } from '../support/bff';
import { bearer, boundCitizens, type ApiCall, type Citizen, injectCaller } from '../support/citizens';
import { coreCaller, newResidents, onlineApplicationItem, staffDirectory } from '../support/core-client';
import { caseInCorrection } from '../support/cases';
import { scaled } from '../support/time-scale';
import { MovableClock, nextShanghaiMonday } from '../support/clock';

const PNG = readFileSync(join(__dirname, '..', 'fixtures', 'id-card.png'));
const DAY = 86_400_000;
/**
 * Next Monday 10:00 in Shanghai: halls open, a week of slots ahead. Moved by a test to reach a
 * booking's check-in window; back to 10:00 after each test.
 */
const clock = new MovableClock(`${nextShanghaiMonday()}T10:00:00+08:00`);

let bff: TestBff;
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

interface CoreItem {
  code: string;
  category: string;
  hallIds: string[];
}
interface Hall {
  id: string;
  level: string;
  categories: { code: string }[];
}
let hall: Hall;
/** Two bookable items of the hall, each served on its own line there. */
let itemA: CoreItem;
let itemB: CoreItem;

beforeAll(async () => {
  bff = await startTestBff(
    'agency',
    { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000' },
    { now: clock.now },
  );
  const halls: Hall[] = (await call('GET', '/api/v1/halls')).body.halls;
  const { items } = (await coreCaller(bff.world.core)<{ items: CoreItem[] }>('GET', '/api/items')).body;
  for (const candidate of halls.filter((h) => h.level === 'district')) {
    const lines = new Set(candidate.categories.map((c) => c.code));
    const served: CoreItem[] = [];
    for (const item of items.filter((i) => i.hallIds.includes(candidate.id) && lines.has(i.category))) {
      if (served.some((s) => s.category === item.category)) continue;
      const guide = await call('GET', `/api/v1/items/${item.code}`);
      if (guide.body.item?.bookable) served.push(item);
      if (served.length === 2) break;
    }
    if (served.length === 2) {
      hall = candidate;
      [itemA, itemB] = served;
      break;
    }
  }
  expect(hall).toBeDefined();
}, scaled(60_000));
afterAll(() => bff.stop());
afterEach(() => {
  clock.reset();
});

const as = (who: Citizen, grantId?: string) => bearer(who.token, grantId ? { 'x-act-as': grantId } : {});

async function grant(principal: Citizen, agent: Citizen, itemCodes: string[] | null): Promise<string> {
  const granted = await call(
    'POST',
    '/api/v1/agency/grants',
    { agentName: agent.name, agentIdNumber: agent.idNumber, itemCodes, days: 30 },
    as(principal),
  );
  expect(granted.status).toBe(200);
  return granted.body.id;
}
const accept = async (agent: Citizen, grantId: string) =>
  expect((await call('POST', `/api/v1/agency/grants/${grantId}/accept`, undefined, as(agent))).status).toBe(
    200,
  );

async function firstSlot(itemCode: string): Promise<string> {
  const from = new Date(clock.now().getTime() + 8 * 3600_000 + DAY).toISOString().slice(0, 10);
  const answer = await call('GET', `/api/v1/halls/${hall.id}/slots?itemCode=${itemCode}&from=${from}`);
  expect(answer.status).toBe(200);
  return (answer.body.slots as { start: string; remaining: number }[]).find((s) => s.remaining > 1)!.start;
}
const book = (auth: Record<string, string>, itemCode: string, start: string) =>
  call('POST', '/api/v1/appointments', { hallId: hall.id, itemCode, start }, auth);

async function uploadFor(
  auth: Record<string, string>,
  kase: { acceptNo: string; correctionId: string },
  materialCode: string,
) {
  const policy = await call(
    'POST',
    '/api/v1/uploads/policy',
    {
      acceptNo: kase.acceptNo,
      correctionId: kase.correctionId,
      materialCode,
      fileName: '身份证.png',
      contentType: 'image/png',
      size: PNG.length,
    },
    auth,
  );
  if (policy.status !== 200) return policy;
  const form = new FormData();
  for (const [k, v] of Object.entries(policy.body.formData as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'id.png');
  expect((await fetch(`${policy.body.host}/`, { method: 'POST', body: form })).status).toBe(201);
  return policy;
}

const db = () => bff.app.db;
const records = async (collection: string, filter: Record<string, unknown>) =>
  db().collection(collection).find(filter).toArray();

describe('an agent acting in the principal’s name (X-Act-As)', () => {
  test('the son books, takes a number, corrects and rates for his mother: every record is hers and names him, the log shows it all, out of scope is refused, revocation ends it', async () => {
    const [mother, son, stranger] = await boundCitizens(call, bff.world, 3);
    const kase = await caseInCorrection(bff.world, mother.idNumber, 1);
    const caseItem = (await coreCaller(bff.world.core)('GET', `/api/cases/${kase.acceptNo}`)).body.itemCode;
    const grantId = await grant(mother, son, [itemA.code, caseItem]);

    // Not accepted yet: nothing can be done with it.
    const early = await book(as(son, grantId), itemA.code, await firstSlot(itemA.code));
    expect([early.status, early.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);
    await accept(son, grantId);
    const stored = (await db()
      .collection('agency_grants')
      .findOne({ _id: new ObjectId(grantId) }))!;
    const [motherId, sonId] = [stored.principalUserId as string, stored.agentUserId as string];

    // Booking: hers, naming him.
    const booked = await book(as(son, grantId), itemA.code, await firstSlot(itemA.code));
    expect([booked.status, booked.body.actedByName]).toEqual([201, son.name]);
    const [appointment] = await records('appointments', { bookingCode: booked.body.bookingCode });
    expect([appointment.userId, appointment.actedBy]).toEqual([motherId, { userId: sonId, name: son.name }]);
    expect((await call('GET', '/api/v1/appointments', undefined, as(mother))).body.appointments).toEqual([
      expect.objectContaining({ id: booked.body.id, actedByName: son.name }),
    ]);
    expect((await call('GET', '/api/v1/appointments', undefined, as(son))).body.appointments).toEqual([]);
    // …which he may reschedule in her name.
    const later = new Date(Date.parse(booked.body.start) + 2 * 3600_000).toISOString();
    const moved = await call(
      'POST',
      `/api/v1/appointments/${booked.body.id}/reschedule`,
      { start: later },
      as(son, grantId),
    );
    expect(moved.status).toBe(200);

    // Out of scope: another item, another line, and a route that cannot be done for someone.
    const outside = await book(as(son, grantId), itemB.code, await firstSlot(itemB.code));
    expect([outside.status, outside.body.error.code]).toEqual([403, 'AGENT_OUT_OF_SCOPE']);
    const otherLine = await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: itemB.category },
      as(son, grantId),
    );
    expect([otherLine.status, otherLine.body.error.code]).toEqual([403, 'AGENT_OUT_OF_SCOPE']);
    const notActable = await call('GET', '/api/v1/ratings/mine', undefined, as(son, grantId));
    expect([notActable.status, notActable.body.error.code]).toEqual([403, 'AGENT_OUT_OF_SCOPE']);
    // Someone else's booking is not found, with or without a grant.
    const strangers = await book(as(stranger), itemA.code, await firstSlot(itemA.code));
    expect(strangers.status).toBe(201);
    expect(
      (await call('POST', `/api/v1/appointments/${strangers.body.id}/cancel`, undefined, as(son, grantId)))
        .status,
    ).toBe(404);
    // A grant is only its agent's: the stranger cannot use the id.
    const borrowed = await book(as(stranger, grantId), itemA.code, await firstSlot(itemA.code));
    expect([borrowed.status, borrowed.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);

    // A number on the line serving the granted item: hers, naming him; she can open it.
    const ticket = await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: itemA.category },
      as(son, grantId),
    );
    expect([ticket.status, ticket.body.actedByName]).toEqual([201, son.name]);
    const [ticketDoc] = await records('tickets', {
      number: ticket.body.number,
      hallId: hall.id,
      userId: motherId,
    });
    expect(ticketDoc.actedBy).toEqual({ userId: sonId, name: son.name });
    expect((await call('GET', `/api/v1/tickets/${ticket.body.id}`, undefined, as(mother))).body).toEqual(
      expect.objectContaining({ number: ticket.body.number, actedByName: son.name }),
    );
    expect((await call('GET', `/api/v1/tickets/${ticket.body.id}`, undefined, as(son))).status).toBe(404);
    expect((await call('GET', `/api/v1/tickets/${ticket.body.id}`, undefined, as(son, grantId))).status).toBe(
      200,
    );

    // Correction of her case: the upload and the submission name him.
    const material = kase.items[0].materialCode;
    const policy = await uploadFor(as(son, grantId), kase, material);
    expect(policy.status).toBe(200);
    const corrected = await call(
      'POST',
      `/api/v1/cases/${kase.acceptNo}/corrections/${kase.correctionId}/submit`,
      { files: [{ materialCode: material, key: policy.body.key }] },
      as(son, grantId),
    );
    expect(corrected.status).toBe(200);
    const [submission] = await records('correction_submissions', { acceptNo: kase.acceptNo });
    expect([submission.userId, submission.actedBy]).toEqual([motherId, { userId: sonId, name: son.name }]);

    // Rating her case.
    const rated = await call(
      'POST',
      '/api/v1/ratings',
      {
        acceptNo: kase.acceptNo,
        channel: 'online',
        level: 5,
        indicators: { overall: 5, efficiency: 4, guideAccuracy: 5, convenience: 4, usability: 3 },
      },
      as(son, grantId),
    );
    expect(rated.status).toBe(201);
    const [rating] = await records('ratings', { 'target.id': kase.acceptNo });
    expect([rating.userId, rating.actedBy]).toEqual([motherId, { userId: sonId, name: son.name }]);
    expect((await call('GET', '/api/v1/ratings/mine', undefined, as(mother))).body.ratings).toHaveLength(1);

    // Revoked: the next step is refused, whatever it is.
    expect(
      (await call('POST', `/api/v1/agency/grants/${grantId}/revoke`, undefined, as(mother))).status,
    ).toBe(200);
    const afterRevoke = await call(
      'POST',
      `/api/v1/appointments/${booked.body.id}/cancel`,
      undefined,
      as(son, grantId),
    );
    expect([afterRevoke.status, afterRevoke.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);
    const cancelTicket = await call(
      'POST',
      `/api/v1/tickets/${ticket.body.id}/cancel`,
      undefined,
      as(son, grantId),
    );
    expect([cancelTicket.status, cancelTicket.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);
    expect((await records('appointments', { _id: appointment._id }))[0].status).toBe('booked');

    // What she sees done in her name (and he sees what he did), newest first; refusals wrote nothing.
    const log = (await call('GET', '/api/v1/agency/actions', undefined, as(mother))).body.actions.reverse();
    expect(log.map((a: { action: string; actorName: string }) => `${a.action}:${a.actorName}`)).toEqual([
      `grant:${mother.name}`,
      `accept:${son.name}`,
      `book:${son.name}`,
      `reschedule_booking:${son.name}`,
      `take_number:${son.name}`,
      `correction_upload:${son.name}`,
      `correction_submit:${son.name}`,
      `rate:${son.name}`,
      `revoke:${mother.name}`,
    ]);
    expect(log[2]).toEqual(
      expect.objectContaining({
        itemCode: itemA.code,
        ref: booked.body.bookingCode,
        targetId: booked.body.id,
        principalName: mother.name,
      }),
    );
    expect(log[4]).toEqual(expect.objectContaining({ ref: ticket.body.number, targetId: ticket.body.id }));
    expect(log[6]).toEqual(expect.objectContaining({ itemCode: caseItem, acceptNo: kase.acceptNo }));
    expect((await call('GET', '/api/v1/agency/actions', undefined, as(son))).body.actions).toHaveLength(9);
    expect((await call('GET', '/api/v1/agency/actions', undefined, as(stranger))).body.actions).toEqual([]);
    // The agent's identity number is masked wherever the grant is shown.
    const shown = JSON.stringify((await call('GET', '/api/v1/agency/grants', undefined, as(mother))).body);
    expect(shown).not.toContain(son.idNumber);
  });

  test('a grant for every item covers any line; a malformed or unknown grant id is refused before anything is done', async () => {
    const [mother, son] = await boundCitizens(call, bff.world, 2);
    const grantId = await grant(mother, son, null);
    await accept(son, grantId);
    const ticket = await call(
      'POST',
      `/api/v1/halls/${hall.id}/tickets`,
      { category: itemB.category },
      as(son, grantId),
    );
    expect([ticket.status, ticket.body.actedByName]).toEqual([201, son.name]);
    const cancelled = await call(
      'POST',
      `/api/v1/tickets/${ticket.body.id}/cancel`,
      undefined,
      as(son, grantId),
    );
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    for (const bad of ['nonsense', '0123456789abcdef01234567']) {
      const refused = await call(
        'POST',
        `/api/v1/halls/${hall.id}/tickets`,
        { category: itemB.category },
        as(son, bad),
      );
      expect([refused.status, refused.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);
    }
    const log = (await call('GET', '/api/v1/agency/actions', undefined, as(mother))).body.actions;
    expect(log.map((a: { action: string }) => a.action)).toEqual([
      'cancel_ticket',
      'take_number',
      'accept',
      'grant',
    ]);
  });

  test('check-in and cancellation in her name: the priority ticket names him too; each is in her log', async () => {
    const [mother, son] = await boundCitizens(call, bff.world, 2);
    const grantId = await grant(mother, son, null);
    await accept(son, grantId);
    const today = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const todays = await call(
      'GET',
      `/api/v1/halls/${hall.id}/slots?itemCode=${itemA.code}&from=${today}&to=${today}`,
    );
    const slot = (todays.body.slots as { start: string; remaining: number }[]).find((s) => s.remaining > 0)!;
    const booked = await book(as(son, grantId), itemA.code, slot.start);
    expect(booked.status).toBe(201);
    const other = await book(as(son, grantId), itemB.code, await firstSlot(itemB.code));
    expect(other.status).toBe(201);
    const cancelled = await call(
      'POST',
      `/api/v1/appointments/${other.body.id}/cancel`,
      undefined,
      as(son, grantId),
    );
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);

    clock.set(Date.parse(slot.start) - 10 * 60_000);
    const checkedIn = await call(
      'POST',
      `/api/v1/appointments/${booked.body.id}/check-in`,
      undefined,
      as(son, grantId),
    );
    expect([checkedIn.status, checkedIn.body.status]).toEqual([200, 'checked_in']);
    const ticket = (await records('tickets', { appointmentId: booked.body.id }))[0];
    expect([ticket.priority, ticket.actedBy?.name]).toEqual(['booking', son.name]);
    const log = (await call('GET', '/api/v1/agency/actions', undefined, as(mother))).body.actions;
    expect(log.map((a: { action: string }) => a.action).slice(0, 3)).toEqual([
      'check_in',
      'cancel_booking',
      'book',
    ]);
    expect(log[0]).toEqual(
      expect.objectContaining({ ref: booked.body.bookingCode, targetId: booked.body.id, forMe: true }),
    );
  });

  test('two agents double-tapping one booking for the same mother make one booking', async () => {
    const [mother, son, daughter] = await boundCitizens(call, bff.world, 3);
    const grants = [await grant(mother, son, [itemA.code]), await grant(mother, daughter, [itemA.code])];
    await accept(son, grants[0]);
    await accept(daughter, grants[1]);
    const start = await firstSlot(itemA.code);
    const taps = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        book(i % 2 ? as(daughter, grants[1]) : as(son, grants[0]), itemA.code, start),
      ),
    );
    const statuses = taps.map((t) => t.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(new Set(taps.filter((t) => t.status !== 201).map((t) => t.body.error.code))).toEqual(
      new Set(['ALREADY_BOOKED']),
    );
    const mine = (await call('GET', '/api/v1/appointments', undefined, as(mother))).body.appointments;
    expect(mine).toHaveLength(1);
    const log = (await call('GET', '/api/v1/agency/actions', undefined, as(mother))).body.actions;
    expect(log.filter((a: { action: string }) => a.action === 'book')).toHaveLength(1);
  });
});

describe('帮办: a clerk applies for a walk-in citizen', () => {
  async function clerks(): Promise<Record<string, string>[]> {
    const { staff, password } = await staffDirectory(bff.world.core);
    const members = staff.filter((s) => s.role === 'window').slice(0, 2);
    return Promise.all(
      members.map(async (m) => {
        const login = await call('POST', '/api/v1/auth/staff', { username: m.username, password });
        expect(login.status).toBe(200);
        return bearer(login.body.accessToken);
      }),
    );
  }
  /** An online item whose materials are the identity card (from the library) and the form (by commitment). */
  const onlineItem = () => onlineApplicationItem(bff.world.core);

  test('identity checked against the register, no draft before the signed consent, then the case is the citizen’s and the consent is kept', async () => {
    const [clerk, otherClerk] = await clerks();
    const [walkIn] = await newResidents(bff.world.core, 1);
    const item = await onlineItem();
    const [idMaterial, formMaterial] = item.materials.map((m) => m.code);

    const wrongPhone = await call(
      'POST',
      '/api/v1/staff/assisted',
      {
        ...walkIn,
        phone: walkIn.phone === '13900000000' ? '13900000001' : '13900000000',
        itemCode: item.code,
      },
      clerk,
    );
    expect([wrongPhone.status, wrongPhone.body.error.code]).toEqual([422, 'REALNAME_MISMATCH']);
    const started = await call('POST', '/api/v1/staff/assisted', { ...walkIn, itemCode: item.code }, clerk);
    expect([started.status, started.body.consent, started.body.idMasked]).toEqual([
      200,
      null,
      `${walkIn.idNumber.slice(0, 3)}***********${walkIn.idNumber.slice(-4)}`,
    ]);
    expect(JSON.stringify(started.body)).not.toContain(walkIn.idNumber);
    expect(started.body.statement).toContain(walkIn.name);
    const assistedId = started.body.id;

    // No consent yet: no draft, whether named or not; a citizen cannot use the record at all.
    const early = await call(
      'POST',
      '/api/v1/applications/drafts',
      { itemCode: item.code, assistedId },
      clerk,
    );
    expect([early.status, early.body.error.code]).toEqual([403, 'CONSENT_REQUIRED']);
    const unnamed = await call('POST', '/api/v1/applications/drafts', { itemCode: item.code }, clerk);
    expect([unnamed.status, unnamed.body.error.code]).toEqual([403, 'CONSENT_REQUIRED']);
    const [someone] = await boundCitizens(call, bff.world, 1);
    expect(
      (await call('POST', '/api/v1/applications/drafts', { itemCode: item.code, assistedId }, as(someone)))
        .status,
    ).toBe(403);
    expect(
      await db()
        .collection('application_drafts')
        .countDocuments({ principalUserId: `assisted:${assistedId}` }),
    ).toBe(0);

    // A blank or forged signature is refused; another clerk cannot sign for this record.
    const notPng = await call(
      'POST',
      `/api/v1/staff/assisted/${assistedId}/consent`,
      { signaturePng: Buffer.alloc(400, 1).toString('base64') },
      clerk,
    );
    expect([notPng.status, notPng.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    const signaturePng = PNG.toString('base64');
    expect(
      (await call('POST', `/api/v1/staff/assisted/${assistedId}/consent`, { signaturePng }, otherClerk))
        .status,
    ).toBe(404);
    const consented = await call(
      'POST',
      `/api/v1/staff/assisted/${assistedId}/consent`,
      { signaturePng },
      clerk,
    );
    expect(consented.status).toBe(200);
    expect(consented.body.consent).toEqual(
      expect.objectContaining({ method: 'signature', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    );
    const stored = (await db()
      .collection('assisted_applicants')
      .findOne({ _id: new ObjectId(assistedId) }))!;
    expect(stored.consent.at).toBeInstanceOf(Date);
    expect(Buffer.from(stored.consent.signature.buffer).equals(PNG)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(walkIn.idNumber);

    // Now the clerk applies, prefilled from the register; the e-licence is the citizen's.
    expect(
      (await call('POST', '/api/v1/applications/drafts', { itemCode: item.code, assistedId }, otherClerk))
        .status,
    ).toBe(404);
    const draft = await call(
      'POST',
      '/api/v1/applications/drafts',
      { itemCode: item.code, assistedId },
      clerk,
    );
    expect(draft.status).toBe(200);
    expect(draft.body.fields.find((f: { name: string }) => f.name === 'applicantName').value).toBe(
      walkIn.name,
    );
    const id = draft.body.id;
    expect(
      (
        await call(
          'PUT',
          `/api/v1/applications/drafts/${id}/values`,
          { values: { address: '云州市青山区青山大道1号', residentType: '城镇' } },
          clerk,
        )
      ).status,
    ).toBe(200);
    const licences = await call(
      'GET',
      `/api/v1/applications/drafts/${id}/materials/${idMaterial}/licences`,
      undefined,
      clerk,
    );
    const licence = licences.body.licences.find((l: { valid: boolean }) => l.valid);
    expect(
      (
        await call(
          'PUT',
          `/api/v1/applications/drafts/${id}/materials/${idMaterial}`,
          { via: 'licence', licenceNo: licence.licenceNo },
          clerk,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          'PUT',
          `/api/v1/applications/drafts/${id}/materials/${formMaterial}`,
          { via: 'commitment', agree: true },
          clerk,
        )
      ).status,
    ).toBe(200);
    // The other clerk cannot reach the draft.
    expect((await call('GET', `/api/v1/applications/drafts/${id}`, undefined, otherClerk)).status).toBe(404);
    const submitted = await call('POST', `/api/v1/applications/drafts/${id}/submit`, undefined, clerk);
    expect([submitted.status, submitted.body.state]).toEqual([200, 'submitted']);
    const acceptNo = submitted.body.acceptNo;
    expect((await coreCaller(bff.world.core)('GET', `/api/cases/${acceptNo}`)).body.applicant.idNumber).toBe(
      walkIn.idNumber,
    );
    expect((await call('GET', '/api/v1/staff/assisted', undefined, clerk)).body.assisted).toEqual([
      expect.objectContaining({
        id: assistedId,
        draftId: id,
        acceptNo,
        consent: expect.objectContaining({ method: 'signature' }),
      }),
    ]);
    expect((await call('GET', '/api/v1/staff/assisted', undefined, otherClerk)).body.assisted).toEqual([]);
  });

  test('a paper material the citizen brought is scanned and uploaded by the clerk: the case carries it, another clerk can neither upload to the draft nor use the file', async () => {
    const [clerk, otherClerk] = await clerks();
    const [walkIn] = await newResidents(bff.world.core, 1);
    const item = await onlineItem();
    const [idMaterial, formMaterial] = item.materials.map((m) => m.code);
    const assistedId = (
      await call('POST', '/api/v1/staff/assisted', { ...walkIn, itemCode: item.code }, clerk)
    ).body.id;
    expect(
      (
        await call(
          'POST',
          `/api/v1/staff/assisted/${assistedId}/consent`,
          { signaturePng: PNG.toString('base64') },
          clerk,
        )
      ).status,
    ).toBe(200);
    const id = (await call('POST', '/api/v1/applications/drafts', { itemCode: item.code, assistedId }, clerk))
      .body.id;
    await call(
      'PUT',
      `/api/v1/applications/drafts/${id}/values`,
      { values: { address: '云州市青山区青山大道2号', residentType: '城镇' } },
      clerk,
    );
    const licence = (
      await call(
        'GET',
        `/api/v1/applications/drafts/${id}/materials/${idMaterial}/licences`,
        undefined,
        clerk,
      )
    ).body.licences.find((l: { valid: boolean }) => l.valid);
    await call(
      'PUT',
      `/api/v1/applications/drafts/${id}/materials/${idMaterial}`,
      { via: 'licence', licenceNo: licence.licenceNo },
      clerk,
    );

    const policyBody = {
      draftId: id,
      materialCode: formMaterial,
      fileName: '申请表.png',
      contentType: 'image/png',
      size: PNG.length,
    };
    const theirs = await call('POST', '/api/v1/applications/uploads/policy', policyBody, otherClerk);
    expect(theirs.status).toBe(404);
    const policy = await call('POST', '/api/v1/applications/uploads/policy', policyBody, clerk);
    expect(policy.status).toBe(200);
    const form = new FormData();
    for (const [k, v] of Object.entries(policy.body.formData as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'form.png');
    expect((await fetch(`${policy.body.host}/`, { method: 'POST', body: form })).status).toBe(201);
    const key = policy.body.key as string;
    // Another clerk's draft for the same item cannot take this clerk's file.
    const otherAssisted = (
      await call('POST', '/api/v1/staff/assisted', { ...walkIn, itemCode: item.code }, otherClerk)
    ).body.id;
    await call(
      'POST',
      `/api/v1/staff/assisted/${otherAssisted}/consent`,
      { signaturePng: PNG.toString('base64') },
      otherClerk,
    );
    const otherDraft = (
      await call(
        'POST',
        '/api/v1/applications/drafts',
        { itemCode: item.code, assistedId: otherAssisted },
        otherClerk,
      )
    ).body.id;
    const borrowed = await call(
      'PUT',
      `/api/v1/applications/drafts/${otherDraft}/materials/${formMaterial}`,
      { via: 'upload', key },
      otherClerk,
    );
    expect([borrowed.status, borrowed.body.error.code]).toEqual([400, 'UPLOAD_KEY_INVALID']);

    const chosen = await call(
      'PUT',
      `/api/v1/applications/drafts/${id}/materials/${formMaterial}`,
      { via: 'upload', key },
      clerk,
    );
    expect([chosen.status, chosen.body.missingMaterials]).toEqual([200, []]);
    const submitted = await call('POST', `/api/v1/applications/drafts/${id}/submit`, undefined, clerk);
    expect([submitted.status, submitted.body.state]).toEqual([200, 'submitted']);
    const kase = (await coreCaller(bff.world.core)('GET', `/api/cases/${submitted.body.acceptNo}`)).body;
    expect(kase.applicant.idNumber).toBe(walkIn.idNumber);
    expect(kase.materials).toEqual([
      expect.objectContaining({ code: idMaterial, source: 'licence', licenceNo: licence.licenceNo }),
      expect.objectContaining({ code: formMaterial, source: 'upload', key }),
    ]);
    expect(await db().collection('application_uploads').findOne({ key })).toEqual(
      expect.objectContaining({ state: 'submitted', userId: expect.stringMatching(/^staff:/) }),
    );
  });
});
