// Every query shape the BFF issues on its hot paths is answered from an index: the filters and
// sorts below are copied from the services (queue, booking, progress, messages, catalogue) and
// run through the app's own mongoose models with `.explain()`. Valid against a real MongoDB.
import type { Model } from 'mongoose';
import { EITHER_KIND, NOT_IN_LINE, ORDINARY, PRIORITIZED } from '@onewindow/bff/modules/queue/model';
import { startTestBff, type TestBff } from '../support/bff';
import { docsExamined, planStages, winningIndexes } from '../support/explain';

let bff: TestBff;
const model = (name: string) => bff.app.db.model(name) as Model<Record<string, unknown>>;

const day = '2026-03-02';
const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 1, minutes));

beforeAll(async () => {
  bff = await startTestBff('indexed-queries');
  // A little of everything, so each collection exists and the planner has entries to weigh.
  await model('Ticket').collection.insertMany(
    Array.from({ length: 40 }, (_, i) => ({
      hallId: 'H1',
      category: 'A',
      numberCategory: 'A',
      day,
      seq: i + 1,
      number: `A${i + 1}`,
      userId: `u${i}`,
      priority: i % 7 === 0 ? 'elderly' : null,
      appointmentId: null,
      status: i < 30 ? 'done' : 'waiting',
      live: i >= 30,
      queuedAt: at(i),
      takenAt: at(i),
      windowId: null,
      calledAt: null,
      servedAt: i < 30 ? at(i + 1) : null,
      completedAt: i < 30 ? at(i + 2) : null,
    })),
  );
  await model('Appointment').collection.insertMany(
    Array.from({ length: 20 }, (_, i) => ({
      userId: `u${i}`,
      personKey: `p${i}`,
      itemCode: 'I1',
      hallId: 'H1',
      category: 'A',
      day,
      start: at(i * 10),
      end: at(i * 10 + 10),
      status: 'booked',
      bookingCode: `B${i}`,
      reminded: { dayBefore: false, hourBefore: false },
    })),
  );
  await model('TicketCounter').collection.insertOne({ _id: `H1|A|${day}` as never, seq: 40 });
  await model('QueueWindow').collection.insertMany([
    { _id: 'W1' as never, hallId: 'H1', open: true, currentTicketId: null },
  ]);
  await model('Slot').collection.insertMany(
    Array.from({ length: 20 }, (_, i) => ({
      hallId: 'H1',
      category: 'A',
      start: at(i * 10),
      capacity: 3,
      taken: 1,
    })),
  );
  await model('Message').collection.insertMany(
    Array.from({ length: 20 }, (_, i) => ({
      userId: `u${i % 4}`,
      dedupeKey: `k${i}`,
      createdAt: at(i),
      readAt: i % 2 ? at(i) : null,
      push: { state: 'pending', nextAt: at(i) },
    })),
  );
  await model('CaseSnapshot').collection.insertMany(
    Array.from({ length: 10 }, (_, i) => ({ acceptNo: `N${i}`, applicantKey: `p${i}`, appliedSequence: 0 })),
  );
  await model('CaseEvent').collection.insertMany(
    Array.from({ length: 10 }, (_, i) => ({
      eventId: `e${i}`,
      acceptNo: `N${i % 3}`,
      sequence: i,
      appliedAt: null,
      receivedAt: at(i),
    })),
  );
  await model('CatalogueHall').collection.insertMany(
    Array.from({ length: 5 }, (_, i) => ({ id: `H${i}`, level: 'district', parentId: 'P' })),
  );
  await model('CatalogueItem').collection.insertMany(
    Array.from({ length: 10 }, (_, i) => ({
      code: `I${i}`,
      departmentCode: 'D1',
      themes: ['birth'],
      hallIds: ['H1', 'H2'],
      searchText: `item ${i}`,
    })),
  );
});
afterAll(() => bff?.stop());

/** The plan uses an index and never scans the collection. */
function expectIndexed(explained: unknown, index?: string): void {
  const stages = planStages(explained as Record<string, unknown>);
  expect(
    stages.some((s) => s === 'IXSCAN' || s === 'COUNT_SCAN' || s === 'IDHACK' || s === 'EXPRESS_IXSCAN'),
  ).toBe(true);
  expect(stages).not.toContain('COLLSCAN');
  if (index) expect(winningIndexes(explained as Record<string, unknown>)).toContain(index);
}

/**
 * findOneAndUpdate as the services send it, explained with the explain command: the driver
 * answers `findOneAndUpdate(…).explain()` with the (absent) document instead of the plan.
 */
const explainFindAndModify = (
  name: string,
  query: Record<string, unknown>,
  update: Record<string, unknown>,
  sort?: Record<string, 1 | -1>,
) =>
  bff.app.db.db!.command({
    explain: {
      findAndModify: model(name).collection.collectionName,
      query,
      update,
      ...(sort ? { sort } : {}),
    },
    verbosity: 'executionStats',
  });

/** What `countDocuments(filter)` sends: explained as that aggregate. */
const explainCount = (name: string, filter: Record<string, unknown>) =>
  model(name)
    .aggregate([{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }])
    .explain('executionStats');

describe('queue', () => {
  const waiting = {
    day,
    hallId: 'H1',
    category: 'A',
    status: 'waiting',
    ...EITHER_KIND,
    queuedAt: { $lt: NOT_IN_LINE },
  };
  const line = 'day_1_hallId_1_category_1_status_1_priority_1_queuedAt_1_seq_1';

  /** Offline, a count the index decides is read from the index alone (MongoDB may still fetch). */
  function expectCountedFromIndex(explained: unknown): void {
    expectIndexed(explained, line);
    if (!process.env.MONGODB_URI) expect(docsExamined(explained as Record<string, unknown>)).toBe(0);
  }

  test('take: the live-ticket check, the counter and the number', async () => {
    expectIndexed(
      await model('Ticket')
        .find({ userId: 'u1', hallId: 'H1', category: 'A', day, live: true })
        .explain('executionStats'),
    );
    expectIndexed(
      await explainFindAndModify(
        'TicketCounter',
        { _id: `H1|A|${day}`, seq: { $lt: 100 } },
        { $inc: { seq: 1 } },
      ),
    );
    const [ticket] = await model('Ticket').find({ status: 'waiting' }).limit(1).lean();
    expectIndexed(
      await model('Ticket')
        .updateOne({ _id: ticket._id }, { $set: { seq: 99, number: 'A099' } })
        .explain('executionStats'),
    );
  });

  test('position and waiting counts (from the index alone), the front of the queue and the next call', async () => {
    expectCountedFromIndex(await explainCount('Ticket', waiting));
    for (const [sameKind, otherKind] of [
      [ORDINARY, PRIORITIZED],
      [PRIORITIZED, ORDINARY],
    ]) {
      expectCountedFromIndex(
        await explainCount('Ticket', {
          ...waiting,
          ...sameKind,
          $or: [{ queuedAt: { $lt: at(35) } }, { queuedAt: at(35), seq: { $lt: 36 } }],
        }),
      );
      expectCountedFromIndex(await explainCount('Ticket', { ...waiting, ...otherKind }));
    }
    for (const kind of [ORDINARY, PRIORITIZED]) {
      const front = await model('Ticket')
        .find({ ...waiting, ...kind })
        .sort({ queuedAt: 1, seq: 1 })
        .limit(3)
        .explain('executionStats');
      expectIndexed(front, line);
    }
    const [head] = await model('Ticket').find({ status: 'waiting' }).limit(1).lean();
    expectIndexed(
      await explainFindAndModify(
        'Ticket',
        { _id: head._id, status: 'waiting' },
        { $set: { status: 'called' } },
      ),
    );
  });

  test('hall display and the service-time estimate', async () => {
    expectIndexed(
      await model('Ticket')
        .find({ hallId: 'H1', day, status: { $in: ['called', 'serving'] } })
        .sort({ calledAt: -1 })
        .limit(10)
        .explain('executionStats'),
    );
    expectIndexed(
      await model('Ticket')
        .find({ hallId: 'H1', category: 'A', status: 'done' }, { servedAt: 1, completedAt: 1 })
        .sort({ completedAt: -1 })
        .limit(20)
        .explain('executionStats'),
      'hallId_1_category_1_status_1_completedAt_-1',
    );
    expectIndexed(await explainCount('QueueWindow', { _id: { $in: ['W1', 'W2'] }, open: true }));
  });
});

describe('operating figures', () => {
  test("a day's tickets of a hall, and the hall's bookings of a period", async () => {
    expectIndexed(
      await model('Ticket')
        .find({ hallId: 'H1', day, seq: { $ne: null } }, { category: 1, status: 1, takenAt: 1 })
        .explain('executionStats'),
      'day_1_hallId_1_category_1_status_1_priority_1_queuedAt_1_seq_1',
    );
    expectIndexed(
      await model('Appointment')
        .find(
          {
            status: { $in: ['booked', 'checked_in', 'missed'] },
            start: { $gte: at(0), $lt: at(120) },
            hallId: 'H1',
          },
          { category: 1, start: 1, status: 1 },
        )
        .explain('executionStats'),
    );
  });
});

describe('booking', () => {
  test("slots of a day, a slot's count, taking and releasing one", async () => {
    expectIndexed(
      await model('Slot')
        .find({ hallId: 'H1', category: 'A', start: { $gte: at(0), $lte: at(100) } }, { start: 1, taken: 1 })
        .explain('executionStats'),
      'hallId_1_category_1_start_1',
    );
    // A booking attempt's look at the slot before it claims anything.
    expectIndexed(
      await model('Slot')
        .findOne({ hallId: 'H1', category: 'A', start: at(10) }, { _id: 0, taken: 1 })
        .explain('executionStats'),
      'hallId_1_category_1_start_1',
    );
    expectIndexed(
      await model('Slot')
        .updateOne({ hallId: 'H1', category: 'A', start: at(10), taken: { $lt: 3 } }, { $inc: { taken: 1 } })
        .explain('executionStats'),
    );
  });

  test("a person's standing, my appointments, reminders and misses", async () => {
    // A booking attempt's one read of the person's recent and coming appointments (a booking
    // already held, the no-show restriction).
    expectIndexed(
      await model('Appointment')
        .find(
          { personKey: 'p1', status: { $in: ['missed', 'booked'] }, end: { $gte: at(0) } },
          { _id: 0, end: 1, status: 1, itemCode: 1, day: 1 },
        )
        .explain('executionStats'),
      'personKey_1_status_1_end_1',
    );
    expectIndexed(
      await model('Appointment')
        .find({ userId: 'u1' })
        .sort({ start: -1 })
        .limit(100)
        .explain('executionStats'),
    );
    expectIndexed(
      await explainFindAndModify(
        'Appointment',
        { status: 'booked', start: { $gt: at(0), $lte: at(60) }, 'reminded.hourBefore': false },
        { $set: { 'reminded.hourBefore': true } },
      ),
      'status_1_start_1',
    );
    expectIndexed(
      await model('Appointment')
        .updateMany({ status: 'booked', end: { $lte: at(30) } }, { $set: { status: 'missed' } })
        .explain('executionStats'),
    );
  });
});

describe('progress', () => {
  test('lookup by acceptance number, by applicant, the hourly lookup limit and event application', async () => {
    expectIndexed(
      await model('CaseSnapshot').findOne({ acceptNo: 'N1' }).explain('executionStats'),
      'acceptNo_1',
    );
    expectIndexed(
      await model('CaseSnapshot').find({ applicantKey: 'p1' }).explain('executionStats'),
      'applicantKey_1',
    );
    // The hourly limit is counted on the case's copy, found by its number (the claim and the
    // count's give-back).
    expectIndexed(
      await model('CaseSnapshot')
        .updateOne({ acceptNo: 'N1', guessCount: { $gt: 0 } }, { $inc: { guessCount: -1 } })
        .explain('executionStats'),
      'acceptNo_1',
    );
    expectIndexed(
      await model('CaseEvent').findOne({ acceptNo: 'N1', sequence: 4 }).explain('executionStats'),
      'acceptNo_1_sequence_1',
    );
    expectIndexed(
      await model('CaseEvent')
        .updateOne({ eventId: 'e1' }, { $set: { appliedAt: at(1) } })
        .explain('executionStats'),
      'eventId_1',
    );
  });
});

describe('message centre', () => {
  test('list, total and unread count of a citizen, and the push queue', async () => {
    expectIndexed(
      await model('Message')
        .find({ userId: 'u1' })
        .sort({ createdAt: -1, _id: -1 })
        .skip(0)
        .limit(20)
        .explain('executionStats'),
      'userId_1_createdAt_-1',
    );
    expectIndexed(await explainCount('Message', { userId: 'u1' }));
    expectIndexed(await explainCount('Message', { userId: 'u1', readAt: null }));
    expectIndexed(
      await model('Message')
        .find({ 'push.state': 'pending', 'push.nextAt': { $lte: at(10) } }, { _id: 1 })
        .limit(100)
        .explain('executionStats'),
      'push.state_1_push.nextAt_1',
    );
  });
});

describe('catalogue', () => {
  test('halls by id and level, items by code, hall and department', async () => {
    expectIndexed(
      await model('CatalogueHall').findOne({ id: 'H1' }, { _id: 0 }).explain('executionStats'),
      'id_1',
    );
    expectIndexed(
      await model('CatalogueHall')
        .find({ level: 'district' }, { _id: 0 })
        .sort({ id: 1 })
        .explain('executionStats'),
    );
    expectIndexed(
      await model('CatalogueHall').find({}, { _id: 0 }).sort({ id: 1 }).explain('executionStats'),
      'id_1',
    );
    expectIndexed(await model('CatalogueItem').findOne({ code: 'I1' }).explain('executionStats'), 'code_1');
    expectIndexed(
      await model('CatalogueItem')
        .find({ hallIds: 'H1' })
        .sort({ code: 1 })
        .limit(20)
        .explain('executionStats'),
    );
    expectIndexed(await explainCount('CatalogueItem', { hallIds: 'H1', departmentCode: 'D1' }));
  });
});
