// The least a MongoDB-compatible server can do per command: the offline server's own wire
// framing, decoding and reply encoding, and a canned answer instead of any storage work. Driven
// through the official driver beside the real server and the bare Fastify route, it shows how
// much of a ratio to the bare route is the engine's to win and how much the driver and the wire
// already spend (`pnpm bench mongo-offline`). Run as its own process; prints its URL.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BSON, type Document } from 'mongodb';
import { decodeMessage, encodeReply, frameLength } from '@onewindow/mock/mongo/wire';

/** The one document every find answers with (EJSON, so its dates stay dates). */
const canned = BSON.EJSON.parse(process.env.WIRE_FLOOR_DOCUMENT ?? '{}') as Document;

function answer(command: Document, hostPort: string, connectionId: number): Document {
  const name = Object.keys(command)[0];
  switch (name) {
    case 'hello':
    case 'isMaster':
    case 'ismaster':
      return {
        helloOk: true,
        isWritablePrimary: true,
        ismaster: true,
        maxBsonObjectSize: 16 * 1024 * 1024,
        maxMessageSizeBytes: 48_000_000,
        maxWriteBatchSize: 100_000,
        localTime: new Date(),
        logicalSessionTimeoutMinutes: 30,
        connectionId,
        minWireVersion: 0,
        maxWireVersion: 21,
        me: hostPort,
        ok: 1,
      };
    case 'find':
      return { cursor: { id: 0n, ns: `${command.$db}.${command.find}`, firstBatch: [canned] }, ok: 1 };
    case 'insert':
      return { n: Array.isArray(command.documents) ? command.documents.length : 0, ok: 1 };
    default:
      return { ok: 1 };
  }
}

let connections = 0;
const server = createServer((socket) => {
  const connectionId = ++connections;
  let pending = Buffer.alloc(0);
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    socket.cork();
    for (;;) {
      const length = frameLength(pending);
      if (length === null || pending.length < length) break;
      const request = decodeMessage(pending.subarray(0, length));
      pending = pending.subarray(length);
      const { address, port } = server.address() as AddressInfo;
      if (!request.noReply)
        socket.write(encodeReply(request, answer(request.command, `${address}:${port}`, connectionId)));
    }
    socket.uncork();
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`mongodb://127.0.0.1:${port}/?directConnection=true`);
});
process.on('disconnect', () => process.exit(0));
