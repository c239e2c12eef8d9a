/** Jest runs TypeScript through ts-jest in transpile-only mode; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  maxWorkers: 2,
  // A worker that ends with 700-1,000 MiB resident took 0.9-1.6 s to be gone after its 'exit'
  // event on a VM with dear system calls (measured: 'exit' 3 ms after its last suite), past jest's
  // 500 ms default, after which jest kills it and warns of a leak that is not there.
  workerGracefulExitTimeout: 5000,
};
