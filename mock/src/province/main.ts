// Starts the provincial 好差评 simulator alone: PROVINCE_PORT, PROVINCE_APP_ID, PROVINCE_APP_SECRET (random when absent).
import { randomBytes } from 'node:crypto';
import { startProvince } from './server';

async function main(): Promise<void> {
  const province = await startProvince({
    port: Number(process.env.PROVINCE_PORT ?? 0),
    appId: process.env.PROVINCE_APP_ID ?? `city-${randomBytes(4).toString('hex')}`,
    appSecret: process.env.PROVINCE_APP_SECRET ?? randomBytes(24).toString('hex'),
  });
  console.log(`province ${province.url}  appId ${province.appId}`);
  const stop = () => void province.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
