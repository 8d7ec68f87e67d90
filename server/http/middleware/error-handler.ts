/**
 * Turns every error into a JSON answer in the request's language:
 * `{ error: { code, message, issues?: [{ path, message }] , requestId } }`.
 * Errors a client can cause (bad JSON, oversized bodies, AppErrors) keep their 4xx status; anything
 * else is a 500 whose details stay in the log.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../../config/logger.ts";
import { AppError, type AppErrorCode } from "../../domain/errors.ts";
import { t } from "../../i18n.ts";

/** Codes of the errors zlib raises on bytes that are not what their Content-Encoding says (gzip, deflate, brotli). */
const isDecompressionError = (e: { code?: unknown; errno?: unknown }) => typeof e.errno === "number" && typeof e.code === "string" && /^(Z_|ERR__ERROR_)/.test(e.code);

/** AppError code for a 4xx status that a framework error carries (http-errors: body-parser, raw-body, router). */
function codeForStatus(status: number): AppErrorCode {
  const byStatus: Partial<Record<number, AppErrorCode>> = {
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION",
    429: "RATE_LIMITED",
  };
  return byStatus[status] ?? "BAD_REQUEST";
}

/**
 * The one mapping from any thrown value to an AppError. Errors a client can cause keep a 4xx status:
 * body-parser's (bad JSON, too large, bad charset), a body that does not match its Content-Encoding
 * (zlib), a path whose percent-escapes do not decode (Express's router throws URIError), and any
 * other framework error that carries a 4xx status. Everything else is INTERNAL (500).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as { type?: string; status?: number; statusCode?: number; message?: string; limit?: number; encoding?: string; code?: unknown; errno?: unknown };
  if (e.type === "entity.too.large") {
    return new AppError("PAYLOAD_TOO_LARGE", "body too large", { messageKey: "errors.payload_too_large", params: { limit: e.limit }, cause: err });
  }
  if (e.type === "entity.parse.failed") {
    return new AppError("BAD_REQUEST", "invalid JSON", { messageKey: "errors.invalid_json", params: { detail: e.message }, cause: err });
  }
  if (e.type === "entity.too.deep") {
    return new AppError("BAD_REQUEST", String(e.message), { messageKey: "errors.json_too_deep", params: { limit: e.limit }, cause: err });
  }
  if (e.type === "encoding.unsupported" && e.encoding) {
    return new AppError("UNSUPPORTED_MEDIA_TYPE", String(e.message), { messageKey: "errors.unsupported_content_encoding", params: { encoding: e.encoding }, cause: err });
  }
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") {
    return new AppError("UNSUPPORTED_MEDIA_TYPE", String(e.message), { messageKey: "errors.unsupported_media_type", params: { type: e.message, expected: "UTF-8" }, cause: err });
  }
  if (err instanceof URIError) {
    return new AppError("BAD_REQUEST", String(e.message), { messageKey: "errors.bad_percent_encoding", cause: err });
  }
  if (isDecompressionError(e)) {
    return new AppError("BAD_REQUEST", `body does not decompress: ${e.message}`, { messageKey: "errors.bad_content_encoding", cause: err });
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError(codeForStatus(status), String(e.message), { messageKey: "errors.bad_request", cause: err });
  }
  return new AppError("INTERNAL", e.message ?? "unknown error", { messageKey: "errors.internal", cause: err });
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
