// Two projects, run in ESM mode (node --experimental-vm-modules): NestJS 12 is ESM-only.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/migrations$': '<rootDir>/migrations/index.ts',
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
};

export default {
  // A global option (ignored inside projects): the e2e tests start apps and spawn the CLI.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
      // The console's component tests run under vitest (`npm run test:console`).
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/console/'],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The console's journeys in Chromium against the built api (`npm run test:console:e2e`).
      ...shared,
      displayName: 'console-e2e',
      roots: ['<rootDir>/test/console'],
      testMatch: ['**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The long fault suites (`npm run test:faults`); the quick ones are e2e specs.
      ...shared,
      displayName: 'faults',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.fault-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
