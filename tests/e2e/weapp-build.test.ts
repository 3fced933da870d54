// What WeChat needs of the mini-program that Chromium cannot show (issue 21, "Weapp build"):
// the app.json settings the build writes from app.config.ts, tab bar icons as PNG files, no
// flex `gap` in any stylesheet (iOS WeChat before 14.5 ignores it and the children touch), the
// 2d canvas for the signature, and a release build that refuses a development API base.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const miniapp = join(__dirname, '..', '..', 'miniapp');
const src = join(miniapp, 'src');

interface AppConfig {
  style?: string;
  lazyCodeLoading?: string;
  preloadRule?: Record<string, { network?: string; packages: string[] }>;
  subPackages: { root: string; pages: string[] }[];
  tabBar: { list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
}

// The config files are the build's own inputs, read as the build reads them: app.config.ts
// calls Taro's global defineAppConfig; api-base.ts is a plain function of the environment.
(globalThis as { defineAppConfig?: (c: AppConfig) => AppConfig }).defineAppConfig = (c) => c;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const appConfig = (require(join(src, 'app.config.ts')) as { default: AppConfig }).default;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { apiBase } = require(join(miniapp, 'config', 'api-base.ts')) as {
  apiBase: (env: Record<string, string | undefined>) => string;
};

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, ending);
    return path.endsWith(ending) ? [path] : [];
  });
}

test('app.json: style v2, components loaded on demand, booking and queue preloaded from home', () => {
  expect(appConfig.style).toBe('v2');
  expect(appConfig.lazyCodeLoading).toBe('requiredComponents');
  const roots = appConfig.subPackages.map((s) => s.root);
  const preload = appConfig.preloadRule?.['pages/home/index'];
  expect(preload?.packages).toEqual(expect.arrayContaining(['packages/booking', 'packages/queue']));
  for (const root of preload!.packages) expect(roots).toContain(root);
});

test('every tab has its icon and selected icon as a PNG file', () => {
  expect(appConfig.tabBar.list.length).toBeGreaterThanOrEqual(3);
  for (const tab of appConfig.tabBar.list)
    for (const icon of [tab.iconPath, tab.selectedIconPath]) {
      expect(icon).toMatch(/\.png$/);
      const bytes = readFileSync(join(src, icon!));
      // The PNG signature: WeChat shows nothing for a file that only carries the name.
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
});

test('no stylesheet spaces flex children with gap', () => {
  const found = filesUnder(src, '.css').flatMap((file) =>
    readFileSync(file, 'utf8')
      // Comments may name the rule; only declarations count.
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .split('\n')
      .map((line, i) => ({ line: line.trim(), at: `${relative(src, file)}:${i + 1}` }))
      .filter(({ line }) => /^(row-|column-)?gap\s*:/.test(line) && !/:\s*0(px)?\s*;?$/.test(line))
      .map(({ line, at }) => `${at} ${line}`),
  );
  expect(found).toEqual([]);
});

test('the signature pad draws on the 2d canvas on weapp', () => {
  const pad = readFileSync(join(src, 'components', 'SignaturePad.tsx'), 'utf8');
  expect(pad).toMatch(/WEAPP \? \{ type: '2d' \}/);
});

test("the identity-number fields bring up WeChat's idcard keyboard (digits and X)", () => {
  const fields = readFileSync(join(src, 'components', 'LabelledInput.tsx'), 'utf8');
  // The field labelled 身份证号码 in IdentityFields (real-name binding, 帮办) is the idcard type.
  expect(fields).toMatch(/label="身份证号码"[^/]*type="idcard"/);
});

describe('a release build refuses a development API base', () => {
  const release = (base: string | undefined, target = 'weapp') =>
    apiBase({ TARO_APP_RELEASE: 'true', TARO_ENV: target, TARO_APP_API_BASE: base });

  test.each([
    ['the default (no base given)', undefined, /https:\/\//],
    ['plain http', 'http://api.example.gov.cn/api/v1', /https:\/\//],
    ['loopback', 'https://127.0.0.1:3000/api/v1', /this machine/],
    ['localhost', 'https://localhost/api/v1', /this machine/],
    ['a relative path on weapp', '/api/v1', /absolute https:\/\//],
    ['not a URL', 'api.example.gov.cn', /not a URL/],
  ])('%s', (_name, base, message) => {
    expect(() => release(base)).toThrow(message);
  });

  test('an https address is taken, and h5 may call its own origin', () => {
    expect(release('https://api.example.gov.cn/api/v1')).toBe('https://api.example.gov.cn/api/v1');
    expect(release('/api/v1', 'h5')).toBe('/api/v1');
  });

  test('a development build keeps the local address', () => {
    expect(apiBase({ TARO_ENV: 'weapp' })).toBe('http://127.0.0.1:3000/api/v1');
  });
});
