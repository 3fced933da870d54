// Package sizes users pay for, against the budgets of issue 21: the weapp main package
// (≤ 600 KiB; WeChat's own cap is 2 MB), every subpackage (≤ 300 KiB), and the h5 initial
// JavaScript (≤ 180 KiB gzipped). Also says whether the schema library (TypeBox) leaked into
// the mini-program. Reads the builds `pnpm build:miniapp` leaves behind; a report, not a gate.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { recordFigure } from '../report';

const dist = join(__dirname, '..', '..', '..', 'miniapp', 'dist');
const KIB = 1024;
const BUDGET = { main: 600 * KIB, subpackage: 300 * KIB, h5InitialGzip: 180 * KIB };

function files(path: string, skip: (relative: string) => boolean, relative = ''): string[] {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !skip(join(relative, name)))
    .flatMap((name) => files(join(path, name), skip, join(relative, name)));
}

const sizeOf = (list: string[]) => list.reduce((sum, f) => sum + statSync(f).size, 0);
const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KiB`;
const verdict = (bytes: number, budget: number) => `${bytes <= budget ? 'within' : 'OVER'} ${kib(budget)}`;
/** TypeBox's own markers: its Kind symbol key and error class. */
const typeboxIn = (list: string[]) =>
  list.filter(
    (f) => /\.js$/.test(f) && /TypeBox\.Kind|TypeBoxError|TypeBox\.Hint/.test(readFileSync(f, 'utf8')),
  );

export async function run(): Promise<void> {
  const weapp = join(dist, 'weapp');
  const h5 = join(dist, 'h5');
  if (!existsSync(weapp) || !existsSync(h5))
    throw new Error('no miniapp builds: run pnpm build:miniapp first');
  const subpackages =
    (JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8')) as { subPackages?: { root: string }[] })
      .subPackages ?? [];
  const roots = subpackages.map((s) => s.root.replace(/\/$/, ''));
  const mainFiles = files(weapp, (rel) => roots.some((root) => rel === root || rel.startsWith(`${root}/`)));
  const main = sizeOf(mainFiles);
  recordFigure('weapp main package', `${kib(main)}, ${verdict(main, BUDGET.main)} (WeChat cap 2048 KiB)`);
  const leaks = typeboxIn(mainFiles);
  for (const root of roots) {
    const list = files(join(weapp, root), () => false);
    const size = sizeOf(list);
    leaks.push(...typeboxIn(list));
    recordFigure(`weapp subpackage ${root}`, `${kib(size)}, ${verdict(size, BUDGET.subpackage)}`);
  }
  recordFigure(
    'weapp TypeBox in bundle',
    leaks.length === 0 ? 'none' : `FOUND in ${leaks.map((f) => f.slice(weapp.length + 1)).join(', ')}`,
  );
  const html = readFileSync(join(h5, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/?([^"]+)"/g)].map((m) => m[1]);
  const raw = scripts.map((s) => readFileSync(join(h5, s)));
  const total = raw.reduce((n, b) => n + b.length, 0);
  const gzipped = raw.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  recordFigure(
    `h5 initial JS (${scripts.length} files)`,
    `${kib(total)} raw, ${kib(gzipped)} gzip, ${verdict(gzipped, BUDGET.h5InitialGzip)}`,
  );
}
