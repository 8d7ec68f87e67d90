/**
 * The one place that reads the environment. Every variable is validated with zod at start-up; a
 * missing or bad value stops the process with a message naming the variable.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { findPasswordWeakness, MIN_PASSWORD_LENGTH } from "../domain/password-policy.ts";
import { parseTemplateParams, TEMPLATE_FIELDS } from "../domain/template-params.ts";

const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());

// Webhook secrets are the only thing standing between the internet and our inbox: short ones are refused.
// 256 is the Bot Platform's limit on secret_token.
const webhookSecret = z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "at least 16 characters").max(256).optional());

/** Variables that, when any is set, switch the Zalo OA on; it then needs them all but the access token. */
const ZALO_OA_KEYS = ["ZALO_OA_ID", "ZALO_OA_APP_ID", "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY", "ZALO_OA_REFRESH_TOKEN"] as const;

const EnvObject = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** PostgreSQL; when unset an embedded PostgreSQL is started with its data under DATA_DIR. */
  DATABASE_URL: optionalUrl,
  /** Redis for BullMQ; when unset BullMQ runs on its PostgreSQL backend in the same database. */
  REDIS_URL: optionalUrl,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL; when set Telegram runs by webhook at PUBLIC_URL/webhooks/telegram. */
  PUBLIC_URL: optionalUrl,
  TELEGRAM_BOT_TOKEN: optionalString,
  /** Telegram allows 1–256 characters of A-Z a-z 0-9 _ -; like every webhook secret we take no fewer than 16. */
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .min(16, "at least 16 characters")
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "at most 256 characters of A-Z a-z 0-9 _ -")
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  /** Messages per second for broadcasts (Telegram allows about 30); 0 disables our limiter. */
  TELEGRAM_RATE_LIMIT: z.coerce.number().min(0).default(30),
  ADMIN_EMAIL: z.preprocess((v) => (v === "" ? undefined : v), z.email().optional()),
  /** Checked by the password policy (length, known defaults) in the refinement below. */
  ADMIN_PASSWORD: optionalString,
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client address (sign-in limits key on it). */
  TRUST_PROXY: z
    .string()
    .default("loopback")
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (parsed === null) {
        ctx.addIssue({
          code: "custom",
          message:
            'false, a number of proxy hops, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and CIDR ranges ("true" would let any client choose its address)',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  /** Where the embedded PostgreSQL keeps its data. */
  DATA_DIR: z.string().default("./data"),
  /** Port of the embedded PostgreSQL (used only without DATABASE_URL). */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Which roles this process runs: everything, the HTTP server and bot only, or the workers only. */
  CHIDAO_ROLE: z.enum(["all", "web", "worker"]).default("all"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Isolates this deployment's queues in a shared Redis (key prefix) or PostgreSQL (schema bullmq_<prefix>). */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, "lower-case letters, digits and _")
    .default("chidao"),
  /** How often the sweep re-enqueues deliveries the queue lost. */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
  /** Deliveries one worker process sends at once. */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  /** A delivery claimed longer ago than this by a worker that never finished is sent again. */
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Largest request body accepted (JSON, CSV, XLSX). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  /** Optional PKCS#12 used to sign issued documents on the server. */
  SIGNING_P12_PATH: optionalString,
  SIGNING_P12_PASSWORD: z.string().default(""),
  /**
   * How long an issue request waits for the server's signature after the number is committed;
   * past it the answer says the signature is pending and signing goes on (0: never wait).
   */
  SIGNING_WAIT_SECONDS: z.coerce.number().min(0).max(120).default(5),
  /** Where certificate batches keep their files (print PDF, ZIP, lists); web and worker processes must share it. Default: DATA_DIR/certificates. */
  CERTIFICATES_DIR: optionalString,
  /** Largest emblem or logo an office may upload for its certificates. */
  EMBLEM_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Folder searched first for the document fonts (Liberation Serif), before Debian's. */
  CHIDAO_FONT_DIR: optionalString,
  /** Zalo Official Account id (its follow link is https://zalo.me/<id>); with the keys below, switches the OA on. */
  ZALO_OA_ID: optionalString,
  /** The Zalo app (developers.zalo.me) the OA granted access to. */
  ZALO_OA_APP_ID: optionalString,
  /** The app's secret, sent to Zalo's OAuth server when the access token is refreshed. */
  ZALO_APP_SECRET: optionalString,
  /** The OA secret key that signs webhook events (X-ZEvent-Signature). */
  ZALO_OA_SECRET_KEY: webhookSecret,
  /** The first access/refresh pair; later pairs live in the database (the refresh token rotates). */
  ZALO_OA_ACCESS_TOKEN: optionalString,
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_OA_API_BASE: z.url().default("https://openapi.zalo.me"),
  ZALO_OAUTH_BASE: z.url().default("https://oauth.zaloapp.com"),
  ZALO_TEMPLATE_API_BASE: z.url().default("https://business.openapi.zalo.me"),
  /** Zalo OA requests per second across all workers (Zalo allows 4,000 a minute per app); 0 disables our limiter. */
  ZALO_OA_RATE_LIMIT: z.coerce.number().min(0).default(50),
  /** The office's approved template message, sent outside the 7-day interaction window; unset: fall back to the next channel instead. */
  ZALO_OA_TEMPLATE_ID: optionalString,
  /** Which directive field fills which template parameter: "param=field,…" (fields: title, body, issuer, deadline, directive_id, recipient_name). */
  ZALO_OA_TEMPLATE_PARAMS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((v) => parseTemplateParams(v) !== null, `"param=field,…" with fields among ${TEMPLATE_FIELDS.join(", ")}, each parameter once`)
      .optional(),
  ),
  /** How the template message is addressed: by the principal's phone number (ZNS) or by their OA user id (ZBS). */
  ZALO_OA_TEMPLATE_BY: z.enum(["phone", "user_id"]).default("phone"),
  /** Zalo Bot Platform token ("<bot id>:<secret>"); unset, the Zalo bot is off. */
  ZALO_BOT_TOKEN: optionalString,
  ZALO_BOT_API_BASE: z.url().default("https://bot-api.zaloplatforms.com"),
  /**
   * The bot's own link, as Zalo Bot Creator shows it for sharing (the Bot Platform has no link that
   * carries a code, and getMe gives no link): given as `zalo_bot_url` with every link code.
   */
  ZALO_BOT_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional()),
  /** Secret the Bot Platform sends back in X-Bot-Api-Secret-Token; required with PUBLIC_URL. */
  ZALO_BOT_WEBHOOK_SECRET: webhookSecret,
  /** Zalo bot messages per second across all workers; 0 disables our limiter. */
  ZALO_BOT_RATE_LIMIT: z.coerce.number().min(0).default(20),
});

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** `false`, a hop count, or a list of proxy-addr names, addresses and CIDRs; null when `value` is none of these. */
function parseTrustProxy(value: string): false | number | string[] | null {
  const v = value.trim();
  if (v === "false") return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = v.split(",").map((p) => p.trim());
  const valid = parts.every((part) => {
    if (PROXY_NAMES.has(part)) return true;
    const [address = "", bits, ...rest] = part.split("/");
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  return valid && parts.length > 0 ? parts : null;
}

/** Every variable chidao reads. */
export const ENV_KEYS = Object.keys(EnvObject.shape);

export const EnvSchema = EnvObject.superRefine((env, ctx) => {
  if (env.PUBLIC_URL && env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set" });
  }
  if (env.PUBLIC_URL && env.ZALO_BOT_TOKEN && !env.ZALO_BOT_WEBHOOK_SECRET) {
    ctx.addIssue({ code: "custom", path: ["ZALO_BOT_WEBHOOK_SECRET"], message: "required when PUBLIC_URL and ZALO_BOT_TOKEN are set" });
  }
  // A half-configured OA is a mistake to report, not a channel to switch off silently.
  if (ZALO_OA_KEYS.some((k) => env[k]) || env.ZALO_OA_ACCESS_TOKEN) {
    for (const k of ZALO_OA_KEYS) if (!env[k]) ctx.addIssue({ code: "custom", path: [k], message: "required when the Zalo OA is configured" });
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    ctx.addIssue({ code: "custom", path: [env.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"], message: "ADMIN_EMAIL and ADMIN_PASSWORD go together" });
  }
  const weakness = env.ADMIN_PASSWORD ? findPasswordWeakness(env.ADMIN_PASSWORD, { email: env.ADMIN_EMAIL }) : null;
  if (weakness) {
    const message =
      weakness === "too_short" ? `at least ${MIN_PASSWORD_LENGTH} characters` : "a known default, a keyboard run, the application's name or the e-mail itself; choose another";
    ctx.addIssue({ code: "custom", path: ["ADMIN_PASSWORD"], message });
  }
});

export type Config = Readonly<z.infer<typeof EnvSchema>>;

/** Thrown when the environment is invalid; its message lists every bad variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * The document fonts' folder override (CHIDAO_FONT_DIR). Fonts load on first use, also in processes
 * that never load the configuration (tests, benches, template validation), so it is read on its own.
 */
export function fontDirOverride(source: Record<string, string | undefined> = process.env): string | undefined {
  return EnvObject.shape.CHIDAO_FONT_DIR.parse(source.CHIDAO_FONT_DIR);
}

/**
 * Parses `source` (by default the process environment) into a frozen {@link Config}.
 * @throws ConfigError naming each missing or invalid variable.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return Object.freeze(parsed.data);
}
