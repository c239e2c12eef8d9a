/** Jest runs TypeScript through ts-jest in transpile-only mode; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  maxWorkers: 2,
  // A worker that ends with ~750 MiB resident takes about 0.95 s to be gone after its 'exit' event
  // on a VM with dear system calls (measured: 'exit' 3 ms after its last suite, no handle left),
  // past jest's 500 ms, which then kills it and warns of a leak that is not there.
  workerGracefulExitTimeout: 5000,
};
