// Starts the OSS simulator alone: OSS_PORT, OSS_BUCKET, OSS_DATA_DIR (memory when absent),
// OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET (random when absent).
import { randomBytes } from 'node:crypto';
import { startOss } from './server';

async function main(): Promise<void> {
  const oss = await startOss({
    port: Number(process.env.OSS_PORT ?? 0),
    bucket: process.env.OSS_BUCKET ?? 'onewindow',
    accessKeyId: process.env.OSS_ACCESS_KEY_ID ?? `LTAI${randomBytes(8).toString('hex')}`,
    accessKeySecret: process.env.OSS_ACCESS_KEY_SECRET ?? randomBytes(15).toString('hex'),
    dataDir: process.env.OSS_DATA_DIR,
  });
  console.log(`oss ${oss.url}  bucket ${oss.bucket}  access key id ${oss.accessKeyId}`);
  const stop = () => void oss.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
