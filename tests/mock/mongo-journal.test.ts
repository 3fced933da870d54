// Durable mode of the offline server (what `pnpm start` uses): data survives restarts and a
// SIGKILL loses nothing that was acknowledged. Always runs against the offline server itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';

// The server runs in this very process (tsx as a loader, not its CLI wrapper), so SIGKILL hits it.
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const main = join(__dirname, '..', '..', 'mock', 'src', 'mongo', 'main.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offline-mongo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startServer(journal: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, main], {
    env: { ...process.env, MONGO_PORT: '0', MONGO_JOURNAL: journal },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.setEncoding('utf8').once('data', (line: string) => resolve({ child, uri: line.trim() }));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

test('acknowledged writes survive a hard kill, including indexes and deletes', async () => {
  const journal = join(dir, 'kill.journal');
  let server = await startServer(journal);
  let client = await MongoClient.connect(server.uri);
  const db = client.db('app');
  await db.collection('users').createIndex({ openid: 1 }, { unique: true });
  await db.collection('users').insertMany(Array.from({ length: 100 }, (_, i) => ({ openid: `o${i}` })));
  await db.collection('users').deleteOne({ openid: 'o0' });
  await Promise.all(
    Array.from({ length: 50 }, () =>
      db.collection('counters').updateOne({ _id: 'c' as never }, { $inc: { n: 1 } }, { upsert: true }),
    ),
  );
  const session = client.startSession();
  await session.withTransaction(async () => {
    await db.collection('users').updateOne({ openid: 'o1' }, { $set: { name: '张三' } }, { session });
  });
  await session.endSession();
  await client.close();
  await killHard(server.child);

  server = await startServer(journal);
  client = await MongoClient.connect(server.uri);
  const after = client.db('app');
  expect(await after.collection('users').countDocuments()).toBe(99);
  expect((await after.collection('counters').findOne({ _id: 'c' as never }))!.n).toBe(50);
  expect((await after.collection('users').findOne({ openid: 'o1' }))!.name).toBe('张三');
  await expect(after.collection('users').insertOne({ openid: 'o5' })).rejects.toMatchObject({ code: 11000 });
  await client.close();
  await killHard(server.child);
}, 60_000);

test('a restart compacts the journal to the data it holds, and the data stays', async () => {
  const journal = join(dir, 'compact.journal');
  let server = await startServer(journal);
  let client = await MongoClient.connect(server.uri);
  for (let i = 0; i < 300; i += 1)
    await client
      .db('app')
      .collection('hot')
      .updateOne({ _id: 'h' as never }, { $inc: { n: 1 } }, { upsert: true });
  await client.close();
  await killHard(server.child);
  const grown = statSync(journal).size;

  server = await startServer(journal);
  client = await MongoClient.connect(server.uri);
  expect(
    (await client
      .db('app')
      .collection('hot')
      .findOne({ _id: 'h' as never }))!.n,
  ).toBe(300);
  expect(statSync(journal).size).toBeLessThan(grown / 50);
  await client.close();
  await killHard(server.child);
}, 60_000);

test('under a burst from many connections (one group commit per turn), every insert acknowledged before a hard kill is there after it', async () => {
  const journal = join(dir, 'burst.journal');
  let server = await startServer(journal);
  let client = await MongoClient.connect(server.uri, { maxPoolSize: 32, retryWrites: false });
  const tickets = client.db('app').collection<{ _id: number }>('tickets');
  await tickets.createIndex({ at: 1 });
  const acknowledged: number[] = [];
  let killed = null as Promise<void> | null;
  let next = 0;
  const lane = async () => {
    while (!killed) {
      const id = next++;
      try {
        await tickets.insertOne({ _id: id, at: new Date() } as never);
        acknowledged.push(id);
        if (acknowledged.length === 400) killed = killHard(server.child);
      } catch {
        // Sent but cut off by the kill: not acknowledged, so it may or may not be there.
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  await killed;
  await client.close(true);
  expect(acknowledged.length).toBeGreaterThanOrEqual(400);

  server = await startServer(journal);
  client = await MongoClient.connect(server.uri);
  const present = new Set(
    (
      await client
        .db('app')
        .collection('tickets')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id as unknown as number),
  );
  expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
  await client.close();
  await killHard(server.child);
}, 60_000);
