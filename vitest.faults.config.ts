import { defineConfig } from "vitest/config";

/**
 * The fault suite (`npm run test:faults`): scenarios that start real web and worker processes on
 * real PostgreSQL and Redis against the platform stand-ins, break things, and print figures.
 * One scenario at a time: each one starts several processes, and the machines have two cores.
 */
export default defineConfig({
  test: {
    include: ["tests/faults/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
