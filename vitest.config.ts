import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that time something a user waits for (`*.quiet.test.ts`) run on their own, after the rest (scripts/test.ts). */
const quiet = process.env.FQ_QUIET_TESTS === '1';

export default defineConfig({
  test: {
    include: quiet ? ['packages/*/test/**/*.quiet.test.ts'] : ['packages/*/test/**/*.test.ts'],
    exclude: quiet ? configDefaults.exclude : [...configDefaults.exclude, '**/*.quiet.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // expect.poll waits for a state; its default second is far too short on a shared machine under the whole suite
    expect: { poll: { timeout: 60_000, interval: 100 } },
  },
});
