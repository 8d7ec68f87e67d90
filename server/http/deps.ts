/**
 * What the HTTP layer receives from the composition root. It lives here, not in app.ts, so routes
 * depend on the layer they belong to rather than on the module that assembles them.
 */
import type { RequestHandler } from "express";
import type { Config } from "../config/env.ts";
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import type { DeliveryQueue } from "../jobs/delivery-queue.ts";
import type { ReadinessCheck } from "./routes/health.routes.ts";

export type AppDeps = {
  db: Db;
  config: Config;
  logger: Logger;
  readiness: ReadinessCheck;
  deliveries: DeliveryQueue;
  /** Present when a Telegram bot is configured. */
  telegram?: {
    /** Bot username (from getMe), for t.me deep links. */
    username: string;
    /** Webhook handler (reads its own body), mounted at POST /webhooks/telegram when PUBLIC_URL is set. */
    webhook?: RequestHandler | undefined;
  };
};
