// The mongoose connection: opened at start (indexes built before the app takes traffic) and
// closed when the app closes.
import fp from 'fastify-plugin';
import mongoose from 'mongoose';
import './decorations';
import type { FastifyInstance } from 'fastify';

export const databasePlugin = fp(async (app: FastifyInstance, { uri }: { uri: string }) => {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000, autoIndex: false }).asPromise();
  app.decorate('db', connection);
  app.addHook('onReady', async () => {
    // Models are registered by the modules; build their indexes before serving (unique indexes are the last line against duplicates).
    await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
  });
  app.addHook('onClose', async () => {
    await connection.close();
  });
});
