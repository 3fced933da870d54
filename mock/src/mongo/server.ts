import { createServer, type Socket } from 'node:net';
import { ObjectId, type Document } from 'bson';
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

const HELLO_NAMES = new Set(['hello', 'isMaster', 'ismaster']);

/** A streaming monitor's hello: only it is answered as an exhaust stream; any other command once, as a server may. */
function isAwaitableHello(command: Document): boolean {
  const name = Object.keys(command)[0];
  return (
    HELLO_NAMES.has(name) && typeof command.maxAwaitTimeMS === 'number' && command.topologyVersion != null
  );
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
  const processId = new ObjectId();

  // Group commit (durable mode): replies wait while the journal holds changes not yet handed to
  // the OS, and every command of one event-loop turn (all connections) shares one append and
  // one fsync, made before any of their replies is sent. So nothing acknowledged — nor any reply
  // that could have read an unjournaled change — is lost by a crash, and a burst of writes costs
  // one fsync instead of one each. A connection's later replies queue behind its earlier ones.
  let held: { socket: Socket; reply: Buffer | null }[] = [];
  const holding = new Set<Socket>();
  const groupCommit = () => {
    const replies = held;
    held = [];
    holding.clear();
    try {
      store.flush();
    } catch (error) {
      // Not durable: none of these commands may be acknowledged.
      options.log?.(`offline mongo: journal append failed: ${String(error)}`);
      for (const { socket } of replies) socket.destroy();
      return;
    }
    for (const { socket, reply } of replies) if (reply && !socket.destroyed) socket.write(reply);
  };
  const send = (socket: Socket, reply: Buffer | null) => {
    if (!store.unflushed && !holding.has(socket)) {
      if (reply) socket.write(reply);
      return;
    }
    if (held.length === 0) setImmediate(groupCommit);
    held.push({ socket, reply });
    holding.add(socket);
  };

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
          const context = {
            store,
            sessions,
            cursors,
            changeStreams,
            db: request.database,
            hostPort,
            connectionId,
            processId,
          };
          if (request.exhaustAllowed && isAwaitableHello(request.command)) {
            // An exhaust stream (the driver's streaming monitor) holds this connection from now on.
            awaiting = true;
            const next = (command: Document) =>
              void Promise.resolve(runCommand(command, context)).then((reply) => {
                if (socket.destroyed) return;
                socket.write(encodeReply(request, reply, true));
                // Each reply awaits a change of the topology the previous one described.
                next({ ...command, topologyVersion: reply.topologyVersion as unknown });
              });
            next(request.command);
            break;
          }
          const response = runCommand(request.command, context);
          if (response instanceof Promise) {
            awaiting = true;
            void response.then((later) => {
              awaiting = false;
              if (!socket.destroyed) send(socket, request.noReply ? null : encodeReply(request, later));
              answer();
            });
            break;
          }
          // Durable before acknowledged: see groupCommit.
          send(socket, request.noReply ? null : encodeReply(request, response));
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
