// The wire protocol below the driver: the legacy OP_QUERY handshake, malformed frames that
// must end only their own connection, and the streaming monitor's awaitable hello. Runs against
// whichever server the suite resolved.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BSON, Long, MongoClient, ObjectId, type ServerHeartbeatSucceededEvent } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { until } from '../support/until';

let t: TestDatabase;
let host: string;
let port: number;

beforeAll(async () => {
  t = await openTestDatabase('wire');
  const address = (await t.client.db().admin().command({ hello: 1 })).me as string;
  [host, port] = [address.split(':')[0], Number(address.split(':')[1])];
});
afterAll(() => t.stop());

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => resolve(socket));
    socket.once('error', reject);
  });
}

function opQuery(command: object): Buffer {
  const name = Buffer.from('admin.$cmd\0');
  const body = Buffer.from(BSON.serialize(command));
  const fixed = Buffer.alloc(8);
  fixed.writeInt32LE(0, 0); // numberToSkip
  fixed.writeInt32LE(-1, 4); // numberToReturn
  const flags = Buffer.alloc(4);
  const header = Buffer.alloc(16);
  const length = 16 + 4 + name.length + 8 + body.length;
  header.writeInt32LE(length, 0);
  header.writeInt32LE(7, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2004, 12);
  return Buffer.concat([header, flags, name, fixed, body]);
}

function readReply(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 4 && data.length >= data.readInt32LE(0)) resolve(data);
    });
    socket.once('error', reject);
  });
}

test('the legacy OP_QUERY isMaster handshake is answered with OP_REPLY', async () => {
  const socket = await open();
  socket.write(opQuery({ isMaster: 1 }));
  const reply = await readReply(socket);
  socket.destroy();
  expect(reply.readInt32LE(8)).toBe(7); // responseTo
  expect(reply.readInt32LE(12)).toBe(1); // OP_REPLY
  expect(reply.readInt32LE(32)).toBe(1); // numberReturned
  const doc = BSON.deserialize(reply.subarray(36));
  expect(doc).toMatchObject({ ok: 1 });
  expect(doc.ismaster === true || doc.isWritablePrimary === true).toBe(true);
});

test('a malformed frame closes that connection, and the server goes on serving others', async () => {
  const socket = await open();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const garbage = Buffer.alloc(32, 0xff);
  garbage.writeInt32LE(32, 0);
  garbage.writeInt32LE(2013, 12);
  socket.write(garbage);
  await closed;
  expect(await t.client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
});

describe('the streaming monitor (topologyVersion, awaitable hello, exhaust)', () => {
  const known = (tv: { processId: ObjectId; counter: unknown }) => ({
    processId: tv.processId,
    counter: Long.fromNumber(Number(tv.counter)),
  });

  test('an awaitable hello that knows the topology waits maxAwaitTimeMS; one from another process is answered at once', async () => {
    const admin = t.client.db().admin();
    const first = await admin.command({ hello: 1 });
    expect(first.topologyVersion.processId).toBeInstanceOf(ObjectId);

    const started = performance.now();
    const later = await admin.command({
      hello: 1,
      topologyVersion: known(first.topologyVersion),
      maxAwaitTimeMS: 400,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    expect(later.topologyVersion.processId.equals(first.topologyVersion.processId)).toBe(true);

    // Ten minutes of waiting would outlast the test: only an answer at once passes.
    const other = await admin.command({
      hello: 1,
      topologyVersion: { processId: new ObjectId(), counter: Long.ZERO },
      maxAwaitTimeMS: 600_000,
    });
    expect(other.isWritablePrimary).toBe(true);
  });

  test('the driver monitors by streaming: heartbeats keep coming on one awaited exhaust connection', async () => {
    const heartbeats: ServerHeartbeatSucceededEvent[] = [];
    const client = new MongoClient(t.database.uri, { heartbeatFrequencyMS: 500 });
    client.on('serverHeartbeatSucceeded', (event) => heartbeats.push(event));
    await client.connect();
    try {
      // Three awaited replies: the stream went on after its first reply marked moreToCome.
      await until(() => heartbeats.filter((h) => h.awaited).length >= 3, 'three streamed heartbeats');
      const streamed = heartbeats.filter((h) => h.awaited);
      expect(new Set(streamed.map((h) => h.reply.connectionId)).size).toBe(1);
      expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });
});
