/** Errors on dashboard routes as pages: sign-in for a missing session, 403/404/500 pages otherwise. */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../config/logger.ts";
import { toAppError } from "../http/middleware/error-handler.ts";
import { t } from "../i18n.ts";
import { html } from "./html.ts";
import { renderPage } from "./layout.ts";
import { pageContext } from "./web-context.ts";

/** The error page for status `status` with a message and a way back. */
export function renderErrorPage(ctx: ReturnType<typeof pageContext>, status: number, message: string, requestId?: string): string {
  const heading = ctx.t(`errors.${status === 403 || status === 404 || status === 500 ? status : "other"}`);
  return renderPage(ctx, {
    title: heading,
    body: html`<section class="error-page">
      <p class="status">${status}</p>
      <h1>${heading}</h1>
      <p>${message}</p>
      ${requestId ? html`<p class="muted">${ctx.t("errors.request_id", { id: requestId })}</p>` : ""}
      <p><a class="button" href="/">${ctx.t("errors.home")}</a></p>
    </section>`,
  });
}

/** Longest `next` a sign-in redirect carries: a Location header must stay well inside every client's header limit (Node's is 16 KiB). */
const MAX_NEXT = 2000;

/**
 * Sends a signed-out browser to the sign-in page, coming back afterwards. A URL too long to carry
 * (a huge query string) comes back without its query, or to the home page: echoing it whole made a
 * Location header larger than clients accept, so the browser got no answer at all.
 */
export function signInRedirect(url: string): string {
  const path = url.split("?")[0]!;
  const next = url.length <= MAX_NEXT ? url : path.length <= MAX_NEXT ? path : "/";
  return `/signin?next=${encodeURIComponent(next)}`;
}

/** The dashboard's error middleware. */
export function webErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toAppError(err);
    if (e.code === "INTERNAL") logger.error({ err, requestId: req.requestId, path: req.path }, "unhandled error (dashboard)");
    if (res.headersSent) return void res.end();
    if (e.code === "UNAUTHENTICATED" && req.method === "GET") return res.redirect(303, signInRedirect(req.originalUrl));
    const ctx = pageContext(req, res);
    const message = e.code === "INTERNAL" ? t(req.locale, "web.errors.internal") : t(req.locale, e.messageKey ?? "errors.internal", { ...e.params, requestId: req.requestId });
    // Scripts (live counts, preview) ask for JSON; people get a page.
    if (req.get("accept")?.includes("application/json") && !req.get("accept")?.includes("text/html")) {
      return void res.status(e.status).json({ error: { code: e.code, message, requestId: req.requestId } });
    }
    res
      .status(e.status)
      .type("html")
      .send(renderErrorPage(ctx, e.status, message, e.code === "INTERNAL" ? req.requestId : undefined));
  };
}

/** 404 page for a GET that a browser made for a page that does not exist. */
export const webNotFound: RequestHandler = (req, res, next) => {
  if ((req.method !== "GET" && req.method !== "HEAD") || !req.get("accept")?.includes("text/html")) return next();
  const ctx = pageContext(req, res);
  res
    .status(404)
    .type("html")
    .send(renderErrorPage(ctx, 404, ctx.t("errors.page_missing")));
};
