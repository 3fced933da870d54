// Starts the offline MongoDB-compatible server alone: MONGO_PORT (default 27017), MONGO_JOURNAL (durable mode).
import { rmSync } from 'node:fs';
import { startMongoServer } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.MONGO_PORT ?? 27017);
  const journalPath = process.env.MONGO_JOURNAL || undefined;
  const server = await startMongoServer({ port, journalPath, log: (line) => console.error(line) });
  console.log(server.url);
  const stop = () => void server.stop().then(() => process.exit(0));
  const card = process.env.MONGO_REMOVE_ON_EXIT;
  if (card) process.on('exit', () => rmSync(card, { force: true }));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Spawned by resolveDatabase: the parent's death closes the IPC channel, and the server goes with it.
  if (process.env.MONGO_WITH_PARENT && process.connected) process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
