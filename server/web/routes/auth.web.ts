import { Router } from "express";
import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import type { Logger } from "../../config/logger.ts";
import { isAppError } from "../../domain/errors.ts";
import { createToken } from "../../features/auth/create-token.ts";
import { revokeOwnTokens } from "../../features/auth/revoke-own-tokens.ts";
import { revokeToken } from "../../features/auth/revoke-token.ts";
import { t } from "../../i18n.ts";
import { LoginLimiter } from "../../http/middleware/login-limiter.ts";
import { accountPage, signinPage } from "../pages/signin-page.ts";
import { pageContext } from "../web-context.ts";
import { clearSessionCookie, setSessionCookie } from "../web-session.ts";
import { requireWebUser } from "../web-guards.ts";

const SigninSchema = z.object({ email: z.string().trim().max(254).default(""), password: z.string().max(1024).default(""), next: z.string().max(2000).default("/") });

/** Only a path of this site: "//evil.example" or "https://…" would send the officer elsewhere. */
const safeNext = (next: string) => (/^\/(?![/\\])/.test(next) ? next : "/");

/**
 * Sign-in (the API's password check and its PostgreSQL sign-in limiter), sign-out, and signing out
 * everywhere from the account page.
 */
export function authWebRoutes({ db, logger }: { db: Db; logger: Logger }): Router {
  const router = Router();
  const limiter = new LoginLimiter(db, logger);

  router.get("/signin", (req, res) => {
    if (req.user) return void res.redirect(303, "/");
    const next = typeof req.query.next === "string" ? safeNext(req.query.next) : "/";
    res.type("html").send(signinPage(pageContext(req, res), { next }));
  });

  router.post("/signin", async (req, res) => {
    const input = SigninSchema.parse(req.body ?? {});
    const next = safeNext(input.next);
    const again = (status: number, error: string) =>
      void res
        .status(status)
        .type("html")
        .send(signinPage(pageContext(req, res), { next, email: input.email, error }));
    if (!input.email || !input.password) return again(422, t(req.locale, "errors.bad_credentials"));
    const attempt = { email: input.email, address: req.ip ?? req.socket.remoteAddress ?? "" };
    const wait = await limiter.admit(attempt);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      return again(429, t(req.locale, "errors.too_many_attempts", { seconds: wait }));
    }
    try {
      const { token } = await createToken(db, { email: input.email, password: input.password });
      await limiter.succeeded(attempt);
      setSessionCookie(req, res, token);
      res.redirect(303, next);
    } catch (err) {
      if (isAppError(err, "UNAUTHENTICATED")) return again(401, t(req.locale, "errors.bad_credentials"));
      throw err;
    }
  });

  router.post("/signout", async (req, res) => {
    if (req.user && req.sessionToken) await revokeToken(db, { token: req.sessionToken, userId: req.user.id });
    clearSessionCookie(req, res);
    res.redirect(303, "/signin");
  });

  router.get("/account", requireWebUser, (req, res) => {
    res.type("html").send(accountPage(pageContext(req, res), {}));
  });

  router.post("/signout-everywhere", requireWebUser, async (req, res) => {
    await revokeOwnTokens(db, req.user!.id);
    clearSessionCookie(req, res);
    res.redirect(303, "/signin");
  });
  return router;
}
