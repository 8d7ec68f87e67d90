/**
 * The delivery pipeline's cases on BullMQ's PostgreSQL backend — the one `npm start` uses by default
 * (embedded PostgreSQL, no REDIS_URL) — so the default deployment's queue is tested as thoroughly as
 * Redis: the same file, its pipelines and runtimes built with TEST_QUEUE_BACKEND=postgres.
 */
import { afterAll } from "vitest";
import { useQueueBackend } from "../helpers/test-env.ts";

const restore = useQueueBackend("postgres");
await import("./delivery-pipeline.test.ts");
// The cases read the backend when their pipelines start (beforeAll), so it is given back only at the end.
afterAll(restore);
