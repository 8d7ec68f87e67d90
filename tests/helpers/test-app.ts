/** An Express app on a fresh test database, with a queue that records what was enqueued. */
import type { Express } from "express";
import { createApp } from "../../server/app.ts";
import type { AppDeps } from "../../server/http/deps.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createLogger } from "../../server/config/logger.ts";
import type { DeliveryQueue } from "../../server/jobs/delivery-queue.ts";
import { createTestDb, type TestDb } from "./test-db.ts";

export type TestApp = TestDb & { app: Express; enqueued: number[]; deps: AppDeps };

/** Builds the app; pass `deps` to replace any dependency (a real queue, a Telegram webhook…). */
export async function createTestApp(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = await createTestDb();
  const enqueued: number[] = [];
  const recording: DeliveryQueue = { enqueue: async (jobs) => void enqueued.push(...jobs.map((j) => j.deliveryId)) };
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: testDb.url, LOG_LEVEL: "silent", ...env });
  const deps: AppDeps = {
    db: testDb.db,
    config,
    logger: createLogger("silent"),
    readiness: async () => ({ database: true, queue: true }),
    deliveries: recording,
    ...overrides,
  };
  return { ...testDb, app: createApp(deps), enqueued, deps };
}
