// The h5 build that `pnpm start`, the browser journeys and `pnpm test` serve: built when there is
// none or a source is newer than it, so a fresh clone builds it once and nobody builds it twice.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const h5BuildDir = join(repoRoot, 'miniapp', 'dist', 'h5');

const h5Sources = [
  join(repoRoot, 'miniapp', 'src'),
  join(repoRoot, 'miniapp', 'config'),
  join(repoRoot, 'shared-types', 'src'),
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Builds h5 when there is no build or a source is newer than it. */
export function buildH5IfStale(): void {
  const index = join(h5BuildDir, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const changedAt = Math.max(...h5Sources.filter(existsSync).map(newestMtime));
  if (builtAt >= changedAt) return;
  console.log(
    builtAt
      ? 'h5 build is older than its sources: rebuilding…'
      : 'no h5 build yet: building (about a minute)…',
  );
  const result = spawnSync('pnpm', ['--filter', '@onewindow/miniapp', 'build:h5'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, TARO_APP_DEV_LOGIN: 'true' },
  });
  if (result.status !== 0) throw new Error('h5 build failed');
}
