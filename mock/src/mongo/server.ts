import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ChangeStreams } from './change-streams';
import { Cursors } from './cursors';
import { runCommand } from './dispatch';
import { Store } from './store';
import { Sessions } from './transactions';
import { MalformedMessage, decodeMessage, encodeReply, frameLength } from './wire';

export interface MongoServerOptions {
  host?: string;
  port?: number;
  /** Durable mode when set: committed writes are journaled here and replayed on start. */
  journalPath?: string;
  /** How often TTL indexes are applied; the real server's monitor runs every 60 s. */
  ttlSweepMs?: number;
  log?: (line: string) => void;
}

export interface MongoServerHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the offline MongoDB-compatible server (see mock/docs/mongo.md). */
export async function startMongoServer(options: MongoServerOptions = {}): Promise<MongoServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const store = new Store();
  if (options.journalPath) store.openJournal(options.journalPath);
  const sessions = new Sessions(store);
  const cursors = new Cursors();
  const changeStreams = new ChangeStreams(store, () => cursors.allocateId());
  const sockets = new Set<Socket>();
  let connections = 0;
  let hostPort = '';

  const server = createServer((socket) => {
    sockets.add(socket);
    const connectionId = ++connections;
    let pending = Buffer.alloc(0);
    /** A reply that waits (a change stream's getMore): later frames of this connection wait behind it, in order. */
    let awaiting = false;
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const answer = () => {
      // Replies to every frame of this chunk leave in one write.
      socket.cork();
      process.nextTick(() => socket.uncork());
      try {
        while (!awaiting) {
          const length = frameLength(pending);
          if (length === null || pending.length < length) break;
          const frame = pending.subarray(0, length);
          pending = pending.subarray(length);
          const request = decodeMessage(frame);
          const response = runCommand(request.command, { store, sessions, cursors, changeStreams, db: request.database, hostPort, connectionId });
          if (response instanceof Promise) {
            awaiting = true;
            void response.then((later) => {
              awaiting = false;
              if (!request.noReply && !socket.destroyed) socket.write(encodeReply(request, later));
              answer();
            });
            break;
          }
          // Durable before acknowledged.
          store.flush();
          if (!request.noReply) socket.write(encodeReply(request, response));
        }
      } catch (error) {
        // A malformed frame ends this connection only; the server and other clients go on.
        if (!(error instanceof MalformedMessage)) options.log?.(`offline mongo: ${String(error)}`);
        socket.destroy();
      }
    };
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      answer();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hostPort = `${host}:${port}`;
  const sweep = setInterval(() => store.sweepExpired(new Date()), options.ttlSweepMs ?? 1000);
  sweep.unref();

  return {
    url: `mongodb://${hostPort}/?directConnection=true`,
    port,
    stop: async () => {
      clearInterval(sweep);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
