// `pnpm start`: the whole system on embedded defaults, for a developer or a demo.
// Starts everything that exists, prints the URLs and demo logins, and stops all of it on Ctrl-C.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { redactUri } from '@onewindow/mock/mongo/resolve-database';
import { repoRoot, startSystem } from './system';

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
  const system = await startSystem({
    bffPort: port('BFF_PORT', 3000),
    dataDir,
    log: (line) => console.log(line),
  });
  const { world } = system;
  console.log(
    [
      '',
      `bff     ${system.bffUrl}/api/v1  (OpenAPI at ${system.bffUrl}/docs)`,
      `core    ${world.core.url}`,
      `wechat  ${world.wechat.url}`,
      `oss     ${world.oss.url}`,
      `mongo   ${redactUri(system.database.uri)}  (${system.database.kind})`,
      '',
      'demo logins:',
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
