/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(ts|js|mjs)$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  // azure-kusto-data/-ingest 7 and hyparquet(-writer) ship ESM only; Jest's module runtime is CommonJS, so they are transpiled.
  transformIgnorePatterns: [
    '/node_modules/(?!(azure-kusto-data|azure-kusto-ingest|hyparquet|hyparquet-writer)/)',
  ],
  // Only the Functions host provides this module; the stub lets registrations reach the replay kit.
  moduleNameMapper: {
    '^@azure/functions-core$': '<rootDir>/test/helpers/functionsCoreStub.ts',
  },
  testTimeout: 60000,
  // Two workers on the 2-core CI machine, longest suites first (see jest.sequencer.js).
  maxWorkers: 2,
  testSequencer: '<rootDir>/jest.sequencer.js',
};
