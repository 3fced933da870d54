// `pnpm start`: the whole system on embedded defaults, for a developer or a demo.
// Starts everything that exists, prints the URLs and demo logins, and stops all of it on Ctrl-C.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { redactUri } from '@onewindow/mock/mongo/resolve-database';
import { buildH5IfStale, repoRoot } from './h5-build';
import { startSystem } from './system';
import { MovableClock } from './clock';

interface DemoStaff {
  username: string;
  role: string;
}

interface DemoResident {
  name: string;
  idNumber: string;
  phone: string;
  cases: unknown[];
}

/** Three residents of the simulated population register, those with cases first: they can bind real name. */
async function demoResidents(coreUrl: string): Promise<string[]> {
  const response = await fetch(`${coreUrl}/__admin/citizens`);
  const { citizens } = (await response.json()) as { citizens: DemoResident[] };
  const chosen = [...citizens].sort((a, b) => b.cases.length - a.cases.length).slice(0, 3);
  return chosen.map(
    (c) => `  resident         ${c.name}  ${c.idNumber}  ${c.phone}  (${c.cases.length} cases)`,
  );
}

/**
 * `ONEWINDOW_NOW=2026-12-01T09:30+08:00` starts the BFF's clock at that moment and lets it run
 * on, so a demo at night or on a Sunday still finds the halls open.
 */
export function demoClock(value: string | undefined): (() => Date) | undefined {
  if (value === undefined || value === '') return undefined;
  const start = Date.parse(value);
  if (Number.isNaN(start))
    throw new Error(
      `ONEWINDOW_NOW must be an ISO date-time with offset, e.g. 2026-12-01T09:30+08:00; got "${value}"`,
    );
  return new MovableClock(start).now;
}

async function demoLogins(coreUrl: string): Promise<string[]> {
  const response = await fetch(`${coreUrl}/__admin/staff`);
  const { staff, password } = (await response.json()) as { staff: DemoStaff[]; password: string };
  const firstPerRole = new Map<string, DemoStaff>();
  for (const s of staff) if (!firstPerRole.has(s.role)) firstPerRole.set(s.role, s);
  return [...firstPerRole.values()].map((s) => `  staff ${s.role.padEnd(10)} ${s.username} / ${password}`);
}

function shanghai(date: Date): string {
  return date.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a port number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const dataDir = process.env.ONEWINDOW_DATA_DIR ?? join(repoRoot, '.data');
  mkdirSync(dataDir, { recursive: true });
  const now = demoClock(process.env.ONEWINDOW_NOW);
  buildH5IfStale();
  const system = await startSystem({
    now,
    bffPort: port('BFF_PORT', 3000),
    webPort: port('WEB_PORT', 8080),
    dataDir,
    log: (line) => console.log(line),
  });
  const { world } = system;
  console.log(
    [
      '',
      `bff     ${system.bffUrl}/api/v1  (OpenAPI at ${system.bffUrl}/docs)`,
      `web     ${system.webUrl}  (h5; /api proxied to the BFF)`,
      `core    ${world.core.url}`,
      `wechat  ${world.wechat.url}`,
      `oss     ${world.oss.url}`,
      `mongo   ${redactUri(system.database.uri)}  (${system.database.kind})`,
      `clock   ${now ? `demo clock from ${process.env.ONEWINDOW_NOW} (Shanghai now ${shanghai(now())})` : `real time (Shanghai now ${shanghai(new Date())}); ONEWINDOW_NOW=2026-12-01T09:30+08:00 pnpm start for open halls at any hour`}`,
      '',
      'demo logins:',
      `  citizen          open ${system.webUrl} and press 微信登录 (the WeChat simulator mints the code)`,
      ...(await demoLogins(world.core.url)),
      'demo residents (real-name binding: name, identity number, phone):',
      ...(await demoResidents(world.core.url)),
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    system.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
