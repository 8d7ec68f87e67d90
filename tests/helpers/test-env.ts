/** Where the tests find PostgreSQL and Redis (the machine's own services by default). */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
/**
 * This test run's id (set by the global setup; inherited by the workers). Every database a run makes
 * carries it, so two runs on one machine (two engineers, an editor's watcher) never drop each
 * other's databases; ids start with the run's time, so leftovers of old runs can be recognised.
 */
export function testRunId(): string {
  return process.env.CHIDAO_TEST_RUN ?? "dev";
}

/** The migrated database each test file clones. */
export function templateDb(): string {
  return `chidao_tpl_${testRunId()}`;
}

/** URL of database `name` on the test server. */
export function dbUrl(name: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The BullMQ backend the delivery pipeline tests run on: Redis by default, BullMQ's PostgreSQL backend
 * (what `npm start` uses with no REDIS_URL) with TEST_QUEUE_BACKEND=postgres
 * (tests/integration/delivery-pipeline-postgres.test.ts runs the pipeline cases that way).
 */
export function testQueueBackend(): "redis" | "postgres" {
  return process.env.TEST_QUEUE_BACKEND === "postgres" ? "postgres" : "redis";
}

/** Makes {@link testQueueBackend} answer `kind` in this process until the returned function is called. */
export function useQueueBackend(kind: "redis" | "postgres"): () => void {
  const before = process.env.TEST_QUEUE_BACKEND;
  process.env.TEST_QUEUE_BACKEND = kind;
  return () => {
    if (before === undefined) delete process.env.TEST_QUEUE_BACKEND;
    else process.env.TEST_QUEUE_BACKEND = before;
  };
}
