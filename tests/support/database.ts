import { MongoClient } from 'mongodb';
import { resolveDatabase, type ResolvedDatabase } from '@onewindow/mock/mongo/resolve-database';

export interface TestDatabase {
  database: ResolvedDatabase;
  client: MongoClient;
  stop(): Promise<void>;
}

/** A database of its own for one test file, on whichever server `resolveDatabase` picks. */
export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const database = await resolveDatabase({
    dbName: `test_${label}_${process.pid}_${Date.now().toString(36)}`,
    // One offline server process per jest worker: starting one costs more than most test files.
    shared: true,
    // One line per test file says which server the suite ran against.
    log: (line) => process.stderr.write(`[${label}] ${line}\n`),
  });
  const client = await MongoClient.connect(database.uri);
  return {
    database,
    client,
    stop: async () => {
      await client
        .db()
        .dropDatabase()
        .catch(() => undefined);
      await client.close();
      await database.stop();
    },
  };
}
