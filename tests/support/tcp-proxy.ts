// A TCP pass-through in front of a server, which a test can cut (every connection dropped, new
// ones refused), stall (connections stay open and nothing moves, as on a network that stopped
// delivering) and restore: how a suite takes the database away from a running BFF and gives it
// back, whichever server (offline, local mongod, MONGODB_URI) the suite runs against.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): void;
  stall(): void;
  restore(): void;
  close(): Promise<void>;
  /** Connections let through and turned away, and bytes each way: what a failure message shows. */
  traffic(): { accepted: number; refused: number; bytesUp: number; bytesDown: number; open: number };
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let up = true;
  let stalled = false;
  const counts = { accepted: 0, refused: 0, bytesUp: 0, bytesDown: 0 };
  const server: Server = createServer((client) => {
    if (!up) {
      counts.refused += 1;
      return client.destroy();
    }
    counts.accepted += 1;
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
      if (stalled) socket.pause();
    }
    // Not pipe(): a pipe resumes its source when the destination drains, and a stall must hold.
    client.on('data', (chunk: Buffer) => {
      counts.bytesUp += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      counts.bytesDown += chunk.length;
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      up = false;
      for (const socket of open) socket.destroy();
    },
    stall: () => {
      stalled = true;
      for (const socket of open) socket.pause();
    },
    restore: () => {
      up = true;
      stalled = false;
      for (const socket of open) socket.resume();
    },
    traffic: () => ({ ...counts, open: open.size }),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A proxy in front of the MongoDB server of `uri`, and the same URI through it: its one host
 * replaced, and a direct connection, so the driver does not find a replica set's members by name
 * and go around the proxy.
 */
export async function startMongoProxy(uri: string): Promise<TcpProxy & { uri: string }> {
  const match = /^mongodb:\/\/([^@/]*@)?([^/,?]+)(,[^/?]*)?(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`cannot put a proxy in front of ${uri}`);
  const [, credentials = '', host, , path = '/', query = ''] = match;
  const [hostname, port = '27017'] = host.split(':');
  const proxy = await startTcpProxy({ host: hostname, port: Number(port) });
  const params = new URLSearchParams(query.slice(1));
  params.delete('replicaSet');
  params.set('directConnection', 'true');
  return { ...proxy, uri: `mongodb://${credentials}127.0.0.1:${proxy.port}${path}?${params.toString()}` };
}
