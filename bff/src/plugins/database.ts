// The mongoose connection: opened at start (indexes built before the app takes traffic) and
// closed only after the last in-flight request has answered. Fastify closes its HTTP server
// in its own last onClose hook, after ours, so without this drain a request still running at
// shutdown would find the database gone.
import fp from 'fastify-plugin';
import mongoose from 'mongoose';
import type { FastifyInstance } from 'fastify';
import { JobLeases } from '../job-lease';
import './decorations';

const DRAIN_LIMIT_MS = 10_000;

export const databasePlugin = fp(
  async (
    app: FastifyInstance,
    { uri, monitorCommands = false }: { uri: string; monitorCommands?: boolean },
  ) => {
    // connectTimeoutMS also bounds the driver's monitoring check (its default, 30 s, would keep
    // a server that came back marked unknown for that long if one handshake stalled).
    const connection = await mongoose
      .createConnection(uri, {
        serverSelectionTimeoutMS: 5000,
        connectTimeoutMS: 10_000,
        autoIndex: false,
        monitorCommands,
      })
      .asPromise();
    app.decorate('db', connection);
    const leases = new JobLeases(connection);
    app.decorate('jobLeases', leases);

    let inFlight = 0;
    let closing = false;
    let drained: (() => void) | null = null;
    app.addHook('preClose', async () => {
      closing = true;
    });
    // Answers given while shutting down end their keep-alive connection, so the server can close.
    // (Hooks on every request take `done` rather than being async: no promise per request.)
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
    app.addHook('onRequest', (_request, reply, done) => {
      inFlight += 1;
      reply.raw.once('close', () => {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      });
      done();
    });

    app.addHook('onReady', async () => {
      // Models are registered by the modules; build their indexes before serving (unique indexes are the last line against duplicates).
      await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
    });
    app.addHook('onClose', async () => {
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, DRAIN_LIMIT_MS).unref();
        });
      }
      app.server.closeIdleConnections();
      await leases
        .releaseAll()
        .catch((error: unknown) =>
          app.log.warn({ err: error }, 'job leases not released; they expire on their own'),
        );
      await connection.close();
    });
  },
  { name: 'database', dependencies: [] },
);
