/**
 * Builds the Express application without listening (supertest drives it in tests; server/main.ts
 * listens). Everything it needs arrives in {@link AppDeps}.
 */
import express, { type RequestHandler } from "express";
import type { Config } from "./config/env.ts";
import type { Logger } from "./config/logger.ts";
import type { Db } from "./db/prisma.ts";
import { errorHandler, notFoundHandler } from "./http/middleware/error-handler.ts";
import { requestContext } from "./http/middleware/request-context.ts";
import { requireAuth } from "./http/middleware/auth.ts";
import { rejectUnstorableText } from "./http/middleware/storable-text.ts";
import { jsonBody } from "./http/body/json-body.ts";
import { authRoutes } from "./http/routes/auth.routes.ts";
import { healthRoutes, type ReadinessCheck } from "./http/routes/health.routes.ts";
import { directivesRoutes } from "./http/routes/directives.routes.ts";
import { documentsRoutes } from "./http/routes/documents.routes.ts";
import { registerRoutes } from "./http/routes/register.routes.ts";
import { templatesRoutes } from "./http/routes/templates.routes.ts";
import { verifyRoutes } from "./http/routes/verify.routes.ts";
import { orgsRoutes } from "./http/routes/orgs.routes.ts";
import { peopleRoutes } from "./http/routes/people.routes.ts";
import type { DeliveryQueue } from "./jobs/delivery-queue.ts";

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

/** Creates the HTTP application. */
export function createApp(deps: AppDeps): express.Express {
  const { db, config, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(requestContext);

  // The webhook reads and checks its own body: whatever arrives with the right secret gets a 200, so
  // Telegram never resends a malformed update forever.
  if (deps.telegram?.webhook) app.post("/webhooks/telegram", deps.telegram.webhook);
  app.use(rejectUnstorableText);
  app.use(healthRoutes(deps.readiness));

  const api = express.Router();
  api.use(jsonBody({ limit: config.MAX_BODY_BYTES }));
  api.use(authRoutes(db));
  api.use(requireAuth(db));
  api.use(directivesRoutes(deps));
  api.use(orgsRoutes(deps));
  api.use(peopleRoutes(deps));
  api.use(documentsRoutes(deps));
  api.use(registerRoutes(deps));
  api.use(templatesRoutes());
  app.use("/api/v1", api);
  // Public: the QR code on every issued document links here.
  app.use(verifyRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
