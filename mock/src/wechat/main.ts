// Starts the WeChat simulator alone: WECHAT_PORT, WECHAT_APP_ID, WECHAT_APP_SECRET (random when absent).
import { randomBytes } from 'node:crypto';
import { startWechat } from './server';

async function main(): Promise<void> {
  const wechat = await startWechat({
    port: Number(process.env.WECHAT_PORT ?? 0),
    appId: process.env.WECHAT_APP_ID ?? `wx${randomBytes(8).toString('hex')}`,
    appSecret: process.env.WECHAT_APP_SECRET ?? randomBytes(16).toString('hex'),
  });
  console.log(`wechat ${wechat.url}  appid ${wechat.appId}`);
  console.log(`templates ${JSON.stringify(wechat.templateIds)}`);
  const stop = () => void wechat.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
