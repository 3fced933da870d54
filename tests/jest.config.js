// Tests run TypeScript through SWC (fast, no type checking); `pnpm typecheck` is the type gate.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    '^@onewindow/shared-types$': '<rootDir>/../shared-types/src/index.ts',
    '^@onewindow/shared-types/(.*)$': '<rootDir>/../shared-types/src/$1',
    '^@onewindow/mock$': '<rootDir>/../mock/src/world.ts',
    '^@onewindow/mock/(.*)$': '<rootDir>/../mock/src/$1',
    '^@onewindow/bff$': '<rootDir>/../bff/src/app.ts',
    '^@onewindow/bff/(.*)$': '<rootDir>/../bff/src/$1',
  },
  // light-my-request (app.inject) requires `cookie`, which ships ESM only: let SWC turn it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!\\.pnpm/cookie@|cookie/)'],
  testMatch: ['<rootDir>/{bff,mock,e2e,bench}/**/*.test.ts'],
  // Two cores: one worker per core. Each test file starts its own mock world and database (tests/support).
  maxWorkers: 2,
  // Deadlines stretch with TEST_TIME_SCALE (support/time-scale.ts) on a machine busier than usual.
  testTimeout: 60_000 * Number(process.env.TEST_TIME_SCALE || 1),
  reporters: ['default', '<rootDir>/support/summary-reporter.js'],
};
