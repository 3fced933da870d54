// Starts the Aliyun SMS simulator alone: SMS_PORT, SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET
// (random when absent), SMS_SIGN_NAME (一窗通办), SMS_RECEIPT_URL (where delivery receipts go).
import { randomBytes } from 'node:crypto';
import { startSms } from './server';

async function main(): Promise<void> {
  const sms = await startSms({
    port: Number(process.env.SMS_PORT ?? 0),
    accessKeyId: process.env.SMS_ACCESS_KEY_ID ?? `LTAI${randomBytes(8).toString('hex')}`,
    accessKeySecret: process.env.SMS_ACCESS_KEY_SECRET ?? randomBytes(15).toString('hex'),
    signNames: [process.env.SMS_SIGN_NAME ?? '一窗通办'],
    receiptUrl: process.env.SMS_RECEIPT_URL,
  });
  console.log(`sms ${sms.url}  accessKeyId ${sms.accessKeyId}  sign ${sms.signName}`);
  console.log(`templates ${JSON.stringify(sms.templateCodes)}`);
  const stop = () => void sms.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
