// Starts the core system simulator alone: CORE_PORT, CORE_APP_KEY, CORE_APP_SECRET,
// CORE_WEBHOOK_URL, CORE_SEED. Credentials are random when not given.
import { randomBytes } from 'node:crypto';
import { startCoreSystem } from './server';

async function main(): Promise<void> {
  const appKey = process.env.CORE_APP_KEY ?? `bff-${randomBytes(4).toString('hex')}`;
  const appSecret = process.env.CORE_APP_SECRET ?? randomBytes(32).toString('hex');
  const core = await startCoreSystem({
    port: Number(process.env.CORE_PORT ?? 0),
    appKey,
    appSecret,
    webhookUrl: process.env.CORE_WEBHOOK_URL,
    seed: process.env.CORE_SEED ? Number(process.env.CORE_SEED) : undefined,
  });
  console.log(
    `core system ${core.url}  app key ${appKey}${process.env.CORE_APP_SECRET ? '' : `  app secret ${appSecret}`}`,
  );
  const stop = () => void core.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
