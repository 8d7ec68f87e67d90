/** Access checks for dashboard routes: the API's roles, with a signed-out browser sent to sign in. */
import type { RequestHandler } from "express";
import { AppError } from "../domain/errors.ts";
import type { AuthUser } from "../features/auth/find-user-by-token.ts";
import { signInRedirect } from "./web-errors.ts";

/** Requires a session; a signed-out browser is sent to the sign-in page (303), then back here. */
export const requireWebUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === "GET" || req.method === "HEAD") return res.redirect(303, signInRedirect(req.originalUrl));
  next(new AppError("UNAUTHENTICATED", "no session", { messageKey: "web.errors.signed_out" }));
};

/** Allows only the given roles (a 403 page otherwise), after {@link requireWebUser}. */
export function requireWebRole(...roles: AuthUser["role"][]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user || !roles.includes(req.user.role)) return next(new AppError("FORBIDDEN", "role not allowed", { messageKey: "errors.forbidden" }));
    next();
  };
}
