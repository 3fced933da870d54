// One browser journey file's world: the whole system (as `pnpm start` runs it) and Chromium
// with one phone-sized page, started before the file's tests and stopped after them.
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage } from './browser';
import { bearer, fetchCaller, type ApiAnswer } from './citizens';
import { startSystem, type RunningSystem, type SystemOptions } from './system';
import { scaled } from './time-scale';

export interface Journey {
  system: RunningSystem;
  browser: Browser;
  page: Page;
}

/** Registers the file's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function journey(
  name: string,
  options: Pick<SystemOptions, 'now' | 'bffProcesses' | 'env'> = {},
): Journey {
  const world = {} as Journey;
  beforeAll(async () => {
    world.system = await startSystem({
      dbName: `e2e_${name}_${process.pid}`,
      logLevel: 'warn',
      ...options,
      env: { OVERLOAD_EVENT_LOOP_DELAY_MS: '0', MAX_IN_FLIGHT: '0', ...options.env },
    });
    world.browser = await launchBrowser();
    world.page = await phonePage(world.browser);
  }, scaled(120_000));
  afterAll(async () => {
    await world.browser?.close();
    await world.system?.stop();
  });
  return world;
}

/**
 * The journey's BFF API by path below `/api/v1`, anonymous or with a session's access token:
 * what the journeys arrange and check beside the pages. Usable once beforeAll has run.
 */
export function journeyApi(
  world: Journey,
): (path: string, method?: string, body?: unknown, token?: string) => Promise<ApiAnswer> {
  return (path, method = 'GET', body, token) =>
    fetchCaller(world.system.bffUrl)(method, `/api/v1${path}`, body, token ? bearer(token) : {});
}
