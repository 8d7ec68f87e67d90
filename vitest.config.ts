import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The fault suite has its own config (vitest.faults.config.ts, `npm run test:faults`).
    exclude: ["tests/faults/**", "**/node_modules/**"],
    globalSetup: ["tests/setup/global-setup.ts"],
    // Each file gets its own database (cloned from a migrated template) and its own queue prefix,
    // so files may run in parallel; two at a time suits the 2-core machines.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
