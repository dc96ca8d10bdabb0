// Runs under Node 24 through the npm scripts (`--experimental-vm-modules` lets
// jest load Nest 12's ESM packages from our CommonJS build).
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@coffee/(.*)$': '<rootDir>/libs/$1/src',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/support/quiet-logger.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // `npm run test:browser` (scripts/test-browser.sh): the admin panel's flow in Chromium against a built API.
      ...common,
      displayName: 'browser',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // `npm run test:cluster`: several built API processes and a worker on one MariaDB + Redis.
      ...common,
      displayName: 'cluster',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
      globalSetup: '<rootDir>/test/cluster/global-setup.ts',
    },
  ],
  // A global option: jest ignores it inside a project. e2e tests wait on real
  // MariaDB/Redis on shared machines; unit tests finish long before it anyway.
  testTimeout: 30_000,
  collectCoverageFrom: ['libs/*/src/**/*.ts', '!libs/**/index.ts', '!libs/**/*.spec.ts'],
  coverageReporters: ['text-summary', 'lcov'],
};
