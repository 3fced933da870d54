import { randomBytes } from 'node:crypto';
import { startCoreSystem, type CoreSystemHandle } from './core/server';
import { startOss, type OssHandle } from './oss/server';
import { startWechat, type WechatHandle } from './wechat/server';
import { startSms, type SmsHandle } from './sms/server';
import { startProvince, type ProvinceHandle } from './province/server';

export interface WorldOptions {
  host?: string;
  /** Where the core system POSTs its webhooks; can also be set later with `core.setWebhookUrl`. */
  webhookUrl?: string;
  /** Keeps OSS objects on disk under this folder; in memory when absent (tests). */
  ossDataDir?: string;
  /** Seed for the core system's generated data; the same seed gives the same world. */
  seed?: number;
}

export interface World {
  core: CoreSystemHandle;
  wechat: WechatHandle;
  oss: OssHandle;
  sms: SmsHandle;
  province: ProvinceHandle;
  stop(): Promise<void>;
}

/** Fresh credentials per world, so no simulator secret is ever a constant in the code. */
function credential(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Starts the core system, WeChat, OSS, SMS and provincial 好差评 simulators on free ports. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const host = options.host ?? '127.0.0.1';
  const started: { stop(): Promise<void> }[] = [];
  try {
    const oss = await startOss({
      host,
      bucket: 'onewindow',
      accessKeyId: `LTAI${credential(8)}`,
      accessKeySecret: credential(15),
      dataDir: options.ossDataDir,
    });
    started.push(oss);
    const core = await startCoreSystem({
      host,
      appKey: `bff-${credential(4)}`,
      appSecret: credential(32),
      webhookUrl: options.webhookUrl,
      seed: options.seed,
      // The core system keeps the scans of accepted materials in the same bucket the BFF signs URLs for.
      storeScan: (key, pdf) => oss.putObject(key, pdf, 'application/pdf'),
    });
    started.push(core);
    const wechat = await startWechat({ host, appId: `wx${credential(8)}`, appSecret: credential(16) });
    started.push(wechat);
    const sms = await startSms({
      host,
      accessKeyId: `LTAI${credential(8)}`,
      accessKeySecret: credential(15),
      signNames: ['一窗通办'],
    });
    started.push(sms);
    const province = await startProvince({ host, appId: `city-${credential(4)}`, appSecret: credential(24) });
    started.push(province);
    return {
      core,
      wechat,
      oss,
      sms,
      province,
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function stopAll(handles: { stop(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(handles.reverse().map((h) => h.stop()));
}
