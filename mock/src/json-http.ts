// The small JSON-over-HTTP toolkit the simulators share: a route table with `:params`, a
// bounded body reader and a JSON answer. The simulators are node:http only, like the
// third-party systems they stand for, so no web framework shapes their behaviour.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Params = Record<string, string>;

export interface JsonRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Params;
  body: unknown;
}

export type JsonHandler = (request: JsonRequest) => unknown;

export class Router {
  private readonly routes: { method: string; pattern: RegExp; names: string[]; handler: JsonHandler }[] = [];

  on(method: string, path: string, handler: JsonHandler): void {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`,
    );
    this.routes.push({ method, pattern, names, handler });
  }

  /** The handler for a request, `'method'` when only the path is known, null when neither. */
  match(method: string, path: string): { handler: JsonHandler; params: Params } | 'method' | null {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      return {
        handler: route.handler,
        params: Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])),
      };
    }
    return pathMatched ? 'method' : null;
  }
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** Listens on host:port (0 = a free port); resolves to the base URL and a stop that drops open connections. */
export async function listen(
  server: Server,
  host = '127.0.0.1',
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { createServer };
