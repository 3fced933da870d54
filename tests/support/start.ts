// `pnpm start`: the whole system on embedded defaults, for a developer or a demo.
// Starts everything that exists, prints the URLs and demo logins, and stops all of it on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redactUri } from '@onewindow/mock/mongo/resolve-database';
import { h5BuildDir, repoRoot, startSystem } from './system';

const h5Sources = [join(repoRoot, 'miniapp', 'src'), join(repoRoot, 'miniapp', 'config'), join(repoRoot, 'shared-types', 'src')];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Builds h5 when there is no build or a source is newer than it. */
function buildH5IfStale(): void {
  const index = join(h5BuildDir, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const changedAt = Math.max(...h5Sources.filter(existsSync).map(newestMtime));
  if (builtAt >= changedAt) return;
  console.log(builtAt ? 'h5 build is older than its sources: rebuilding…' : 'no h5 build yet: building (about 30 s)…');
  const result = spawnSync('pnpm', ['--filter', '@onewindow/miniapp', 'build:h5'], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, TARO_APP_DEV_LOGIN: 'true' } });
  if (result.status !== 0) throw new Error('h5 build failed');
}

interface DemoStaff {
  username: string;
  role: string;
}

async function demoLogins(coreUrl: string): Promise<string[]> {
  const response = await fetch(`${coreUrl}/__admin/staff`);
  const { staff, password } = (await response.json()) as { staff: DemoStaff[]; password: string };
  const firstPerRole = new Map<string, DemoStaff>();
  for (const s of staff) if (!firstPerRole.has(s.role)) firstPerRole.set(s.role, s);
  return [...firstPerRole.values()].map((s) => `  staff ${s.role.padEnd(10)} ${s.username} / ${password}`);
}

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const dataDir = process.env.ONEWINDOW_DATA_DIR ?? join(repoRoot, '.data');
  mkdirSync(dataDir, { recursive: true });
  buildH5IfStale();
  const system = await startSystem({
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
      '',
      'demo logins:',
      `  citizen          open ${system.webUrl} and press 微信登录 (the WeChat simulator mints the code)`,
      ...(await demoLogins(world.core.url)),
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
