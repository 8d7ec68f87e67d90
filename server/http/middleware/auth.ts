/** Bearer-token authentication and role checks. */
import type { RequestHandler } from "express";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { findUserByToken, type AuthUser } from "../../features/auth/find-user-by-token.ts";

declare global {
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

/** Requires `Authorization: Bearer <token>`; sets `req.user`. */
export function requireAuth(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+([A-Za-z0-9_-]{10,200})\s*$/i.exec(header);
    const user = match?.[1] ? await findUserByToken(db, match[1]) : null;
    if (!user) return next(new AppError("UNAUTHENTICATED", "missing or bad token", { messageKey: "errors.unauthenticated" }));
    req.user = user;
    next();
  };
}

/** Allows only the given roles (after {@link requireAuth}). */
export function requireRole(...roles: AuthUser["role"][]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user || !roles.includes(req.user.role)) return next(new AppError("FORBIDDEN", "role not allowed", { messageKey: "errors.forbidden" }));
    next();
  };
}

/** The signed-in user; only valid behind {@link requireAuth}. */
export function currentUser(req: Express.Request): AuthUser {
  if (!req.user) throw new AppError("UNAUTHENTICATED", "no user on request", { messageKey: "errors.unauthenticated" });
  return req.user;
}
