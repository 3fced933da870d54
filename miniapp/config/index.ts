// Taro build configuration for both targets. The BFF base URL is a build-time constant:
// h5 calls the same origin (`/api/v1`, proxied by the web server); weapp needs an absolute URL.
import { resolve } from 'node:path';
import { defineConfig } from '@tarojs/cli';
import { apiBase } from './api-base';

// Workspace packages are compiled from their TypeScript sources, as `tsx --conditions=source`
// does for the BFF, so a fresh clone builds without anything built before it.
const sharedTypesSource = resolve(__dirname, '..', '..', 'shared-types', 'src');
const workspaceSources = {
  alias: { '@onewindow/shared-types': sharedTypesSource },
  compile: { include: [sharedTypesSource] },
};

// webpackbar's animated bar floods a log file; keep only its plain start/done lines when the
// output is not a terminal (CI, `pnpm start > log`).
function quietWhenNotATerminal(chain: {
  plugins: { has(name: string): boolean };
  plugin(name: string): { tap(f: (args: unknown[]) => unknown[]): unknown };
}): void {
  if (process.stdout.isTTY || !chain.plugins.has('webpackbar')) return;
  chain.plugin('webpackbar').tap(([options]) => {
    const { reporters = [], ...rest } = (options ?? {}) as { reporters?: unknown[] };
    return [{ ...rest, fancy: false, reporters: reporters.filter((r) => r !== 'fancy') }];
  });
}

export default defineConfig<'webpack5'>(() => ({
  projectName: 'onewindow',
  date: '2026-11-23',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  plugins: [],
  alias: workspaceSources.alias,
  defineConstants: {
    API_BASE: JSON.stringify(apiBase(process.env)),
    DEV_LOGIN: JSON.stringify(process.env.TARO_APP_DEV_LOGIN === 'true'),
    WECHAT_DEV_BASE: JSON.stringify(process.env.TARO_APP_WECHAT_DEV_BASE ?? '/wechat-dev'),
  },
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  mini: {
    compile: workspaceSources.compile,
    webpackChain: quietWhenNotATerminal,
    postcss: { pxtransform: { enable: true, config: {} }, cssModules: { enable: false } },
  },
  h5: {
    compile: workspaceSources.compile,
    webpackChain: quietWhenNotATerminal,
    publicPath: '/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
    miniCssExtractPluginOption: {
      ignoreOrder: true,
      filename: 'css/[name].[contenthash:8].css',
      chunkFilename: 'css/[name].[contenthash:8].css',
    },
    postcss: { autoprefixer: { enable: true, config: {} }, cssModules: { enable: false } },
  },
}));
