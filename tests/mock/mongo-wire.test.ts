// The wire protocol below the driver: the legacy OP_QUERY handshake, and malformed frames that
// must end only their own connection. Runs against whichever server the suite resolved.
import { connect, type Socket } from 'node:net';
import { BSON } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';

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
