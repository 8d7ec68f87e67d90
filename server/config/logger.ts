/** Root pino logger. Secrets (tokens, authorization headers, passwords) are redacted. */
import { pino, type Logger } from "pino";

export type { Logger };

/** Creates the root logger at `level`. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: ["req.headers.authorization", "token", "password", "*.password", "*.token"],
  });
}
