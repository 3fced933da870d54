// Conformance of the offline MongoDB server, through the official driver only. Every assertion
// is what real MongoDB does, so with MONGODB_URI set this suite checks the simulator against it.
import {
  MongoServerError,
  ObjectId,
  type CollationOptions,
  type Db,
  type Document,
  type UpdateFilter,
} from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await openTestDatabase('commands');
  db = t.client.db();
});
afterAll(() => t.stop());

describe('handshake and admin commands', () => {
  test('ping, hello as a writable primary, buildInfo', async () => {
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(8);
    const info = await db.admin().command({ buildInfo: 1 });
    expect(typeof info.version).toBe('string');
  });

  test('an unknown command is CommandNotFound (59)', async () => {
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
  });

  test('create, listCollections, drop and dropDatabase', async () => {
    const other = t.client.db(`${db.databaseName}_x`);
    await other.createCollection('alpha');
    await expect(other.createCollection('alpha')).rejects.toMatchObject({ code: 48 });
    await other.collection('beta').insertOne({ a: 1 });
    const names = (await other.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['alpha', 'beta']);
    expect(await other.collection('alpha').drop()).toBe(true);
    expect((await other.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)).toEqual([
      'beta',
    ]);
    await other.dropDatabase();
    expect(await other.listCollections().toArray()).toEqual([]);
  });
});

describe('insert and find', () => {
  const people = () =>
    db.collection<{ _id?: ObjectId; name: string; age: number; city?: string; tags?: string[] }>('people');

  beforeAll(async () => {
    await people().insertMany([
      { name: '张三', age: 30, city: '杭州', tags: ['a', 'b'] },
      { name: '李四', age: 25, city: '宁波', tags: ['b'] },
      { name: '王五', age: 41, city: '杭州' },
      { name: '赵六', age: 19 },
    ]);
  });

  test('filter, projection, sort, skip, limit', async () => {
    const rows = await people()
      .find({ age: { $gte: 20 } }, { projection: { _id: 0, name: 1 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(rows).toEqual([{ name: '张三' }, { name: '李四' }]);
  });

  test('operators: $in, $exists, $regex, array membership, $or', async () => {
    expect(await people().countDocuments({ city: { $in: ['杭州'] } })).toBe(2);
    expect(await people().countDocuments({ city: { $exists: false } })).toBe(1);
    expect(await people().countDocuments({ name: { $regex: '^张' } })).toBe(1);
    expect(await people().countDocuments({ tags: 'b' })).toBe(2);
    expect(await people().countDocuments({ $or: [{ age: 19 }, { city: '宁波' }] })).toBe(2);
  });

  test('_id is generated, first, and point lookups find it', async () => {
    const { insertedId } = await people().insertOne({ name: '钱七', age: 50 });
    const doc = await db.collection('people').findOne({ _id: insertedId });
    expect(Object.keys(doc!)[0]).toBe('_id');
    expect(doc!.name).toBe('钱七');
    await people().deleteOne({ _id: insertedId });
  });

  test('count, estimatedDocumentCount and distinct', async () => {
    expect(await people().estimatedDocumentCount()).toBe(4);
    expect((await people().distinct('city')).sort()).toEqual(['宁波', '杭州']);
    expect((await people().distinct('tags')).sort()).toEqual(['a', 'b']);
  });

  test('a cursor iterates 10,000 documents in batches, each exactly once', async () => {
    const many = db.collection('many');
    await many.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ i })));
    const seen = new Set<number>();
    for await (const doc of many.find({}, { batchSize: 700 })) seen.add(doc.i as number);
    expect(seen.size).toBe(10_000);
  });

  test('killCursors closes an open cursor on the server', async () => {
    const cursor = db.collection('many').find({}, { batchSize: 10 });
    await cursor.next();
    const id = cursor.id!;
    await cursor.close();
    await expect(db.command({ getMore: id, collection: 'many' })).rejects.toMatchObject({ code: 43 });
  });
});

describe('update, delete and findAndModify', () => {
  const items = () => db.collection('items');

  beforeEach(async () => {
    await items().deleteMany({});
    await items().insertMany([
      {
        _id: 1 as unknown as ObjectId,
        qty: 5,
        sizes: [
          { s: 'M', n: 1 },
          { s: 'L', n: 2 },
        ],
      },
      { _id: 2 as unknown as ObjectId, qty: 0, sizes: [] },
    ]);
  });

  test('operators, multi and nModified of a no-op', async () => {
    const inc = await items().updateOne({ _id: 1 as unknown as ObjectId }, {
      $inc: { qty: 2 },
      $push: { log: 'x' },
    } as unknown as UpdateFilter<Document>);
    expect(inc).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const noop = await items().updateOne({ _id: 1 as unknown as ObjectId }, { $set: { qty: 7 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const many = await items().updateMany({}, { $set: { seen: true } });
    expect(many.modifiedCount).toBe(2);
    expect(await items().countDocuments({ seen: true })).toBe(2);
  });

  test('arrayFilters update matching array elements only', async () => {
    await items().updateOne(
      { _id: 1 as unknown as ObjectId },
      { $inc: { 'sizes.$[e].n': 10 } },
      { arrayFilters: [{ 'e.s': 'L' }] },
    );
    const doc = await items().findOne({ _id: 1 as unknown as ObjectId });
    expect(doc!.sizes).toEqual([
      { s: 'M', n: 1 },
      { s: 'L', n: 12 },
    ]);
  });

  test('replacement keeps _id; changing _id is ImmutableField (66)', async () => {
    await items().replaceOne({ _id: 2 as unknown as ObjectId }, { qty: 9 });
    expect(await items().findOne({ _id: 2 as unknown as ObjectId })).toEqual({ _id: 2, qty: 9 });
    await expect(
      items().updateOne({ _id: 2 as unknown as ObjectId }, { $set: { _id: 3 } }),
    ).rejects.toMatchObject({ code: 66 });
  });

  test('upsert builds the document from the query and $setOnInsert', async () => {
    const result = await items().updateOne(
      { sku: 'N1', kind: { $eq: 'k' } },
      { $inc: { qty: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(result.upsertedCount).toBe(1);
    expect(await items().findOne({ _id: result.upsertedId! }, { projection: { _id: 0 } })).toEqual({
      sku: 'N1',
      kind: 'k',
      qty: 1,
      created: true,
    });
    await items().updateOne(
      { sku: 'N1' },
      { $inc: { qty: 1 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(await items().findOne({ sku: 'N1' }, { projection: { _id: 0, qty: 1, created: 1 } })).toEqual({
      qty: 2,
      created: true,
    });
  });

  test('pipeline-style update', async () => {
    await items().updateOne({ _id: 2 as unknown as ObjectId }, [
      { $set: { double: { $multiply: [2, 21] } } },
    ]);
    expect((await items().findOne({ _id: 2 as unknown as ObjectId }))!.double).toBe(42);
  });

  test('an unknown update operator is refused', async () => {
    await expect(items().updateOne({}, { $frob: { a: 1 } })).rejects.toBeInstanceOf(MongoServerError);
  });

  test('findOneAndUpdate returns before or after, with sort, projection and upsert', async () => {
    const before = await items().findOneAndUpdate(
      {},
      { $inc: { qty: 1 } },
      { sort: { qty: -1 }, returnDocument: 'before' },
    );
    expect(before).toMatchObject({ _id: 1, qty: 5 });
    const after = await items().findOneAndUpdate(
      { _id: 1 as unknown as ObjectId },
      { $inc: { qty: 1 } },
      { returnDocument: 'after', projection: { qty: 1 } },
    );
    expect(after).toEqual({ _id: 1, qty: 7 });
    const missing = await items().findOneAndUpdate({ _id: 99 as unknown as ObjectId }, { $set: { a: 1 } });
    expect(missing).toBeNull();
    const upserted = await items().findOneAndUpdate(
      { _id: 99 as unknown as ObjectId },
      { $set: { a: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).toEqual({ _id: 99, a: 1 });
    const withMeta = await items().findOneAndUpdate(
      { _id: 98 as unknown as ObjectId },
      { $set: { a: 1 } },
      { upsert: true, includeResultMetadata: true },
    );
    expect(withMeta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 98 });
  });

  test('findOneAndDelete and deleteMany', async () => {
    expect(await items().findOneAndDelete({ _id: 2 as unknown as ObjectId })).toMatchObject({ _id: 2 });
    expect((await items().deleteMany({})).deletedCount).toBe(1);
    expect(await items().countDocuments()).toBe(0);
  });
});

describe('update operators together', () => {
  test('several operators in one update apply to their own paths, nested ones included', async () => {
    const c = db.collection('operators');
    await c.insertOne({
      _id: 1 as never,
      n: 1,
      tags: ['a'],
      labels: ['x'],
      nested: { max: 5, drop: true },
      gone: 'x',
    });
    await c.updateOne({ _id: 1 as never }, {
      $set: { 'nested.note': 'kept', seen: true },
      $inc: { n: 2 },
      $max: { 'nested.max': 9 },
      $push: { tags: 'b' },
      $addToSet: { labels: 'x' },
      $unset: { gone: '', 'nested.drop': '' },
      $currentDate: { at: true },
    } as unknown as UpdateFilter<Document>);
    const doc = await c.findOne({ _id: 1 as never });
    expect(doc).toEqual({
      _id: 1,
      n: 3,
      tags: ['a', 'b'],
      labels: ['x'],
      nested: { max: 9, note: 'kept' },
      seen: true,
      at: expect.any(Date),
    });
  });

  test('two operators on one path, or on a path and one inside it, are refused and change nothing', async () => {
    const c = db.collection('operator_conflicts');
    await c.insertOne({ _id: 1 as never, a: { b: 1 }, n: 1 });
    for (const update of [
      { $set: { n: 5 }, $inc: { n: 1 } },
      { $set: { a: { b: 2 } }, $inc: { 'a.b': 1 } },
      { $set: { 'a.b': 3 }, $unset: { a: '' } },
    ]) {
      const refused = await c
        .updateOne({ _id: 1 as never }, update as UpdateFilter<Document>)
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(MongoServerError);
      expect((refused as MongoServerError).code).toBe(40);
      expect((refused as MongoServerError).codeName).toBe('ConflictingUpdateOperators');
    }
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, a: { b: 1 }, n: 1 });
  });
});

describe('indexes and duplicate keys', () => {
  const users = () => db.collection('users');

  beforeAll(async () => {
    await users().createIndex({ email: 1 }, { unique: true });
    await users().createIndex({ hall: 1, day: 1, number: 1 }, { unique: true, name: 'ticket_number' });
    await users().insertOne({ email: 'a@x.cn', hall: 'H1', day: '2026-11-23', number: 1 });
  });

  const expectDuplicate = (promise: Promise<unknown>, keyValue: Record<string, unknown>) =>
    expect(promise).rejects.toMatchObject({
      code: 11000,
      keyValue,
      errmsg: expect.stringContaining('E11000 duplicate key error'),
    });

  test('listIndexes shows _id_ and ours; the same index again is accepted', async () => {
    const names = (await users().listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_', 'email_1', 'ticket_number']);
    await users().createIndex({ email: 1 }, { unique: true });
  });

  test('duplicate on insert, update, upsert and findAndModify, with keyPattern and keyValue', async () => {
    await expectDuplicate(users().insertOne({ email: 'a@x.cn' }), { email: 'a@x.cn' });
    await users().insertOne({ email: 'b@x.cn', hall: 'H1', day: '2026-11-23', number: 2 });
    await expectDuplicate(users().updateOne({ email: 'b@x.cn' }, { $set: { email: 'a@x.cn' } }), {
      email: 'a@x.cn',
    });
    await expectDuplicate(
      users().updateOne(
        { email: 'c@x.cn' },
        { $set: { hall: 'H1', day: '2026-11-23', number: 1 } },
        { upsert: true },
      ),
      {
        hall: 'H1',
        day: '2026-11-23',
        number: 1,
      },
    );
    await expectDuplicate(users().findOneAndUpdate({ email: 'b@x.cn' }, { $set: { number: 1 } }), {
      hall: 'H1',
      day: '2026-11-23',
      number: 1,
    });
    await expect(users().insertOne({ email: 'a@x.cn' })).rejects.toMatchObject({ keyPattern: { email: 1 } });
    expect(await users().countDocuments({ email: 'c@x.cn' })).toBe(0);
  });

  test('duplicate _id', async () => {
    await users().insertOne({ _id: 'fixed' as unknown as ObjectId, email: 'f@x.cn' });
    await expectDuplicate(users().insertOne({ _id: 'fixed' as unknown as ObjectId, email: 'g@x.cn' }), {
      _id: 'fixed',
    });
  });

  test('ordered insertMany stops at the duplicate; unordered goes on', async () => {
    const batch = db.collection('batch');
    await batch.createIndex({ k: 1 }, { unique: true });
    await expect(batch.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }])).rejects.toMatchObject({ code: 11000 });
    expect(await batch.countDocuments()).toBe(1);
    await expect(batch.insertMany([{ k: 3 }, { k: 1 }, { k: 4 }], { ordered: false })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await batch.countDocuments()).toBe(3);
  });

  test('a unique index cannot be built over duplicates', async () => {
    const dup = db.collection('dup');
    await dup.insertMany([{ v: 1 }, { v: 1 }]);
    await expect(dup.createIndex({ v: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
  });

  test('a partial unique index only constrains matching documents', async () => {
    const bookings = db.collection('bookings');
    await bookings.createIndex(
      { user: 1, day: 1 },
      { unique: true, partialFilterExpression: { status: 'booked' } },
    );
    await bookings.insertOne({ user: 'u', day: 'd', status: 'cancelled' });
    await bookings.insertOne({ user: 'u', day: 'd', status: 'cancelled' });
    await bookings.insertOne({ user: 'u', day: 'd', status: 'booked' });
    await expect(bookings.insertOne({ user: 'u', day: 'd', status: 'booked' })).rejects.toMatchObject({
      code: 11000,
    });
  });

  test('equality on an indexed field finds exactly the matching documents through inserts, updates, arrays and deletes', async () => {
    const c = db.collection('prefixed');
    await c.createIndex({ owner: 1, at: -1 });
    await c.createIndex({ tags: 1 });
    await c.insertMany([
      { n: 1, owner: 'a', tags: ['x', 'y'] },
      { n: 2, owner: 'b', tags: 'x' },
      { n: 3, owner: 'a' },
      { n: 4, tags: ['z'] },
    ]);
    const ns = async (filter: Document) => (await c.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n);
    expect(await ns({ owner: 'a' })).toEqual([1, 3]);
    expect(await ns({ owner: 'a', n: { $gt: 1 } })).toEqual([3]);
    expect(await ns({ tags: 'x' })).toEqual([1, 2]);
    expect(await ns({ owner: null })).toEqual([4]);
    await c.updateOne({ n: 3 }, { $set: { owner: 'b' } });
    await c.updateOne({ n: 1 }, { $set: { tags: ['y'] } });
    expect(await ns({ owner: 'a' })).toEqual([1]);
    expect(await ns({ owner: 'b' })).toEqual([2, 3]);
    expect(await ns({ tags: 'x' })).toEqual([2]);
    await c.deleteOne({ n: 2 });
    expect(await ns({ owner: 'b' })).toEqual([3]);
    expect(await ns({ tags: 'x' })).toEqual([]);
    expect(await c.countDocuments({ owner: 'b' })).toBe(1);
    await c.dropIndex('owner_1_at_-1');
    expect(await ns({ owner: 'b' })).toEqual([3]);
  });

  test('dropIndexes removes an index and its constraint', async () => {
    await users().dropIndex('email_1');
    await users().insertOne({ email: 'a@x.cn', hall: 'H2', day: '2026-11-23', number: 1 });
    expect((await users().listIndexes().toArray()).map((i) => i.name)).not.toContain('email_1');
  });
});

describe('aggregation', () => {
  beforeAll(async () => {
    await db.collection('ratings').insertMany([
      { window: 'W1', level: 5, item: 'I1' },
      { window: 'W1', level: 2, item: 'I2' },
      { window: 'W2', level: 4, item: 'I1' },
      { window: 'W2', level: 5, item: 'I1' },
    ]);
    await db.collection('catalogue').insertMany([
      { code: 'I1', name: '生育登记' },
      { code: 'I2', name: '高龄津贴' },
    ]);
  });

  test('$match $group $sort $project $addFields', async () => {
    const rows = await db
      .collection('ratings')
      .aggregate([
        { $match: { level: { $gte: 1 } } },
        {
          $group: {
            _id: '$window',
            total: { $sum: 1 },
            satisfied: { $sum: { $cond: [{ $gte: ['$level', 3] }, 1, 0] } },
          },
        },
        { $addFields: { rate: { $divide: ['$satisfied', '$total'] } } },
        { $project: { _id: 0, window: '$_id', total: 1, rate: 1 } },
        { $sort: { window: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { total: 2, rate: 0.5, window: 'W1' },
      { total: 2, rate: 1, window: 'W2' },
    ]);
  });

  test('$lookup $unwind $skip $limit $count $facet', async () => {
    const named = await db
      .collection('ratings')
      .aggregate([
        { $lookup: { from: 'catalogue', localField: 'item', foreignField: 'code', as: 'guide' } },
        { $unwind: '$guide' },
        { $sort: { level: 1 } },
        { $skip: 1 },
        { $limit: 1 },
        { $project: { _id: 0, name: '$guide.name', level: 1 } },
      ])
      .toArray();
    expect(named).toEqual([{ level: 4, name: '生育登记' }]);
    const [facets] = await db
      .collection('ratings')
      .aggregate([
        { $facet: { bad: [{ $match: { level: { $lte: 2 } } }, { $count: 'n' }], all: [{ $count: 'n' }] } },
      ])
      .toArray();
    expect(facets).toEqual({ bad: [{ n: 1 }], all: [{ n: 4 }] });
  });
});

describe('TTL indexes', () => {
  test('expired documents are removed by the TTL sweep', async () => {
    const sessions = db.collection('ttl');
    await sessions.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
    await sessions.insertMany([
      { at: new Date(Date.now() - 1000) },
      { at: new Date(Date.now() + 3_600_000) },
    ]);
    // The real server sweeps every 60 s; allow for that when pointed at one.
    const deadline = Date.now() + (process.env.MONGODB_URI ? 75_000 : 10_000);
    while ((await sessions.countDocuments()) > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await sessions.countDocuments()).toBe(1);
  }, 90_000);
});

describe('let variables, pipeline updates and what 7.0 refuses', () => {
  const lets = () => db.collection('lets');
  beforeEach(async () => {
    await lets().deleteMany({});
    await lets().insertMany([1, 2, 3, 4].map((k) => ({ _id: k as never, k })));
  });

  test('let is visible as $$name in find, aggregate, update, delete and findAndModify', async () => {
    const byLet = { $expr: { $eq: ['$k', '$$target'] } };
    expect(
      await lets()
        .find(byLet, { let: { target: 2 } })
        .toArray(),
    ).toEqual([{ _id: 2, k: 2 }]);
    expect(
      await lets()
        .aggregate([{ $match: { $expr: { $gt: ['$k', '$$min'] } } }, { $count: 'n' }], { let: { min: 1 } })
        .toArray(),
    ).toEqual([{ n: 3 }]);
    await lets().updateMany(byLet, [{ $set: { seen: '$$target' } }], { let: { target: 3 } });
    expect(await lets().findOne({ _id: 3 as never })).toEqual({ _id: 3, k: 3, seen: 3 });
    const modified = await lets().findOneAndUpdate(
      byLet,
      { $set: { hit: true } },
      { let: { target: 4 }, returnDocument: 'after' },
    );
    expect(modified).toEqual({ _id: 4, k: 4, hit: true });
    expect((await lets().deleteOne(byLet, { let: { target: 1 } })).deletedCount).toBe(1);
    expect(await lets().countDocuments()).toBe(3);
  });

  test('a pipeline update with $replaceRoot keeps _id', async () => {
    await lets().updateOne({ _id: 2 as never }, [{ $replaceRoot: { newRoot: { name: 'two' } } }]);
    expect(await lets().findOne({ _id: 2 as never })).toEqual({ _id: 2, name: 'two' });
  });

  test('sort on an update statement is refused as 7.0 does (it is 8.0 syntax)', async () => {
    await expect(
      db.command({ update: 'lets', updates: [{ q: {}, u: { $set: { first: true } }, sort: { k: -1 } }] }),
    ).rejects.toMatchObject({ code: 40415 });
    expect(await lets().countDocuments({ first: true })).toBe(0);
  });

  test('an _id with a $-prefixed field is refused', async () => {
    await expect(lets().insertOne({ _id: { $bad: 1 } as never, k: 9 })).rejects.toMatchObject({
      code: 52,
      codeName: 'DollarPrefixedFieldName',
    });
    expect(await lets().countDocuments()).toBe(4);
  });
});

describe('collations: locale en and zh at strength 1 and 2', () => {
  const names = () => db.collection('collated');
  const en2 = { locale: 'en', strength: 2 } as const;
  beforeAll(async () => {
    await names().insertMany([
      { name: 'Zhang' },
      { name: 'zhang' },
      { name: 'café' },
      { name: 'cafe' },
      { name: '张三' },
      { name: '李四' },
      { name: '王五' },
      { name: 7 },
    ]);
  });

  test('strength 2 ignores case, not accents; strength 1 ignores both', async () => {
    const found = async (filter: Document, collation: CollationOptions) =>
      (
        await names()
          .find(filter, { collation, projection: { _id: 0 } })
          .toArray()
      )
        .map((d) => d.name)
        .sort();
    expect(await found({ name: 'ZHANG' }, en2)).toEqual(['Zhang', 'zhang']);
    expect(await found({ name: 'CAFE' }, en2)).toEqual(['cafe']);
    expect(await found({ name: 'CAFE' }, { locale: 'en', strength: 1 })).toEqual(['cafe', 'café']);
    expect(await found({ name: { $in: ['ZHANG', 7] } }, en2)).toEqual([7, 'Zhang', 'zhang']);
    expect(await names().countDocuments({ name: { $ne: 'zhang' } }, { collation: en2 })).toBe(6);
    expect((await names().find({ name: 'ZHANG' }).toArray()).length).toBe(0);
  });

  test('zh orders by pinyin, in sorts and ranges', async () => {
    const han = { name: { $in: ['张三', '李四', '王五'] } };
    const sorted = await names()
      .find(han, { collation: { locale: 'zh', strength: 1 } })
      .sort({ name: 1 })
      .toArray();
    expect(sorted.map((d) => d.name)).toEqual(['李四', '王五', '张三']);
    expect((await names().find(han).sort({ name: 1 }).toArray()).map((d) => d.name)).toEqual([
      '张三',
      '李四',
      '王五',
    ]);
    const after = await names()
      .find({ $and: [han, { name: { $gt: '王五' } }] }, { collation: { locale: 'zh', strength: 1 } })
      .toArray();
    expect(after.map((d) => d.name)).toEqual(['张三']);
  });

  test('updates, deletes, counts and distinct follow the collation', async () => {
    const result = await names().updateMany(
      { name: 'ZHANG' },
      { $set: { family: true } },
      { collation: en2 },
    );
    expect(result.modifiedCount).toBe(2);
    expect(await names().countDocuments({ family: true })).toBe(2);
    expect((await db.command({ count: 'collated', query: { name: 'ZHANG' }, collation: en2 })).n).toBe(2);
    expect(await names().distinct('name', { name: 'zhang' }, { collation: en2 })).toHaveLength(1);
    expect((await names().deleteOne({ name: 'CAFÉ' }, { collation: en2 })).deletedCount).toBe(1);
    expect(await names().countDocuments({ name: 'café' })).toBe(0);
  });

  test('a collation the offline server does not implement is refused, never compared in binary', async () => {
    const find = names()
      .find({ name: 'zhang' }, { collation: { locale: 'fr', strength: 2 } })
      .toArray();
    if (!process.env.MONGODB_URI)
      await expect(find).rejects.toMatchObject({ code: 72, codeName: 'InvalidOptions' });
    else expect((await find).map((d) => d.name).sort()).toEqual(['Zhang', 'zhang']);
  });
});

describe('views and validators: honoured by MongoDB, refused by the offline server', () => {
  const offline = !process.env.MONGODB_URI;

  test('a view', async () => {
    const create = db.createCollection('names_view', {
      viewOn: 'names',
      pipeline: [{ $project: { name: 1 } }],
    });
    if (offline) {
      await expect(create).rejects.toMatchObject({ code: 72 });
      expect(await db.listCollections({ name: 'names_view' }).toArray()).toEqual([]);
    } else {
      await create;
      expect((await db.listCollections({ name: 'names_view' }).toArray())[0].type).toBe('view');
    }
  });

  test('a validator', async () => {
    const create = db.createCollection('validated', { validator: { age: { $gte: 0 } } });
    if (offline) {
      await expect(create).rejects.toMatchObject({ code: 72 });
    } else {
      await create;
      await expect(db.collection('validated').insertOne({ age: -1 })).rejects.toMatchObject({ code: 121 });
    }
  });
});
