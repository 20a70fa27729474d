import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // expect.poll waits for a state; its default second is far too short on a shared machine under the whole suite
    expect: { poll: { timeout: 60_000, interval: 100 } },
  },
});
