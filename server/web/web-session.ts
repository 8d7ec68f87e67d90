/**
 * Browser sessions for the dashboard. A session is one of the same opaque tokens the API hands out
 * (table ApiToken, 12 hours, revoked by sign-out and by "sign out everywhere"), carried in an
 * httpOnly, SameSite=Lax cookie that is Secure whenever the request came over HTTPS. So the API's
 * rules apply unchanged: a disabled user or a revoked token is signed out at the next request.
 *
 * CSRF: every state-changing request must carry the session's CSRF token (form field `_csrf` or
 * header `X-CSRF-Token`). The token is an HMAC of a fixed label keyed with the session token, so it
 * is bound to the session, needs no storage, and cannot be computed by a page that cannot read the
 * httpOnly cookie. Before sign-in (the sign-in form itself) a random pre-session cookie is used the
 * same way (double submit), against login CSRF.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Db } from "../db/prisma.ts";
import { TOKEN_TTL_MS } from "../features/auth/create-token.ts";
import { findUserByToken } from "../features/auth/find-user-by-token.ts";
import { AppError } from "../domain/errors.ts";
import { multipartBoundary, parseMultipart, type MultipartPart } from "../http/body/parse-multipart.ts";

export const SESSION_COOKIE = "chidao_session";
export const PRESESSION_COOKIE = "chidao_pre";
export const LANG_COOKIE = "chidao_lang";

declare global {
  namespace Express {
    interface Request {
      /** The session token of a signed-in browser (dashboard routes only). */
      sessionToken?: string;
      /** The parts of a multipart form (dashboard uploads), read by {@link csrfGuard}. */
      parts?: MultipartPart[];
    }
  }
}

/** The cookies of a request (a small parser: names and values as sent, values percent-decoded). */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      // A malformed value is ignored, as if the cookie were absent.
    }
  }
  return out;
}

/** Sets a cookie with the dashboard's attributes: Path=/, httpOnly, SameSite=Lax, Secure over HTTPS. */
export function setCookie(req: Request, res: Response, name: string, value: string, maxAgeMs: number, { httpOnly = true } = {}): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", `Max-Age=${Math.floor(maxAgeMs / 1000)}`, "SameSite=Lax"];
  if (httpOnly) parts.push("HttpOnly");
  if (req.secure) parts.push("Secure");
  res.append("Set-Cookie", parts.join("; "));
}

/** Starts a session in the browser for a token createToken issued. */
export function setSessionCookie(req: Request, res: Response, token: string): void {
  setCookie(req, res, SESSION_COOKIE, token, TOKEN_TTL_MS);
}

export function clearSessionCookie(req: Request, res: Response): void {
  setCookie(req, res, SESSION_COOKIE, "", 0);
}

const hmac = (key: string) => createHmac("sha256", key).update("chidao-csrf-v1").digest("base64url");

/** The CSRF token that goes with session token `sessionToken` (what the session's pages carry). */
export const csrfTokenFor = (sessionToken: string): string => hmac(sessionToken);

/** The CSRF token of the request: bound to its session, or to its pre-session cookie when signed out. */
export function csrfToken(req: Request, res: Response): string {
  if (req.sessionToken) return hmac(req.sessionToken);
  let pre = readCookies(req)[PRESESSION_COOKIE];
  if (!pre || !/^[A-Za-z0-9_-]{20,64}$/.test(pre)) {
    pre = randomBytes(24).toString("base64url");
    setCookie(req, res, PRESESSION_COOKIE, pre, TOKEN_TTL_MS);
    // Later reads in this request (the page's forms) see the new value.
    req.headers.cookie = `${req.get("cookie") ?? ""}; ${PRESESSION_COOKIE}=${pre}`;
  }
  return hmac(pre);
}

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** True when `sent` is the request's CSRF token. */
export function isValidCsrf(req: Request, sent: unknown): boolean {
  if (typeof sent !== "string" || !sent) return false;
  if (req.sessionToken) return equal(sent, hmac(req.sessionToken));
  const pre = readCookies(req)[PRESESSION_COOKIE];
  return !!pre && equal(sent, hmac(pre));
}

/** Refuses a request without the right CSRF token (403). */
export function assertCsrf(req: Request, sent: unknown): void {
  if (!isValidCsrf(req, sent)) throw new AppError("FORBIDDEN", "missing or wrong CSRF token", { messageKey: "web.errors.csrf" });
}

/**
 * Reads the session cookie: a live token sets `req.user` and `req.sessionToken`; anything else
 * leaves the request signed out.
 */
export function webSession(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const token = readCookies(req)[SESSION_COOKIE];
    if (token && /^[A-Za-z0-9_-]{10,200}$/.test(token)) {
      const user = await findUserByToken(db, token);
      if (user) {
        req.user = user;
        req.sessionToken = token;
      }
    }
    next();
  };
}

/**
 * Checks CSRF on every state-changing request, whatever its body: a form, JSON, or a multipart
 * upload (read whole by express.raw; its parts are kept in `req.parts` for the route).
 */
export const csrfGuard: RequestHandler = (req, _res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const contentType = req.get("content-type") ?? "";
  let sent: unknown = req.get("x-csrf-token");
  if (contentType.startsWith("multipart/form-data") && Buffer.isBuffer(req.body)) {
    req.parts = parseMultipart(req.body, multipartBoundary(contentType));
    sent ??= req.parts.find((p) => p.name === "_csrf")?.data.toString("utf8");
  } else if (req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body)) {
    sent ??= (req.body as Record<string, unknown>)._csrf;
  }
  assertCsrf(req, sent);
  next();
};
