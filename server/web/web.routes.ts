/**
 * The officers' dashboard, served by the same process as the API: server-rendered pages under `/`
 * with small scripts under `/assets/` (live counts, the audience count, the message preview). It
 * uses the same feature functions, so the same roles and subtree checks, as `/api/v1`.
 */
import { fileURLToPath } from "node:url";
import express, { Router } from "express";
import type { AppDeps } from "../http/deps.ts";
import { authWebRoutes } from "./routes/auth.web.ts";
import { directivesWebRoutes } from "./routes/directives.web.ts";
import { documentsWebRoutes } from "./routes/documents.web.ts";
import { orgsWebRoutes } from "./routes/orgs.web.ts";
import { adminWebRoutes } from "./routes/admin.web.ts";
import { certificatesWebRoutes } from "./routes/certificates.web.ts";
import { programmesWebRoutes } from "./routes/programmes.web.ts";
import { webErrorHandler, webNotFound } from "./web-errors.ts";
import { webLocale } from "./web-context.ts";
import { csrfGuard, webSession } from "./web-session.ts";
import { requireWebUser } from "./web-guards.ts";

const ASSETS = fileURLToPath(new URL("./public/", import.meta.url));

/** Paths the dashboard leaves to the API and the other public routes. */
const NOT_OURS = /^\/(api|webhooks)\//;

/** The dashboard router (mount at `/` after the API). */
export function webRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use((req, _res, next) => (NOT_OURS.test(req.path) ? next("router") : next()));
  router.use("/assets", express.static(ASSETS, { maxAge: "1h", fallthrough: false, index: false }));
  router.use((req, res, next) => {
    // Our pages load scripts and styles from this origin only; no page may frame them. (Bull Board
    // brings its own page, with an inline configuration script: it stays behind the administrator
    // check without this policy.)
    if (!req.path.startsWith("/operations/queues"))
      res.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; object-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
      );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    next();
  });
  router.use(webLocale);
  router.use(webSession(deps.db));
  router.use(express.urlencoded({ extended: false, limit: deps.config.MAX_BODY_BYTES }));
  router.use(express.raw({ type: "multipart/form-data", limit: deps.config.MAX_BODY_BYTES }));
  router.use(express.json({ limit: "1mb" }));
  router.use(csrfGuard);

  router.use(authWebRoutes(deps));
  router.get("/", requireWebUser, (_req, res) => res.redirect(303, "/directives"));
  router.use(directivesWebRoutes(deps));
  router.use(programmesWebRoutes(deps));
  router.use(documentsWebRoutes(deps));
  router.use(orgsWebRoutes(deps));
  router.use(certificatesWebRoutes(deps));
  router.use(adminWebRoutes(deps));
  router.use(webNotFound);
  router.use(webErrorHandler(deps.logger));
  return router;
}
