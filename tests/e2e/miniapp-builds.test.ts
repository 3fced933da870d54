// Where the chart library lands in the builds `pnpm test` makes before the suites run. uCharts
// (~140 KiB) draws 运营数据's charts: on weapp it must sit in the staff subpackage only (the main
// package is what every citizen downloads first) and keep that subpackage within its 300 KiB
// budget; on h5 it must come with the page's lazily loaded chunk, never the initial scripts.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const dist = join(__dirname, '..', '..', 'miniapp', 'dist');
/** A string of uCharts' own messages that survives minification on both targets. */
const UCHARTS = '[uCharts]';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const holdingUCharts = (files: string[]) =>
  files.filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes(UCHARTS));

test('weapp: uCharts only in the staff subpackage, which stays within 300 KiB', () => {
  const weapp = join(dist, 'weapp');
  expect(existsSync(join(weapp, 'app.json'))).toBe(true);
  const found = holdingUCharts(filesUnder(weapp)).map((f) => relative(weapp, f));
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((f) => !f.startsWith(join('packages', 'staff')))).toEqual([]);
  const staffBytes = filesUnder(join(weapp, 'packages', 'staff')).reduce((n, f) => n + statSync(f).size, 0);
  expect(staffBytes).toBeLessThanOrEqual(300 * 1024);
});

test('h5: uCharts in a chunk loaded with 运营数据, not in the initial scripts', () => {
  const h5 = join(dist, 'h5');
  const html = readFileSync(join(h5, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<script[^>]+src="\/?([^"]+)"/g)].map((m) => join(h5, m[1]));
  expect(initial.length).toBeGreaterThan(0);
  expect(holdingUCharts(filesUnder(h5)).length).toBeGreaterThan(0);
  expect(holdingUCharts(initial)).toEqual([]);
});
