/**
 * Turns every error into a JSON answer in the request's language:
 * `{ error: { code, message, issues?: [{ path, message }] , requestId } }`.
 * Errors a client can cause (bad JSON, oversized bodies, AppErrors) keep their 4xx status; anything
 * else is a 500 whose details stay in the log.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../../config/logger.ts";
import { AppError } from "../../domain/errors.ts";
import { t } from "../../i18n.ts";

/** Converts body-parser and other framework errors into AppErrors. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  if (e?.type === "entity.too.large") {
    return new AppError("PAYLOAD_TOO_LARGE", "body too large", { messageKey: "errors.payload_too_large", params: { limit: e.limit }, cause: err });
  }
  if (e?.type === "entity.parse.failed") {
    return new AppError("BAD_REQUEST", "invalid JSON", { messageKey: "errors.invalid_json", params: { detail: e.message }, cause: err });
  }
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") {
    return new AppError("UNSUPPORTED_MEDIA_TYPE", String(e.message), { messageKey: "errors.unsupported_media_type", params: { type: e.message, expected: "UTF-8" }, cause: err });
  }
  if (e?.type === "request.aborted" || e?.type === "request.size.invalid") {
    return new AppError("BAD_REQUEST", String(e.message), { messageKey: "errors.validation", cause: err });
  }
  return new AppError("INTERNAL", e?.message ?? "unknown error", { messageKey: "errors.internal", cause: err });
}

/** Express error middleware (must be registered last). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    const requestId = req.requestId;
    if (appError.code === "INTERNAL") logger.error({ err, requestId, path: req.path }, "unhandled error");
    const locale = req.locale;
    const body = {
      error: {
        code: appError.code,
        message: t(locale, appError.messageKey ?? "errors.internal", { ...appError.params, requestId }),
        ...(appError.issues.length
          ? {
              issues: appError.issues.map((i) => ({
                path: i.path,
                message: i.messageKey ? t(locale, i.messageKey, i.params) : (i.message ?? ""),
              })),
            }
          : {}),
        requestId,
      },
    };
    if (res.headersSent) return void res.end();
    res.status(appError.status).json(body);
  };
}

/** 404 for routes that do not exist. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError("NOT_FOUND", "no route", { messageKey: "errors.route_not_found", params: { method: req.method, path: req.path } }));
};
