// Lint for the whole monorepo (`pnpm lint`). Formatting is Prettier's job (.prettierrc.json);
// eslint-config-prettier, last, turns off every rule that would argue with it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { existsSync, readdirSync } from 'node:fs';

// Every folder under bff/src/modules is a feature, read from the tree so that a new module
// (application came after the list was first written and went unchecked) is bounded at once.
const MODULES = readdirSync(new URL('./bff/src/modules/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
// Modules take one shape: an index.ts registers each (the composition root imports nothing else).
for (const name of MODULES)
  if (!existsSync(new URL(`./bff/src/modules/${name}/index.ts`, import.meta.url)))
    throw new Error(`bff/src/modules/${name} has no index.ts registering the module`);

// Feature boundaries (docs/architecture.md, "Boundaries between features"): code in
// bff/src/modules/<X> reaches another feature <Y> only through `../<Y>` (its index.ts) or
// `../<Y>/service` — never its model.ts (stored documents), routes, or any other internal file.
// `../../x` (the BFF's shared platform: config, errors, plugins) is not another feature.
const otherModuleInternals = {
  regex: '^\\.\\./[^./][^/]*/(?!(index|service)(\\.js)?$)',
  message:
    "Features reach each other only through the other feature's index.ts or service.ts (docs/architecture.md, Boundaries between features).",
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.swc/**',
      '**/coverage/**',
      'tests/e2e/artifacts/**',
      '**/*.tsbuildinfo',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // A promise nobody awaits loses its failure: errors (not warnings) everywhere.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // `any` that leaks in (JSON bodies, driver answers) is reported where it is used. Passing it on
      // (assigning, returning, or handing it to a typed parameter) is an error: the value gets a
      // type (`aggregate<T>()`, `JSON.parse(...) as T`, a TypeBox-typed body) or `unknown` and a check.
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    // Plain JavaScript (configs, scripts): no type information to lint with.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read HTTP and driver answers as `any` on purpose (`body.items[0].id`): typing every
    // answer would double the tests without catching more, and the answers are asserted anyway.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  // Feature boundaries inside the BFF, one block per module so the message names the rule.
  ...MODULES.map((name) => ({
    files: [`bff/src/modules/${name}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [otherModuleInternals] }] },
  })),
  {
    // Every Fastify plugin says what it is and what must be registered before it, so a wrong order
    // in app.ts fails at start (fastify-plugin checks `dependencies`) instead of at the first request.
    files: ['bff/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='fp'][arguments.length<2]",
          message: 'fp(plugin, { name, dependencies }): a plugin declares its name and what it depends on.',
        },
        {
          selector:
            "CallExpression[callee.name='fp'] > ObjectExpression:not(:has(Property[key.name='name'])), CallExpression[callee.name='fp'] > ObjectExpression:not(:has(Property[key.name='dependencies']))",
          message: 'fp(plugin, { name, dependencies }): a plugin declares its name and what it depends on.',
        },
        {
          selector: "Literal[regex.pattern='^[0-9a-f]{24}$']",
          message: 'isDocumentId (bff/src/document-id.ts) holds the one document-id pattern.',
        },
      ],
    },
  },
  {
    // The composition root registers each feature through its index.ts, never its routes or parts.
    files: ['bff/src/app.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\./modules/[^/]+/',
              message: "app.ts registers a feature through its index.ts ('./modules/<feature>').",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['miniapp/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // Chinese text is spaced with the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipJSXText: true, skipStrings: true }],
      // Styling goes through classes and the tokens in app.css (elder mode restyles classes).
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='style']",
          message: '用 className 和 app.css 的类，不写内联 style',
        },
      ],
      // The package's index carries the TypeBox schemas: values come from its TypeBox-free
      // subpaths (constants, hall-hours, shanghai-time…), so no schema library reaches the bundle.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@onewindow/shared-types',
              message: '小程序只从 @onewindow/shared-types 引入类型；常量请从 /constants 等子路径引入',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  prettier,
);
