import { Router } from "express";
import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { AppError, isAppError } from "../../domain/errors.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createToken } from "../../features/auth/create-token.ts";
import { LoginLimiter } from "../middleware/login-limiter.ts";

const TokenRequestSchema = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(1024) });

/** `POST /api/v1/auth/token {email, password}` → `{token, expires_at}`. */
export function authRoutes(db: Db): Router {
  const router = Router();
  const limiter = new LoginLimiter();
  router.post("/auth/token", async (req, res) => {
    const input = parseWith(TokenRequestSchema, req.body);
    const key = `${input.email.toLowerCase()}|${req.ip}`;
    const wait = limiter.retryAfter(key);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      throw new AppError("RATE_LIMITED", "login blocked", { messageKey: "errors.too_many_attempts", params: { seconds: wait } });
    }
    try {
      const { token, expiresAt } = await createToken(db, input);
      limiter.succeed(key);
      res.json({ token, expires_at: expiresAt.toISOString() });
    } catch (err) {
      if (isAppError(err, "UNAUTHENTICATED")) limiter.fail(key);
      throw err;
    }
  });
  return router;
}
