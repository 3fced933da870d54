// Package sizes users pay for: the weapp main package (WeChat caps it at 2 MB) and the h5
// initial JavaScript, raw and gzipped. Reads the builds `pnpm build:miniapp` leaves behind.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(__dirname, '..', '..', '..', 'miniapp', 'dist');

function sizeOf(path: string, skip: (relative: string) => boolean, relative = ''): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path)
    .filter((name) => !skip(join(relative, name)))
    .reduce((sum, name) => sum + sizeOf(join(path, name), skip, join(relative, name)), 0);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function run(): Promise<void> {
  const weapp = join(dist, 'weapp');
  const h5 = join(dist, 'h5');
  if (!existsSync(weapp) || !existsSync(h5)) throw new Error('no miniapp builds: run pnpm build:miniapp first');
  const subpackages = (JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8')) as { subPackages?: { root: string }[] }).subPackages ?? [];
  const roots = subpackages.map((s) => s.root.replace(/\/$/, ''));
  const main = sizeOf(weapp, (rel) => roots.some((root) => rel === root || rel.startsWith(`${root}/`)));
  console.log(`weapp main package                 ${kib(main).padStart(12)}   (limit 2048 KiB)`);
  for (const root of roots) console.log(`weapp subpackage ${root.padEnd(18)}${kib(sizeOf(join(weapp, root), () => false)).padStart(12)}`);
  const html = readFileSync(join(h5, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/?([^"]+)"/g)].map((m) => m[1]);
  const raw = scripts.map((s) => readFileSync(join(h5, s)));
  const total = raw.reduce((n, b) => n + b.length, 0);
  const gzipped = raw.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  console.log(`h5 initial JS (${scripts.length} files)            ${kib(total).padStart(12)} raw  ${kib(gzipped).padStart(12)} gzip`);
}
