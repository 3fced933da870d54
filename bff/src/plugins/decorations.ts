// What the plugins add to the Fastify instance, declared once so every consumer of the app
// (modules, tests) sees the same types.
import type { Connection } from 'mongoose';
import type { CoreClient } from './core-client';

declare module 'fastify' {
  interface FastifyInstance {
    db: Connection;
    core: CoreClient;
  }
}

export interface AppDecorations {
  db: Connection;
  core: CoreClient;
}
