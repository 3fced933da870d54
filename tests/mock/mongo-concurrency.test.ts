// Atomicity under concurrency, through the driver: what booking and queue numbers rely on.
import type { Db } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await openTestDatabase('concurrency');
  db = t.client.db();
});
afterAll(() => t.stop());

test('500 concurrent $inc upserts end at exactly 500, every returned value distinct', async () => {
  const counters = db.collection<{ _id: string; seq: number }>('counters');
  const results = await Promise.all(
    Array.from({ length: 500 }, () =>
      counters.findOneAndUpdate(
        { _id: 'H1:A:2026-11-23' },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      ),
    ),
  );
  const values = results.map((r) => r!.seq);
  expect(new Set(values).size).toBe(500);
  expect(Math.max(...values)).toBe(500);
  expect((await counters.findOne({ _id: 'H1:A:2026-11-23' }))!.seq).toBe(500);
});

test('200 concurrent conditional $inc on capacity 50: exactly 50 winners', async () => {
  const slots = db.collection<{ _id: string; capacity: number; taken: number }>('slots');
  await slots.insertOne({ _id: 'slot-1', capacity: 50, taken: 0 });
  const results = await Promise.all(
    Array.from({ length: 200 }, () =>
      slots.findOneAndUpdate(
        { _id: 'slot-1', $expr: { $lt: ['$taken', '$capacity'] } },
        { $inc: { taken: 1 } },
        { returnDocument: 'after' },
      ),
    ),
  );
  const winners = results.filter((r) => r !== null);
  expect(winners).toHaveLength(50);
  expect(new Set(winners.map((w) => w.taken)).size).toBe(50);
  expect((await slots.findOne({ _id: 'slot-1' }))!.taken).toBe(50);
});

test('concurrent inserts racing on a unique key: exactly one succeeds', async () => {
  const bookings = db.collection('race');
  await bookings.createIndex({ user: 1, day: 1 }, { unique: true });
  const outcomes = await Promise.allSettled(
    Array.from({ length: 50 }, () => bookings.insertOne({ user: 'u1', day: '2026-11-24' })),
  );
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(rejected.every((o) => (o.reason as { code?: number }).code === 11000)).toBe(true);
});
