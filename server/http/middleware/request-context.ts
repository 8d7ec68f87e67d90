/** Gives every request an id (echoed as X-Request-Id) and a locale (Accept-Language or `?lang=`). */
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { pickLocale, type Locale } from "../../i18n.ts";

declare global {
  namespace Express {
    interface Request {
      requestId: string;
      locale: Locale;
    }
  }
}

export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.get("x-request-id");
  req.requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  const lang = typeof req.query.lang === "string" ? req.query.lang : undefined;
  req.locale = pickLocale(lang ?? req.get("accept-language"));
  res.setHeader("X-Request-Id", req.requestId);
  next();
};
