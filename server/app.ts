/**
 * Builds the Express application without listening (supertest drives it in tests; server/main.ts
 * listens). Everything it needs arrives in {@link AppDeps}.
 */
import express from "express";
import type { AppDeps } from "./http/deps.ts";
import { errorHandler, notFoundHandler } from "./http/middleware/error-handler.ts";
import { requestContext } from "./http/middleware/request-context.ts";
import { requireAuth } from "./http/middleware/auth.ts";
import { rejectUnstorableText } from "./http/middleware/storable-text.ts";
import { jsonBody } from "./http/body/json-body.ts";
import { authRoutes } from "./http/routes/auth.routes.ts";
import { healthRoutes } from "./http/routes/health.routes.ts";
import { directivesRoutes } from "./http/routes/directives.routes.ts";
import { documentsRoutes } from "./http/routes/documents.routes.ts";
import { registerRoutes } from "./http/routes/register.routes.ts";
import { templatesRoutes } from "./http/routes/templates.routes.ts";
import { verifyRoutes } from "./http/routes/verify.routes.ts";
import { orgsRoutes } from "./http/routes/orgs.routes.ts";
import { peopleRoutes } from "./http/routes/people.routes.ts";
import { usersRoutes } from "./http/routes/users.routes.ts";
import { programmesRoutes } from "./http/routes/programmes.routes.ts";
import { calendarRoutes } from "./http/routes/calendar.routes.ts";
import { webRoutes } from "./web/web.routes.ts";
import { certificatesRoutes } from "./http/routes/certificates.routes.ts";

/** Creates the HTTP application. */
export function createApp(deps: AppDeps): express.Express {
  const { db, config, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  // Which proxies' X-Forwarded-For names the client (req.ip, which sign-in limits key on): TRUST_PROXY.
  app.set("trust proxy", config.TRUST_PROXY);
  app.use(requestContext);

  // Each channel's webhook reads and verifies its own body (a secret header, a signature over the raw
  // bytes): whatever arrives with the right credentials gets a 200, so no platform resends a malformed
  // update forever.
  for (const channel of deps.channels ?? []) if (channel.webhook) app.post(channel.webhook.path, ...channel.webhook.handlers);
  app.use(rejectUnstorableText);
  app.use(healthRoutes(deps.readiness));

  const api = express.Router();
  api.use(jsonBody({ limit: config.MAX_BODY_BYTES }));
  api.use(authRoutes({ db, logger }));
  api.use(requireAuth(db));
  api.use(directivesRoutes(deps));
  api.use(orgsRoutes(deps));
  api.use(peopleRoutes(deps));
  api.use(documentsRoutes(deps));
  api.use(registerRoutes(deps));
  api.use(templatesRoutes());
  api.use(usersRoutes(deps));
  api.use(programmesRoutes(deps));
  api.use(calendarRoutes(deps));
  api.use(certificatesRoutes(deps));
  app.use("/api/v1", api);
  // Public: the QR code on every issued document links here.
  app.use(verifyRoutes(deps));
  // The officers' dashboard: pages under "/", the same features and access rules as the API.
  app.use(webRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
