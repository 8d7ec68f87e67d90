/**
 * Losing queue state on purpose, on either BullMQ backend, for tests of the database being the
 * truth: every job of a deployment gone (Redis restarted without persistence; on PostgreSQL, the
 * queue's tables emptied), or one job's data gone while the job is still listed.
 */
import pg from "pg";
import { Redis } from "ioredis";
import type { QueueBackendKind } from "../../server/jobs/queue-kit.ts";
import { TEST_REDIS_URL } from "./test-env.ts";

export type QueueStore = { kind: QueueBackendKind; prefix: string; databaseUrl: string };

/** The PostgreSQL schema of a queue prefix, as server/jobs/queue-kit.ts names it. */
const schemaOf = (prefix: string) => `bullmq_${prefix.replace(/\W/g, "_")}`.toLowerCase();

async function withPg<T>(databaseUrl: string, f: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}

/** Every job and queue record of this deployment is gone. */
export async function loseAllJobs(s: QueueStore): Promise<void> {
  if (s.kind === "redis") {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${s.prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
    } finally {
      redis.disconnect();
    }
    return;
  }
  // The schema stays (a running process keeps its connections and statements); its contents go.
  await withPg(s.databaseUrl, (c) => c.query(`TRUNCATE "${schemaOf(s.prefix)}".job, "${schemaOf(s.prefix)}".dedup, "${schemaOf(s.prefix)}".scheduler CASCADE`));
}

/** Job `jobId` of `queue` is still listed as waiting, but its data is gone. */
export async function loseJobData(s: QueueStore, queue: string, jobId: string): Promise<void> {
  if (s.kind === "redis") {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.del(`${s.prefix}:${queue}:${jobId}`);
    } finally {
      redis.disconnect();
    }
    return;
  }
  const { rowCount } = await withPg(s.databaseUrl, (c) => c.query(`UPDATE "${schemaOf(s.prefix)}".job SET data = '{}'::jsonb WHERE queue = $1 AND id = $2`, [queue, jobId]));
  if (rowCount !== 1) throw new Error(`no job ${jobId} in ${queue}`);
}
