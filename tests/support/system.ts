import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '@onewindow/bff';
import { loadConfig } from '@onewindow/bff/config';
import { smsReceiptUrl, worldEnv } from './bff';
import { alive, roundRobin, startBffProcess, stopBffProcesses } from './bff-processes';
import { h5BuildDir } from './h5-build';
import { startWebServer } from './web-server';
import { startWorld, type World } from '@onewindow/mock';
import { resolveDatabase, type ResolvedDatabase } from '@onewindow/mock/mongo/resolve-database';

export interface SystemOptions {
  host?: string;
  bffPort?: number;
  webPort?: number;
  /** The BFF's log level; `pnpm start` logs requests, test journeys only warnings. */
  logLevel?: string;
  /** Keep the database journal and OSS objects here across restarts (`pnpm start`); memory when absent. */
  dataDir?: string;
  /** Database name; a unique one per test file keeps suites apart on a shared server. */
  dbName?: string;
  log?: (line: string) => void;
  /** The BFF's clock; journeys and benchmarks that need the halls open set it to a working morning. */
  now?: () => Date;
  /** BFF settings over the environment's (journeys turn the overload guard off: a busy CI machine is not an overload). */
  env?: Record<string, string>;
  /**
   * Serve the API from this many separate BFF processes (the production entry) behind a
   * round-robin balancer, as a city runs them; `app` is then one more instance over the same
   * database, for the tests' own reads, that serves no traffic.
   */
  bffProcesses?: number;
  /** Emit the driver's command events on the in-process BFF's client (benchmarks count database commands). */
  monitorCommands?: boolean;
}

export interface RunningSystem {
  webUrl: string;
  bffUrl: string;
  app: FastifyInstance;
  world: World;
  database: ResolvedDatabase;
  stop(): Promise<void>;
}

/**
 * Everything on embedded defaults: a database, the mock world (core system, WeChat, OSS), the
 * BFF pointed at them and the h5 build served with `/api` proxied — what `pnpm start` runs and
 * the browser journeys use.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const database = await resolveDatabase({
      dbName: options.dbName ?? 'onewindow',
      journalPath: options.dataDir ? join(options.dataDir, 'mongo.journal') : undefined,
      log,
    });
    stops.push(() => database.stop());
    const world = await startWorld({
      host,
      ossDataDir: options.dataDir ? join(options.dataDir, 'oss') : undefined,
    });
    stops.push(() => world.stop());
    const config = loadConfig({
      ...process.env,
      ...worldEnv(world, database.uri),
      NODE_ENV: 'development',
      LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
      HOST: host,
      BFF_PORT: String(options.bffPort ?? 0),
      ...options.env,
    });
    const app = await buildApp(config, { now: options.now, monitorCommands: options.monitorCommands });
    stops.push(() => app.close());
    let bffUrl = await app.listen({ host, port: options.bffPort ?? 0 });
    if (options.bffProcesses) {
      const processEnv = {
        ...worldEnv(world, database.uri),
        ...options.env,
        ...(options.now
          ? { ONEWINDOW_NOW: options.now().toISOString(), ONEWINDOW_NOW_AT: new Date().toISOString() }
          : {}),
      };
      const instances = await Promise.all(
        Array.from({ length: options.bffProcesses }, () => startBffProcess(processEnv)),
      );
      stops.push(() => stopBffProcesses(instances));
      const balancer = await roundRobin(() => alive(instances));
      stops.push(
        () =>
          new Promise<void>(
            (resolve) => (balancer.server.closeAllConnections(), balancer.server.close(() => resolve())),
          ),
      );
      bffUrl = balancer.url;
    }
    world.core.setWebhookUrl(`${bffUrl}/api/v1/hooks/core/case-events`);
    world.sms.setReceiptUrl(smsReceiptUrl(bffUrl));
    const web = await startWebServer({
      root: h5BuildDir,
      bffUrl,
      wechatUrl: world.wechat.url,
      host,
      port: options.webPort ?? 0,
    });
    stops.push(() => web.stop());
    return { webUrl: web.url, bffUrl, app, world, database, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
