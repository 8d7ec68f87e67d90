/** Bearer-token authentication and role checks. */
import type { Request, RequestHandler } from "express";
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

/** The bearer token of `Authorization: Bearer <token>`, or null when the header is missing or malformed. */
export function readBearerToken(req: Request): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]{10,200})\s*$/i.exec(req.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/** Requires `Authorization: Bearer <token>`; sets `req.user`. */
export function requireAuth(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const token = readBearerToken(req);
    const user = token ? await findUserByToken(db, token) : null;
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
