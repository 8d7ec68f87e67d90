/** What every dashboard page is rendered with: the language, the signed-in user, the CSRF token. */
import type { Request, RequestHandler, Response } from "express";
import type { AuthUser } from "../features/auth/find-user-by-token.ts";
import { DEFAULT_LOCALE, LOCALES, pickLocale, t, type Locale } from "../i18n.ts";
import { csrfToken, LANG_COOKIE, readCookies, setCookie } from "./web-session.ts";

export type PageContext = {
  locale: Locale;
  user: AuthUser | null;
  csrf: string;
  /** The request's path and query, for the language switch and "next" after sign-in. */
  url: string;
  /** Translates a key under `web.`. */
  t: (key: string, params?: Record<string, unknown>) => string;
};

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The dashboard's language: `?lang=` (remembered in a cookie), else the cookie, else Vietnamese.
 * A page request's Accept-Language is not consulted: the dashboard is Vietnamese unless an officer
 * switches, whatever language the office's browsers were installed in. A request that does not ask
 * for HTML (the pages' scripts, which send the page's language, and API-style clients) is answered
 * in its Accept-Language, as the API answers.
 */
export const webLocale: RequestHandler = (req, res, next) => {
  const asked = typeof req.query.lang === "string" ? req.query.lang : undefined;
  const isLocale = (v: string | undefined): v is Locale => !!v && (LOCALES as readonly string[]).includes(v);
  if (isLocale(asked)) {
    setCookie(req, res, LANG_COOKIE, asked, YEAR_MS, { httpOnly: false });
    req.locale = asked;
  } else {
    const remembered = readCookies(req)[LANG_COOKIE];
    const wantsHtml = req.get("accept")?.includes("text/html") ?? false;
    req.locale = isLocale(remembered) ? remembered : wantsHtml ? DEFAULT_LOCALE : pickLocale(req.get("accept-language"));
    // A page remembers its language, so that the downloads and scripts it starts speak it too.
    if (wantsHtml && !isLocale(remembered)) setCookie(req, res, LANG_COOKIE, req.locale, YEAR_MS, { httpOnly: false });
  }
  next();
};

/** The page context of a request. */
export function pageContext(req: Request, res: Response): PageContext {
  const locale = req.locale;
  return { locale, user: req.user ?? null, csrf: csrfToken(req, res), url: req.originalUrl, t: (key, params) => t(locale, `web.${key}`, params) };
}
