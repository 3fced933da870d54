// Multi-document transactions through the driver and mongoose: commit, abort, conflict, retry.
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { until } from '../support/until';

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await openTestDatabase('transactions');
  db = t.client.db();
  await db.createCollection('accounts');
});
afterAll(() => t.stop());

beforeEach(async () => {
  await db.collection('accounts').deleteMany({});
  await db.collection('accounts').insertMany([
    { _id: 'a' as never, balance: 100 },
    { _id: 'b' as never, balance: 0 },
  ]);
});

const balances = async () =>
  Object.fromEntries(
    (await db.collection('accounts').find().sort({ _id: 1 }).toArray()).map((d) => [d._id, d.balance]),
  );

test('a committed transaction applies every write; others see nothing before commit', async () => {
  const session = t.client.startSession();
  session.startTransaction();
  await db.collection('accounts').updateOne({ _id: 'a' as never }, { $inc: { balance: -30 } }, { session });
  await db.collection('accounts').updateOne({ _id: 'b' as never }, { $inc: { balance: 30 } }, { session });
  await db.collection('ledger').insertOne({ from: 'a', to: 'b', amount: 30 }, { session });
  // Snapshot isolation: the transaction reads its own writes, outsiders the committed state.
  expect((await db.collection('accounts').findOne({ _id: 'a' as never }, { session }))!.balance).toBe(70);
  expect(await balances()).toEqual({ a: 100, b: 0 });
  await session.commitTransaction();
  await session.endSession();
  expect(await balances()).toEqual({ a: 70, b: 30 });
  expect(await db.collection('ledger').countDocuments()).toBe(1);
});

test('an aborted transaction leaves nothing behind', async () => {
  const session = t.client.startSession();
  session.startTransaction();
  await db.collection('accounts').updateOne({ _id: 'a' as never }, { $inc: { balance: -30 } }, { session });
  await db.collection('accounts').insertOne({ _id: 'c' as never, balance: 5 }, { session });
  await session.abortTransaction();
  await session.endSession();
  expect(await balances()).toEqual({ a: 100, b: 0 });
});

test('two transactions writing one document: the second gets a retryable WriteConflict', async () => {
  const first = t.client.startSession();
  const second = t.client.startSession();
  first.startTransaction();
  second.startTransaction();
  await db
    .collection('accounts')
    .updateOne({ _id: 'a' as never }, { $inc: { balance: -10 } }, { session: first });
  const conflict = await db
    .collection('accounts')
    .updateOne({ _id: 'a' as never }, { $inc: { balance: -20 } }, { session: second })
    .then(
      () => null,
      (error: unknown) => error as { code: number; hasErrorLabel(label: string): boolean },
    );
  expect(conflict?.code).toBe(112);
  expect(conflict?.hasErrorLabel('TransientTransactionError')).toBe(true);
  await second.abortTransaction();
  await first.commitTransaction();
  await Promise.all([first.endSession(), second.endSession()]);
  expect(await balances()).toEqual({ a: 90, b: 0 });
});

test('a write committed after a transaction began is a WriteConflict for it; one committed before it began is not', async () => {
  // Written while no transaction is open.
  await db.collection('accounts').updateOne({ _id: 'a' as never }, { $inc: { balance: 1 } });
  const session = t.client.startSession();
  session.startTransaction();
  // The transaction (and its snapshot) begins with its first statement.
  expect(await db.collection('accounts').findOne({ _id: 'b' as never }, { session })).toMatchObject({
    balance: 0,
  });
  await db.collection('accounts').updateOne({ _id: 'a' as never }, { $inc: { balance: 1 } });
  const conflict = await db
    .collection('accounts')
    .updateOne({ _id: 'a' as never }, { $inc: { balance: -50 } }, { session })
    .then(
      () => null,
      (error: unknown) => error as { code: number },
    );
  expect(conflict?.code).toBe(112);
  await session.abortTransaction();
  session.startTransaction();
  await db.collection('accounts').updateOne({ _id: 'a' as never }, { $inc: { balance: -50 } }, { session });
  await session.commitTransaction();
  await session.endSession();
  expect(await balances()).toEqual({ a: 52, b: 0 });
});

test('withTransaction retries conflicting transfers until every one has applied exactly once', async () => {
  const transfer = async () => {
    const session = t.client.startSession();
    try {
      await session.withTransaction(async () => {
        const from = await db.collection('accounts').findOne({ _id: 'a' as never }, { session });
        await db
          .collection('accounts')
          .updateOne({ _id: 'a' as never }, { $set: { balance: from!.balance - 1 } }, { session });
        await db
          .collection('accounts')
          .updateOne({ _id: 'b' as never }, { $inc: { balance: 1 } }, { session });
      });
    } finally {
      await session.endSession();
    }
  };
  await Promise.all(Array.from({ length: 20 }, transfer));
  expect(await balances()).toEqual({ a: 80, b: 20 });
});

test('a duplicate key inside a transaction aborts it: nothing of it is committed', async () => {
  await db.collection('uniq').createIndex({ k: 1 }, { unique: true });
  await db.collection('uniq').insertOne({ k: 1 });
  const session = t.client.startSession();
  session.startTransaction();
  await db.collection('accounts').updateOne({ _id: 'a' as never }, { $inc: { balance: -50 } }, { session });
  await expect(db.collection('uniq').insertOne({ k: 1 }, { session })).rejects.toMatchObject({ code: 11000 });
  await expect(session.commitTransaction()).rejects.toBeDefined();
  await session.endSession();
  expect(await balances()).toEqual({ a: 100, b: 0 });
});

test('mongoose models with unique indexes and transactions', async () => {
  const connection = await mongoose.createConnection(t.database.uri).asPromise();
  try {
    const Booking = connection.model(
      'Booking',
      new mongoose.Schema(
        { user: { type: String, required: true }, slot: String, status: String },
        { timestamps: true },
      ).index({ user: 1, slot: 1 }, { unique: true }),
    );
    await Booking.init();
    await Booking.create({ user: 'u', slot: 's1', status: 'booked' });
    await expect(Booking.create({ user: 'u', slot: 's1', status: 'booked' })).rejects.toMatchObject({
      code: 11000,
    });
    await connection.transaction(async (session) => {
      await Booking.create([{ user: 'u', slot: 's2', status: 'booked' }], { session });
      await Booking.updateOne({ user: 'u', slot: 's1' }, { status: 'cancelled' }, { session });
    });
    const rows = await Booking.find().sort({ slot: 1 }).lean();
    expect(rows.map((r) => [r.slot, r.status])).toEqual([
      ['s1', 'cancelled'],
      ['s2', 'booked'],
    ]);
    expect(rows[0].createdAt).toBeInstanceOf(Date);
  } finally {
    await connection.close();
  }
});

describe('MongoDB 7.0 transaction rules', () => {
  test('the first write error aborts the transaction: later statements get NoSuchTransaction, and nothing stays locked', async () => {
    await db.collection('dup').deleteMany({});
    await db.collection('dup').insertOne({ _id: 1 as never });
    const session = t.client.startSession();
    session.startTransaction();
    await expect(db.collection('dup').insertOne({ _id: 1 as never }, { session })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(db.collection('dup').insertOne({ _id: 2 as never }, { session })).rejects.toMatchObject({
      code: 251,
      codeName: 'NoSuchTransaction',
    });
    await session.abortTransaction();
    await session.endSession();

    const next = t.client.startSession();
    await next.withTransaction(async () => {
      await db.collection('dup').insertOne({ _id: 2 as never }, { session: next });
    });
    await next.endSession();
    expect(await db.collection('dup').countDocuments()).toBe(2);
  });

  test('a collection and its indexes created in a transaction are invisible to others until commit', async () => {
    const name = `fresh_${Date.now().toString(36)}`;
    const session = t.client.startSession();
    session.startTransaction();
    await db.createCollection(name, { session });
    await db.collection(name).createIndex({ code: 1 }, { unique: true, session });
    await db.collection(name).insertOne({ code: 'x' }, { session });
    expect(await db.listCollections({ name }).toArray()).toEqual([]);
    await session.commitTransaction();
    await session.endSession();
    expect((await db.listCollections({ name }).toArray()).map((c) => c.name)).toEqual([name]);
    expect((await db.collection(name).indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'code_1']);
    await expect(db.collection(name).insertOne({ code: 'x' })).rejects.toMatchObject({ code: 11000 });
  });

  test('creating an index on an existing collection inside a transaction is refused', async () => {
    const session = t.client.startSession();
    session.startTransaction();
    await expect(db.collection('accounts').createIndex({ balance: 1 }, { session })).rejects.toMatchObject({
      code: 263,
      codeName: 'OperationNotSupportedInTransaction',
    });
    await session.abortTransaction();
    await session.endSession();
  });

  test('count is refused in a transaction (countDocuments works)', async () => {
    const session = t.client.startSession();
    session.startTransaction();
    expect(await db.collection('accounts').countDocuments({}, { session })).toBe(2);
    await expect(db.command({ count: 'accounts' }, { session })).rejects.toMatchObject({
      code: 263,
      codeName: 'OperationNotSupportedInTransaction',
    });
    await session.abortTransaction();
    await session.endSession();
  });

  test('replies carry operationTime and $clusterTime, which advance with writes: causally consistent sessions read their writes', async () => {
    const ping = await db.command({ ping: 1 });
    expect(ping.operationTime).toBeDefined();
    expect(ping.$clusterTime.clusterTime).toBeDefined();
    const session = t.client.startSession({ causalConsistency: true });
    await db.collection('causal').insertOne({ n: 1 }, { session });
    const first = session.operationTime!;
    await db.collection('causal').insertOne({ n: 2 }, { session });
    const second = session.operationTime!;
    expect(first).toBeDefined();
    expect(second.greaterThan(first)).toBe(true);
    expect(session.clusterTime?.clusterTime).toBeDefined();
    expect(await db.collection('causal').countDocuments({}, { session })).toBe(2);
    await session.endSession();
  });

  test('an abandoned transaction is aborted after transactionLifetimeLimitSeconds and lets go of its documents', async () => {
    const admin = t.client.db('admin');
    const { transactionLifetimeLimitSeconds: before } = await admin.command({
      getParameter: 1,
      transactionLifetimeLimitSeconds: 1,
    });
    await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 });
    const abandoned = t.client.startSession();
    try {
      abandoned.startTransaction();
      await db
        .collection('accounts')
        .updateOne({ _id: 'a' as never }, { $inc: { balance: -1 } }, { session: abandoned });
      const writeInNewTransaction = async () => {
        const session = t.client.startSession();
        try {
          session.startTransaction();
          await db
            .collection('accounts')
            .updateOne({ _id: 'a' as never }, { $inc: { balance: 5 } }, { session });
          await session.commitTransaction();
          return true;
        } catch {
          await session.abortTransaction().catch(() => undefined);
          return false;
        } finally {
          await session.endSession();
        }
      };
      expect(await writeInNewTransaction()).toBe(false);
      await until(writeInNewTransaction, 'the abandoned transaction to expire', 30_000);
      await expect(abandoned.commitTransaction()).rejects.toMatchObject({ code: 251 });
      expect(await balances()).toEqual({ a: 105, b: 0 });
    } finally {
      await abandoned.endSession();
      await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: before });
    }
  }, 40_000);
});
