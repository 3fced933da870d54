// Starts the offline MongoDB-compatible server alone: MONGO_PORT (default 27017), MONGO_JOURNAL (durable mode).
import { startMongoServer } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.MONGO_PORT ?? 27017);
  const journalPath = process.env.MONGO_JOURNAL || undefined;
  const server = await startMongoServer({ port, journalPath, log: (line) => console.error(line) });
  console.log(server.url);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
