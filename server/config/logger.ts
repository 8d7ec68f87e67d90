/**
 * Root pino logger, and the one secret scrubber that every logger of the process uses (children
 * inherit it): the merging object, child bindings, the message and its arguments, and — as a last
 * pass over each finished line — every secret registered at start-up. The rules live in
 * server/domain/scrub-secrets.ts.
 */
import { format } from "node:util";
import createDebug from "debug";
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { createSecretScrubber, MAX_SCRUB_DEPTH } from "../domain/scrub-secrets.ts";
import type { Config } from "./env.ts";

export type { Logger };

/** The process-wide scrubber: registered secrets reach every logger, whenever it was created. */
const scrubber = createSecretScrubber();

/** A Telegram bot token: `<bot id>:<secret>`. */
const TELEGRAM_TOKEN = /^\d+:(.{6,})$/;

/**
 * Registers a secret to be scrubbed from every log line from now on, in every logger. Call it as
 * soon as a secret is known: configuration is registered by {@link registerConfigSecrets}; a secret
 * obtained at run time (a Zalo access token from a refresh, say) is registered under a `slot`, so
 * that each new value replaces the one before the previous (both stay scrubbed while in flight).
 * @example registerSecret(tokens.access_token, "zalo.access_token")
 */
export function registerSecret(value: string | null | undefined, slot?: string): void {
  // A Telegram token's bot id is public (getMe tells anyone): keeping it makes lines say which bot.
  const telegram = value ? TELEGRAM_TOKEN.exec(value) : null;
  scrubber.addSecret(telegram ? telegram[1] : value, slot);
}

/** Configuration keys whose values are secrets; a new variable named like these is covered without a change here. */
const SECRET_CONFIG_KEY = /TOKEN|SECRET|PASSWORD|PASSPHRASE|PRIVATE_KEY|API_KEY|_KEY$/;

/**
 * Registers every secret in the configuration: each variable named as a secret (TELEGRAM_BOT_TOKEN,
 * TELEGRAM_WEBHOOK_SECRET, SIGNING_P12_PASSWORD, ADMIN_PASSWORD, ZALO_APP_SECRET, …) and the
 * password of every URL (DATABASE_URL, REDIS_URL).
 */
export function registerConfigSecrets(config: Config | Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== "string" || !value) continue;
    if (SECRET_CONFIG_KEY.test(key)) registerSecret(value);
    else if (value.includes("://")) registerUrlSecrets(value);
  }
}

/** Registers the password (and a user name that is a token) in a URL such as `redis://:pw@host`. */
export function registerUrlSecrets(url: string | null | undefined): void {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.password) {
    registerSecret(parsed.password);
    registerSecret(safeDecode(parsed.password));
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `value` as it may be printed: secrets replaced, errors as plain objects (for output that is not a pino line). */
export function scrubForLog(value: unknown): unknown {
  return scrubber.value(value);
}

/** `text` with every secret replaced (for output that is not a pino line, such as a start-up message). */
export function scrubText(text: string): string {
  return scrubber.text(text);
}

/** The arguments of a log call, as pino's logMethod hook receives them. */
type LogArgs = Parameters<NonNullable<NonNullable<LoggerOptions["hooks"]>["logMethod"]>>;

/**
 * Scrubs what pino would take as the message: string arguments, objects interpolated into it, and
 * the message pino takes from a logged error when none is given (`logger.error(err)`,
 * `logger.error({ err })`), which pino reads before any formatter runs.
 */
function scrubArgs(args: LogArgs[0]): LogArgs[0] {
  let out: unknown[] = args;
  const first = args[0];
  if (first instanceof Error) {
    out = [{ err: first }, ...args.slice(1)];
    if (out.length === 1) out.push(first.message);
  } else if (args.length === 1 && first && typeof first === "object") {
    const err = (first as { err?: unknown; msg?: unknown }).err;
    if ((first as { msg?: unknown }).msg === undefined && err && typeof (err as Error).message === "string") out = [first, (err as Error).message];
  }
  for (let i = 0; i < out.length; i++) {
    const arg = out[i];
    const scrubbed = typeof arg === "string" ? scrubber.text(arg) : i > 0 && arg && typeof arg === "object" ? scrubber.value(arg) : arg;
    if (scrubbed !== arg) {
      if (out === args) out = [...args];
      out[i] = scrubbed;
    }
  }
  return out as LogArgs[0];
}

/** pino options that route everything a logger writes through the process's scrubber. */
const scrubbing: Pick<LoggerOptions, "formatters" | "hooks" | "serializers" | "depthLimit"> = {
  formatters: {
    log: (object) => scrubber.value(object) as Record<string, unknown>,
  },
  // pino's own err serializer would take our plain error objects for errors again.
  serializers: { err: (err: unknown) => scrubber.value(err) },
  hooks: {
    logMethod(args, method) {
      method.apply(this, scrubArgs(args));
    },
    streamWrite: (line) => scrubber.line(line),
  },
  // Error causes nest: print as deep as the scrubber follows.
  depthLimit: MAX_SCRUB_DEPTH,
};

/**
 * grammY (and other libraries) print through the `debug` package when DEBUG names them, and
 * grammY prints its raw errors there, request URL and bot token included: the same scrubber
 * stands between `debug` and stderr.
 */
function scrubDebugOutput(): void {
  createDebug.log = (...args: unknown[]) => void process.stderr.write(`${scrubber.text(format(...args))}\n`);
}

/**
 * Creates the root logger at `level`, writing JSON lines to stdout or to `destination` (tests).
 * Every child logger inherits the scrubbing.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  scrubDebugOutput();
  const options: LoggerOptions = { level, ...scrubbing };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino gives a child's bindings to no formatter (formatters.bindings is for the root's pid and
  // hostname only), so they are scrubbed on the way in; children are created from this object and
  // inherit the wrapper, at any depth.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the logger (or a child of it) as `this`
  const child = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, childOptions) {
    return child.call(this, scrubber.value(bindings) as typeof bindings, childOptions);
  } as Logger["child"];
  return logger;
}
