// Change streams through the driver's `watch()`, unchanged: the events of each kind of write,
// updateLookup, resuming, the invalidate of a drop, and waiting for the next change (awaitData).
// Valid against a real MongoDB replica set (MONGODB_URI).
import type { ChangeStream, ChangeStreamDocument, Db, Document, ResumeToken } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await openTestDatabase('change_streams');
  db = t.client.db();
  await db.createCollection('watched');
});
afterAll(() => t.stop());

/** The next `n` events of a stream (each `next()` waits on the server for the change). */
async function take(stream: ChangeStream, n: number): Promise<ChangeStreamDocument[]> {
  const events: ChangeStreamDocument[] = [];
  while (events.length < n) events.push(await stream.next());
  return events;
}

test('insert, update, replace and delete arrive in order with their documents and descriptions', async () => {
  const stream = db.collection('watched').watch();
  try {
    // The stream starts when its first aggregate has answered: open it before writing.
    const first = stream.tryNext();
    await first;
    await db.collection('watched').insertOne({ _id: 1 as never, a: 1, b: 'x' });
    await db.collection('watched').updateOne({ _id: 1 as never }, { $set: { a: 2 }, $unset: { b: '' } });
    await db.collection('watched').replaceOne({ _id: 1 as never }, { c: 3 });
    await db.collection('watched').deleteOne({ _id: 1 as never });
    const events = (await take(stream, 4)) as Document[];
    expect(events.map((e) => e.operationType)).toEqual(['insert', 'update', 'replace', 'delete']);
    expect(events[0]).toMatchObject({
      ns: { db: db.databaseName, coll: 'watched' },
      documentKey: { _id: 1 },
      fullDocument: { _id: 1, a: 1, b: 'x' },
    });
    expect(events[1].updateDescription).toMatchObject({ updatedFields: { a: 2 }, removedFields: ['b'] });
    expect(events[1].fullDocument).toBeUndefined();
    expect(events[2].fullDocument).toEqual({ _id: 1, c: 3 });
    expect(events[3]).toMatchObject({ documentKey: { _id: 1 } });
    expect(events[3].clusterTime).toBeDefined();
  } finally {
    await stream.close();
  }
});

test("fullDocument: 'updateLookup' gives an update the document as it is now; a $match stage filters events", async () => {
  const stream = db
    .collection('watched')
    .watch([{ $match: { operationType: 'update' } }], { fullDocument: 'updateLookup' });
  try {
    await stream.tryNext();
    await db.collection('watched').insertOne({ _id: 2 as never, n: 0 });
    await db.collection('watched').updateOne({ _id: 2 as never }, { $inc: { n: 1 } });
    const [event] = (await take(stream, 1)) as Document[];
    expect(event.operationType).toBe('update');
    expect(event.fullDocument).toEqual({ _id: 2, n: 1 });
  } finally {
    await stream.close();
  }
});

test('a stream resumed after a token sees exactly the changes that followed it', async () => {
  const stream = db.collection('watched').watch();
  let resumeAt: ResumeToken;
  try {
    await stream.tryNext();
    await db
      .collection('watched')
      .insertMany([{ _id: 10 as never }, { _id: 11 as never }, { _id: 12 as never }], { ordered: true });
    const events = (await take(stream, 3)) as Document[];
    resumeAt = events[0]._id;
  } finally {
    await stream.close();
  }
  const resumed = db.collection('watched').watch([], { resumeAfter: resumeAt });
  try {
    const events = (await take(resumed, 2)) as Document[];
    expect(events.map((e) => e.documentKey._id)).toEqual([11, 12]);
  } finally {
    await resumed.close();
  }
});

test('dropping the watched collection sends drop then invalidate; startAfter the invalidate watches the new collection', async () => {
  await db.collection('dropped').insertOne({ _id: 1 as never });
  const stream = db.collection('dropped').watch();
  let invalidate: Document;
  try {
    await stream.tryNext();
    await db.collection('dropped').drop();
    const events = (await take(stream, 2)) as Document[];
    expect(events.map((e) => e.operationType)).toEqual(['drop', 'invalidate']);
    invalidate = events[1];
  } finally {
    await stream.close();
  }
  const after = db.collection('dropped').watch([], { startAfter: invalidate._id });
  try {
    await after.tryNext();
    await db.collection('dropped').insertOne({ _id: 2 as never });
    const [event] = (await take(after, 1)) as Document[];
    expect(event).toMatchObject({ operationType: 'insert', documentKey: { _id: 2 } });
  } finally {
    await after.close();
  }
});

test('a database stream sees every collection of the database', async () => {
  const stream = db.watch();
  try {
    await stream.tryNext();
    await db.collection('one').insertOne({ _id: 'x' as never });
    await db.collection('two').insertOne({ _id: 'y' as never });
    const events = (await take(stream, 2)) as Document[];
    expect(events.map((e) => e.ns.coll)).toEqual(['one', 'two']);
  } finally {
    await stream.close();
  }
});
