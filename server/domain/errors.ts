/**
 * chidao's one error type. Services throw {@link AppError}; the HTTP layer maps `code` to a status
 * and translates `messageKey` into the request's language. Never throw strings.
 */

export type AppErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

/** HTTP status for each code (documenso's table). */
export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** One problem with one field of the input, e.g. `{ path: "audience.under", messageKey: "errors.org_not_found" }`. */
export type FieldIssue = { path: string; messageKey?: string; message?: string; params?: Record<string, unknown> };

export type AppErrorOptions = {
  /** Locale key of the message shown to the user (locales/*.json). */
  messageKey?: string;
  params?: Record<string, unknown>;
  issues?: FieldIssue[];
  cause?: unknown;
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly messageKey: string | undefined;
  readonly params: Record<string, unknown>;
  readonly issues: FieldIssue[];

  /** @param message internal message (logs); the user sees `messageKey` translated. */
  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.messageKey = options.messageKey;
    this.params = options.params ?? {};
    this.issues = options.issues ?? [];
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

/** True when `err` is an {@link AppError}, optionally of `code`. */
export function isAppError(err: unknown, code?: AppErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
