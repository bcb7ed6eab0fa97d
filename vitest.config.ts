import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: one on a 2-core machine, which leaves a
    // core idle while a test file waits on a child process (eqvc, Python, Chromium). Two files at
    // a time keep both busy; the tests' own timeouts allow for the sharing.
    maxWorkers: 2,
  },
});
