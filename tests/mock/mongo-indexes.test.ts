// The query planner through the official driver: which index answers, what explain says, and
// that indexed answers equal what a scan gives. Valid against a real MongoDB 7.0 (MONGODB_URI).
import { ObjectId, type Db, type Document } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { planStages, winningIndexes } from '../support/explain';

let t: TestDatabase;
let db: Db;

const day = (d: number) => new Date(Date.UTC(2026, 0, d));

beforeAll(async () => {
  t = await openTestDatabase('indexes');
  db = t.client.db();
  const tickets = db.collection('tickets');
  await tickets.createIndex({ hallId: 1, day: 1, status: 1, takenAt: 1 });
  await tickets.createIndex({ number: 1 }, { unique: true });
  await tickets.createIndex({ tags: 1 });
  await tickets.insertMany(
    Array.from({ length: 600 }, (_, i) => ({
      number: i,
      hallId: `H${i % 3}`,
      day: day(1 + (i % 2)),
      status: i % 5 === 0 ? 'done' : 'waiting',
      takenAt: new Date(Date.UTC(2026, 0, 1, 8, 0, i)),
      tags: i % 10 === 0 ? ['vip', 'elder'] : ['plain'],
    })),
  );
});
afterAll(() => t.stop());

const tickets = () => db.collection('tickets');

test('equality on a compound prefix plus a range is answered by that index, with the same documents a scan finds', async () => {
  const filter = {
    hallId: 'H1',
    day: day(1),
    status: 'waiting',
    takenAt: { $gte: new Date(Date.UTC(2026, 0, 1, 8, 2)) },
  };
  const explained = await tickets().find(filter).explain('executionStats');
  expect(winningIndexes(explained)).toEqual(['hallId_1_day_1_status_1_takenAt_1']);
  expect(planStages(explained)).toContain('IXSCAN');
  const indexed = await tickets().find(filter).toArray();
  const scanned = (await tickets().find({}).toArray()).filter(
    (d) =>
      d.hallId === 'H1' &&
      d.day.getTime() === day(1).getTime() &&
      d.status === 'waiting' &&
      d.takenAt >= filter.takenAt.$gte,
  );
  expect(indexed.map((d) => d.number).sort((a, b) => a - b)).toEqual(
    scanned.map((d) => d.number).sort((a, b) => a - b),
  );
  expect(explained.executionStats.totalDocsExamined).toBe(indexed.length);
});

test('the index order gives the sort: no SORT stage, and the first of a long queue is read first', async () => {
  const cursor = tickets()
    .find({ hallId: 'H2', day: day(2), status: 'waiting' })
    .sort({ takenAt: 1 })
    .limit(1);
  const explained = await cursor.explain('executionStats');
  expect(planStages(explained)).not.toContain('SORT');
  expect(winningIndexes(explained)).toEqual(['hallId_1_day_1_status_1_takenAt_1']);
  expect(explained.executionStats.totalDocsExamined).toBe(1);
  const [first] = await tickets()
    .find({ hallId: 'H2', day: day(2), status: 'waiting' })
    .sort({ takenAt: 1 })
    .limit(1)
    .toArray();
  const all = await tickets()
    .find({ hallId: 'H2', day: day(2), status: 'waiting' })
    .toArray();
  expect(first.number).toBe(Math.min(...all.map((d) => d.number)));
  const [last] = await tickets()
    .find({ hallId: 'H2', day: day(2), status: 'waiting' })
    .sort({ takenAt: -1 })
    .limit(1)
    .toArray();
  expect(last.number).toBe(Math.max(...all.map((d) => d.number)));
});

test('a count the index covers reads no document', async () => {
  const query = {
    hallId: 'H0',
    day: day(1),
    status: 'waiting',
    takenAt: { $lt: new Date(Date.UTC(2026, 0, 1, 8, 5)) },
  };
  const explained = await db.command({ explain: { count: 'tickets', query }, verbosity: 'executionStats' });
  expect(planStages(explained)).toContain('COUNT_SCAN');
  expect(explained.executionStats.totalDocsExamined).toBe(0);
  const expected = (await tickets().find({}).toArray()).filter(
    (d) =>
      d.hallId === 'H0' &&
      d.day.getTime() === day(1).getTime() &&
      d.status === 'waiting' &&
      d.takenAt < query.takenAt.$lt,
  ).length;
  expect(await tickets().countDocuments(query)).toBe(expected);
  expect((await db.command({ count: 'tickets', query })).n).toBe(expected);
});

test('a unique key pins one document; the planner prefers it to a wide prefix', async () => {
  const explained = await tickets().find({ hallId: 'H0', number: 42 }).explain('executionStats');
  expect(winningIndexes(explained)).toEqual(['number_1']);
  expect(explained.executionStats.totalKeysExamined).toBe(1);
  expect(await tickets().findOne({ hallId: 'H0', number: 42 })).toMatchObject({ number: 42 });
});

test('a multikey index holds each element, answers element equality once per document, and says it is multikey', async () => {
  const explained = await tickets().find({ tags: 'vip' }).explain('executionStats');
  expect(winningIndexes(explained)).toEqual(['tags_1']);
  expect(JSON.stringify(explained.queryPlanner.winningPlan)).toContain('"isMultiKey":true');
  expect(await tickets().countDocuments({ tags: 'vip' })).toBe(60);
  expect(await tickets().countDocuments({ tags: { $in: ['vip', 'elder'] } })).toBe(60);
});

test('explained writes are planned on the index and write nothing', async () => {
  const update = await db.command({
    explain: { update: 'tickets', updates: [{ q: { number: 7 }, u: { $set: { status: 'x' } } }] },
    verbosity: 'executionStats',
  });
  expect(planStages(update)).toEqual(expect.arrayContaining(['UPDATE', 'IXSCAN']));
  const remove = await db.command({
    explain: { delete: 'tickets', deletes: [{ q: { hallId: 'H1', day: day(2) }, limit: 0 }] },
    verbosity: 'executionStats',
  });
  expect(planStages(remove)).toEqual(expect.arrayContaining(['DELETE', 'IXSCAN']));
  const modify = await db.command({
    explain: {
      findAndModify: 'tickets',
      query: { hallId: 'H1', day: day(2), status: 'waiting' },
      sort: { takenAt: 1 },
      update: { $set: { status: 'called' } },
    },
    verbosity: 'executionStats',
  });
  expect(planStages(modify)).toContain('IXSCAN');
  expect(planStages(modify)).not.toContain('SORT');
  expect(await tickets().countDocuments({ status: { $in: ['x', 'called'] } })).toBe(0);
  expect(await tickets().countDocuments({})).toBe(600);
});

test("an aggregate's leading $match and $sort use an index", async () => {
  const explained = await tickets()
    .aggregate([
      { $match: { hallId: 'H1', day: day(1) } },
      { $sort: { status: 1 } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ])
    .explain('executionStats');
  expect(planStages(explained)).toContain('IXSCAN');
  expect(planStages(explained)).not.toContain('COLLSCAN');
});

test('a filter no index bounds is a collection scan', async () => {
  const explained = await tickets().find({ status: 'done' }).explain('executionStats');
  expect(planStages(explained)).toContain('COLLSCAN');
  expect(await tickets().countDocuments({ status: 'done' })).toBe(120);
});

test('index order is BSON order across types: null, numbers, strings, objects, ObjectId, booleans, dates', async () => {
  const mixed = db.collection('mixed');
  await mixed.createIndex({ v: 1 });
  const id = new ObjectId();
  const values: unknown[] = [true, 'b', 2.5, new Date(0), { a: 1 }, null, id, 'a', -1, false, 10];
  await mixed.insertMany(values.map((v, i) => ({ i, v })));
  await mixed.insertOne({ i: 99 });
  const order = (
    await mixed
      .find({}, { projection: { _id: 0, i: 1 } })
      .sort({ v: 1, i: 1 })
      .toArray()
  ).map((d: Document) => d.i);
  expect(order).toEqual([5, 99, 8, 2, 10, 7, 1, 4, 6, 9, 0, 3]);
  const explained = await mixed.find({ v: { $gte: 0 } }).explain('executionStats');
  expect(winningIndexes(explained)).toEqual(['v_1']);
  // Type bracketing: a numeric range matches numbers only.
  expect(
    (
      await mixed
        .find({ v: { $gte: 0 } })
        .sort({ v: 1 })
        .toArray()
    ).map((d) => d.v),
  ).toEqual([2.5, 10]);
});

test('a position count with an $or on the queue order reads only the tickets ahead (offline: the $or branches are planned on the index)', async () => {
  const ticket = await tickets().findOne({ hallId: 'H2', day: day(2), status: 'waiting', number: 299 });
  const position = {
    hallId: 'H2',
    day: day(2),
    status: 'waiting',
    $or: [
      { takenAt: { $lt: ticket!.takenAt } },
      { takenAt: ticket!.takenAt, number: { $lt: ticket!.number } },
    ],
  };
  const expected = (
    await tickets()
      .find({ hallId: 'H2', day: day(2), status: 'waiting' })
      .toArray()
  ).filter((d) => d.takenAt < ticket!.takenAt).length;
  expect(await tickets().countDocuments(position)).toBe(expected);
  const explained = await tickets().find(position).explain('executionStats');
  expect(planStages(explained)).not.toContain('COLLSCAN');
  expect(explained.executionStats.nReturned).toBe(expected);
  const waitingOfDay = await tickets().countDocuments({ hallId: 'H2', day: day(2), status: 'waiting' });
  if (!process.env.MONGODB_URI) expect(explained.executionStats.totalKeysExamined).toBeLessThan(waitingOfDay);
});

test('a count whose $or branches an index decides alone reads no document; branches that overlap are still counted once', async () => {
  const line = db.collection('line');
  await line.createIndex({ hall: 1, kind: 1, at: 1, seq: 1 });
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 8, minute));
  // Several tickets share a minute, so the tie on `at` is broken by `seq`.
  const docs = Array.from({ length: 400 }, (_, i) => ({
    hall: `H${i % 2}`,
    kind: i % 3 === 0 ? 'priority' : null,
    at: at(Math.floor(i / 8)),
    seq: i,
  }));
  await line.insertMany(docs.map((d) => ({ ...d })));
  const me = docs[203];
  const position = {
    hall: me.hall,
    kind: null,
    $or: [{ at: { $lt: me.at } }, { at: me.at, seq: { $lt: me.seq } }],
  };
  const expected = docs.filter(
    (d) =>
      d.hall === me.hall &&
      d.kind === null &&
      (d.at < me.at || (d.at.getTime() === me.at.getTime() && d.seq < me.seq)),
  ).length;
  expect(expected).toBeGreaterThan(50);
  expect(await line.countDocuments(position)).toBe(expected);
  const explained = await db.command({
    explain: { count: 'line', query: position },
    verbosity: 'executionStats',
  });
  if (!process.env.MONGODB_URI) expect(explained.executionStats.totalDocsExamined).toBe(0);
  // The same minute in both branches: a ticket in both is one ticket.
  const overlapping = {
    hall: me.hall,
    kind: null,
    $or: [{ at: { $lte: me.at } }, { at: me.at, seq: { $lt: me.seq } }],
  };
  expect(await line.countDocuments(overlapping)).toBe(
    docs.filter((d) => d.hall === me.hall && d.kind === null && d.at <= me.at).length,
  );
});

test('covered counts over many tree nodes equal what a scan counts, at every range edge', async () => {
  const spread = db.collection('spread');
  await spread.createIndex({ g: 1, v: -1 });
  // A fixed pseudo-random sequence, so a failure can be replayed.
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) % 1000;
  const docs = Array.from({ length: 5000 }, (_, i) => ({ g: i % 7, v: next() }));
  await spread.insertMany(docs);
  for (let q = 0; q < 40; q += 1) {
    const g = q % 7;
    const [a, b] = [next(), next()].sort((x, y) => x - y);
    const filter = q % 3 === 0 ? { g, v: { $gt: a, $lte: b } } : { g, v: { $gte: a, $lt: b } };
    const expected = docs.filter(
      (d) => d.g === g && (q % 3 === 0 ? d.v > a && d.v <= b : d.v >= a && d.v < b),
    ).length;
    expect(await spread.countDocuments(filter)).toBe(expected);
  }
  expect(await spread.countDocuments({ g: 3 })).toBe(docs.filter((d) => d.g === 3).length);
});

test('a point find on a whole unique key: the key fields alone are answered from the index; any other field is still tested', async () => {
  const coll = db.collection('point_finds');
  await coll.createIndex(
    { hallId: 1, day: 1, seq: 1 },
    { unique: true, partialFilterExpression: { seq: { $type: 'number' } } },
  );
  await coll.insertMany([
    { hallId: 'H1', day: '2026-03-01', seq: 7, status: 'waiting' },
    { hallId: 'H1', day: '2026-03-01', seq: null, status: 'waiting' },
    { hallId: 'H1', day: '2026-03-01', seq: null, status: 'done' },
  ]);
  const byKey = { hallId: 'H1', day: '2026-03-01', seq: 7 };
  const explained = await coll.find(byKey).explain('executionStats');
  expect(winningIndexes(explained)).toEqual(['hallId_1_day_1_seq_1']);
  expect(await coll.findOne(byKey, { projection: { _id: 0 } })).toEqual({ ...byKey, status: 'waiting' });
  expect(await coll.findOne({ ...byKey, status: 'done' })).toBeNull();
  expect(await coll.countDocuments({ seq: 7.0, day: '2026-03-01', hallId: 'H1' })).toBe(1);
  // seq: null is not in the partial index (it holds numbers only): both such tickets are found by a scan.
  expect(await coll.countDocuments({ hallId: 'H1', day: '2026-03-01', seq: null })).toBe(2);
  expect(winningIndexes(await coll.find({ hallId: 'H1', day: '2026-03-01', seq: null }).explain())).toEqual(
    [],
  );
});

test('ObjectIds sort and range over the _id index in byte (hex) order', async () => {
  const coll = db.collection('object_ids');
  const ids = [
    'ff0000000000000000000001',
    '0a0000000000000000000002',
    '10000000000000000000000f',
    '10000000000000000000000a',
  ].map((h) => new ObjectId(h));
  await coll.insertMany(ids.map((_id, i) => ({ _id, i })));
  expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id.toHexString())).toEqual(
    ids.map((id) => id.toHexString()).sort(),
  );
  expect(await coll.countDocuments({ _id: { $gt: ids[3], $lt: ids[0] } })).toBe(1);
  expect(await coll.findOne({ _id: new ObjectId('10000000000000000000000a') })).toMatchObject({ i: 3 });
});
