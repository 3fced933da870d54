// A BFF for one test file: its own database, its own mock world, the app built from the
// same config loader production uses, driven over HTTP with `app.inject`.
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '@onewindow/bff';
import { envName, loadConfig, SMS_TEMPLATE_NAMES, TEMPLATE_NAMES, type Config } from '@onewindow/bff/config';
import { startWorld, type World } from '@onewindow/mock';
import { bearer, type ApiCall } from './citizens';
import { openTestDatabase, type TestDatabase } from './database';

export interface TestBff {
  app: FastifyInstance;
  world: World;
  db: TestDatabase;
  config: Config;
  stop(): Promise<void>;
}

/** The secret path segment of the SMS receipt URL the worlds of tests and `pnpm start` use. */
export const SMS_RECEIPT_TOKEN = 'receipts-of-the-sms-simulator';

/** Where the SMS simulator pushes delivery receipts for a BFF at `bffUrl`. */
export function smsReceiptUrl(bffUrl: string): string {
  return `${bffUrl}/api/v1/hooks/sms/receipts/${SMS_RECEIPT_TOKEN}`;
}

/** The environment the BFF gets pointed at a mock world, as `pnpm start` does it. */
export function worldEnv(world: World, mongodbUri: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    MONGODB_URI: mongodbUri,
    CORE_BASE_URL: world.core.url,
    CORE_APP_KEY: world.core.appKey,
    CORE_APP_SECRET: world.core.appSecret,
    WECHAT_API_BASE: world.wechat.url,
    WECHAT_APP_ID: world.wechat.appId,
    WECHAT_APP_SECRET: world.wechat.appSecret,
    OSS_ENDPOINT: world.oss.url,
    OSS_CNAME: 'true',
    OSS_BUCKET: world.oss.bucket,
    OSS_REGION: world.oss.region,
    OSS_ACCESS_KEY_ID: world.oss.accessKeyId,
    OSS_ACCESS_KEY_SECRET: world.oss.accessKeySecret,
    ...Object.fromEntries(
      TEMPLATE_NAMES.map((name) => [`WECHAT_TEMPLATE_${envName(name)}`, world.wechat.templateIds[name]]),
    ),
    SMS_ENDPOINT: world.sms.url,
    SMS_ACCESS_KEY_ID: world.sms.accessKeyId,
    SMS_ACCESS_KEY_SECRET: world.sms.accessKeySecret,
    SMS_SIGN_NAME: world.sms.signName,
    SMS_RECEIPT_TOKEN: SMS_RECEIPT_TOKEN,
    PROVINCE_API_BASE: world.province.url,
    PROVINCE_APP_ID: world.province.appId,
    PROVINCE_APP_SECRET: world.province.appSecret,
    ...Object.fromEntries(
      SMS_TEMPLATE_NAMES.map((name) => [`SMS_TEMPLATE_${envName(name)}`, world.sms.templateCodes[name]]),
    ),
  };
}

/**
 * Serves the app on a free local port and points the core simulator's case events at it (the
 * webhook is real HTTP, so `app.inject` is not enough); returns the address.
 */
export async function listenForCaseEvents(bff: Pick<TestBff, 'app' | 'world'>): Promise<string> {
  const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
  bff.world.core.setWebhookUrl(`${address}/api/v1/hooks/core/case-events`);
  return address;
}

/** A staff member signed in through the BFF's staff login: the authorization header of the session. */
export async function staffBearer(
  call: ApiCall,
  member: { username: string },
  password: string,
): Promise<Record<string, string>> {
  const answer = await call('POST', '/api/v1/auth/staff', { username: member.username, password });
  if (answer.status !== 200)
    throw new Error(`staff login of ${member.username} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return bearer(answer.body.accessToken);
}

export async function startTestBff(
  label: string,
  env: Record<string, string> = {},
  build: BuildOptions = {},
): Promise<TestBff> {
  const db = await openTestDatabase(label);
  const world = await startWorld();
  // The overload guards shed load by event-loop delay and by requests in flight; a busy CI machine
  // would shed the suites' own requests (some send 200 at once on purpose). Both are off unless a
  // suite turns them on to test them (overload.test.ts).
  const config = loadConfig({
    ...worldEnv(world, db.database.uri),
    CORE_TIMEOUT_MS: '1000',
    CORE_RETRIES: '1',
    CORE_BREAKER_COOLDOWN_MS: '500',
    OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
    MAX_IN_FLIGHT: '0',
    ...env,
  });
  const app = await buildApp(config, build);
  await app.ready();
  return {
    app,
    world,
    db,
    config,
    stop: async () => {
      await app.close();
      await world.stop();
      await db.stop();
    },
  };
}
