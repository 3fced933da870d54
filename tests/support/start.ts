// `pnpm start`: the whole system on embedded defaults, for a developer or a demo.
// Builds h5 when it is missing or older than its sources, starts everything, prints the URLs
// and demo logins, and stops all of it on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { h5BuildDir, repoRoot, startSystem } from './system';

const h5Sources = [join(repoRoot, 'miniapp', 'src'), join(repoRoot, 'miniapp', 'config'), join(repoRoot, 'shared-types', 'src')];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

function buildH5IfStale(): void {
  const index = join(h5BuildDir, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const changedAt = Math.max(...h5Sources.filter(existsSync).map(newestMtime));
  if (builtAt >= changedAt) return;
  console.log(builtAt ? 'h5 build is older than its sources: rebuilding…' : 'no h5 build yet: building…');
  const result = spawnSync('pnpm', ['--filter', '@onewindow/miniapp', 'build:h5'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, TARO_APP_DEV_LOGIN: 'true' },
  });
  if (result.status !== 0) throw new Error('h5 build failed');
}

interface DemoStaff {
  username: string;
  password: string;
  role: string;
}

async function demoLogins(coreUrl: string): Promise<string[]> {
  const response = await fetch(`${coreUrl}/__admin/staff`);
  const { staff } = (await response.json()) as { staff: DemoStaff[] };
  const firstPerRole = new Map<string, DemoStaff>();
  for (const s of staff) if (!firstPerRole.has(s.role)) firstPerRole.set(s.role, s);
  return [...firstPerRole.values()].map((s) => `  staff ${s.role.padEnd(10)} ${s.username} / ${s.password}`);
}

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  buildH5IfStale();
  const system = await startSystem({
    bffPort: port('BFF_PORT', 3000),
    webPort: port('WEB_PORT', 8080),
    dataDir: process.env.ONEWINDOW_DATA_DIR ?? join(repoRoot, '.data'),
    log: (line) => console.log(line),
  });
  const { world } = system;
  console.log(
    [
      '',
      `bff     ${system.bffUrl}  (OpenAPI at ${system.bffUrl}/docs)`,
      `web     ${system.webUrl}`,
      `core    ${world.core.url}`,
      `wechat  ${world.wechat.url}`,
      `oss     ${world.oss.url}`,
      `mongo   ${system.database.uri.replace(/\/\/[^@/]*@/, '//***@')}  (${system.database.kind})`,
      '',
      'demo logins:',
      `  citizen  open ${system.webUrl} and press 微信登录 (a development code is minted by the WeChat simulator)`,
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
