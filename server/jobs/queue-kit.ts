/**
 * BullMQ bound to the datastore of this deployment: Redis when REDIS_URL is set, otherwise BullMQ's
 * PostgreSQL backend in the application's own database (the embedded default). Everything else
 * in chidao uses the `Queue`/`Worker` classes from here, so jobs follow one code path in every mode.
 */
import { createPostgresBackend, createRedisBackend, withBackend, type Job, type Processor, type QueueOptions, type WorkerOptions } from "bullmq";

export type QueueBackendKind = "redis" | "postgres";

type AnyQueueCtor = new (name: string, opts: QueueOptions<unknown>) => import("bullmq").Queue;
type AnyWorkerCtor = {
  new (name: string, processor: Processor, opts: WorkerOptions<unknown>): import("bullmq").Worker;
  RateLimitError: typeof import("bullmq").Worker.RateLimitError;
};

export type QueueKit = {
  kind: QueueBackendKind;
  /** Key prefix (Redis) or schema (PostgreSQL) that isolates this deployment's queues. */
  prefix: string;
  createQueue(name: string, opts?: Partial<QueueOptions<unknown>>): import("bullmq").Queue;
  createWorker(name: string, processor: (job: Job, token?: string) => Promise<unknown>, opts?: Partial<WorkerOptions<unknown>>): import("bullmq").Worker;
  RateLimitError: typeof import("bullmq").Worker.RateLimitError;
};

export type QueueKitOptions = {
  redisUrl?: string | undefined;
  databaseUrl: string;
  /** Isolates queues (tests use one per file); becomes the Redis key prefix or the PostgreSQL schema. */
  prefix?: string;
};

function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    // Workers wait for Redis to come back instead of failing jobs (BullMQ's production guide).
    maxRetriesPerRequest: null,
  };
}

/** Builds the queue classes for this deployment. */
export function createQueueKit({ redisUrl, databaseUrl, prefix = "chidao" }: QueueKitOptions): QueueKit {
  if (redisUrl) {
    const { Queue, Worker } = withBackend(createRedisBackend) as unknown as { Queue: AnyQueueCtor; Worker: AnyWorkerCtor };
    const connection = redisConnection(redisUrl);
    return {
      kind: "redis",
      prefix,
      createQueue: (name, opts = {}) => new Queue(name, { connection, prefix, ...opts }),
      createWorker: (name, processor, opts = {}) => new Worker(name, processor as Processor, { connection, prefix, ...opts }),
      RateLimitError: Worker.RateLimitError,
    };
  }
  const { Queue, Worker } = withBackend(createPostgresBackend) as unknown as { Queue: AnyQueueCtor; Worker: AnyWorkerCtor };
  const schema = `bullmq_${prefix.replace(/\W/g, "_")}`.toLowerCase();
  const connection = { connectionString: databaseUrl, schema, migrate: true, max: 10 };
  return {
    kind: "postgres",
    prefix,
    createQueue: (name, opts = {}) => new Queue(name, { connection, ...opts }),
    createWorker: (name, processor, opts = {}) => new Worker(name, processor as Processor, { connection, ...opts }),
    RateLimitError: Worker.RateLimitError,
  };
}
