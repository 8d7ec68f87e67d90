import { Router } from "express";
import { z } from "zod";
import type { Logger } from "../../config/logger.ts";
import type { Db } from "../../db/prisma.ts";
import { hasControlChars } from "../../domain/text.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createToken } from "../../features/auth/create-token.ts";
import { revokeToken } from "../../features/auth/revoke-token.ts";
import { currentUser, readBearerToken, requireAuth } from "../middleware/auth.ts";
import { LoginLimiter } from "../middleware/login-limiter.ts";

const TokenRequestSchema = z.object({
  // No e-mail holds a control character; refusing them here keeps a NUL byte away from PostgreSQL.
  email: z
    .string()
    .trim()
    .min(3)
    .max(254)
    .refine((s) => !hasControlChars(s), { params: { messageKey: "errors.field.control_chars" } }),
  password: z.string().min(1).max(1024),
});

/**
 * `POST /api/v1/auth/token {email, password}` → `{token, expires_at}` (counted by {@link LoginLimiter}
 * before the password is checked; 429 with Retry-After over a limit), and `POST /api/v1/auth/logout`,
 * which revokes the token it presents.
 */
export function authRoutes({ db, logger }: { db: Db; logger: Logger }): Router {
  const router = Router();
  const limiter = new LoginLimiter(db, logger);
  router.post("/auth/token", async (req, res) => {
    const input = parseWith(TokenRequestSchema, req.body);
    const attempt = { email: input.email, address: req.ip ?? req.socket.remoteAddress ?? "" };
    const wait = await limiter.admit(attempt);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      throw LoginLimiter.refusal(wait);
    }
    const { token, expiresAt } = await createToken(db, input);
    await limiter.succeeded(attempt);
    res.json({ token, expires_at: expiresAt.toISOString() });
  });

  router.post("/auth/logout", requireAuth(db), async (req, res) => {
    const token = readBearerToken(req);
    if (token) await revokeToken(db, { token, userId: currentUser(req).id });
    res.status(204).end();
  });
  return router;
}
