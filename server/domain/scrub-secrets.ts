/**
 * The rules that keep secrets out of everything chidao logs: bot tokens, webhook secrets, OAuth
 * tokens (Zalo's access/refresh tokens, app secret, PKCE verifier), passwords, credentials in URLs,
 * authorization and cookie headers, and chat link codes. Pure: the logger (server/config/logger.ts)
 * owns the one process-wide scrubber and wires it into pino.
 *
 * Three kinds of rule, applied wherever a value sits, however deeply nested:
 * - by key: a property whose name says "secret" (password, token, secret, authorization, cookie, …)
 *   loses its value whatever it is;
 * - by shape in text: `/bot<id>:<token>`, `scheme://user:pass@`, `access_token=…`, `"password":"…"`,
 *   `Authorization: …`, `Bearer …`, `/start <code>`, deep links' `?start=…`;
 * - by value: every secret registered at start-up (the configured token, webhook secret, database
 *   password, Zalo's secrets as they are issued), wherever it appears in any string.
 *
 * Errors become plain objects (type, message, stack, own properties, `cause` chains and
 * AggregateError's `errors`), scrubbed like everything else. Objects with nothing to scrub are
 * returned as they are (no copy): a log line without secrets costs a walk over its values and a few
 * substring searches per string (tests/unit/logger.test.ts prints the cost per line).
 */

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Property names whose values are secrets, whatever the value looks like. */
const SECRET_KEY =
  /passw(?:or)?d|passphrase|^pass$|^pwd$|secret|token|^(?:proxy-)?authori[sz]ation$|^(?:set-)?cookie$|^x-zevent-signature$|^mac$|api[-_]?key|private[-_]?key|code[-_]?verifier|link[-_]?code|credential/i;

/** Property names that hold a chat link code when their value has a link code's shape. */
const LINK_CODE_KEY = /^(?:code|text|match|start_?param|payload)$/i;

/**
 * A link code as create-link-code.ts makes them (base64url, 22 characters today; 16–64 is what the
 * bot accepts pasted). Mixed case or digits tell it from an error code such as ERR_STREAM_PREMATURE_CLOSE
 * and from a plain word.
 */
function looksLikeLinkCode(s: string): boolean {
  return s.length >= 16 && s.length <= 64 && /^[A-Za-z0-9_-]+$/.test(s) && /[a-z]/.test(s) && /[A-Z0-9_-]/.test(s);
}

/** Query or form parameters that carry a link code or an OAuth code only in a URL's query. */
const QUERY_ONLY_PARAM = /^(?:start|startgroup|startapp|code)$/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

// The textual rules. Each runs only when a cheap `includes` finds the text it needs, so a string
// without secrets costs a few substring searches (and repeated strings a cache lookup).

/** https://api.telegram.org/bot<id>:<token>/method (and the file API's /file/bot<id>:<token>/). */
const BOT_PATH = /\/bot(\d+):[^/\s?#"'\\<>]+/g;
/** A bare Telegram token in text: <bot id>:<35 characters>. */
const BARE_TOKEN = /(?<![\w:])(\d{5,12}):[A-Za-z0-9_-]{30,}/g;
/** scheme://user:password@host (also redis://:password@host). */
const USERINFO = /(?<![\w+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*):[^\s/?#@"'<>]*@/g;
/** "key": "value", as in an API's answer quoted in an error message. */
const JSON_PAIR = /"([\w-]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
/** Authorization: …, Cookie: … and the webhook secret headers, written out as text. */
const HEADER_LINE = /(?<![\w-])((?:proxy-)?authori[sz]ation|(?:set-)?cookie|x-telegram-bot-api-secret-token|x-zevent-signature|access_token)\s*:[ \t]*[^\r\n]*/gi;
const HEADER_HINT = /uthori|ookie|ecret-token|event-signature|ccess_token/i;
/** Bearer <credential>, Basic <credential>. */
const AUTH_SCHEME = /(?<![\w-])(Bearer|bearer|BEARER|Basic)\s+[A-Za-z0-9._~+/-]{6,}=*/g;
/** /start <link code> (also /start@bot <code>). */
const START_COMMAND = /(\/start(?:@\w+)?)[ \t]+[^\s"'<>]+/g;

const NAME_CHAR = /[\w-]/;
const VALUE_END = /[&\s#"'<>]/;

/**
 * name=value in URLs, forms and prose: the value goes when the name is a secret's, or a link or
 * OAuth code in a URL's query. A scan from each "=" rather than a regex: linear on long strings.
 */
function scrubParams(s: string): string {
  let out = "";
  let copied = 0;
  let eq = s.indexOf("=");
  while (eq !== -1) {
    let start = eq;
    while (start > 0 && eq - start < 64 && NAME_CHAR.test(s[start - 1]!)) start--;
    let end = eq + 1;
    while (end < s.length && !VALUE_END.test(s[end]!)) end++;
    const name = s.slice(start, eq);
    if (name && end > eq + 1 && /^[A-Za-z_]/.test(name)) {
      const before = start > 0 ? s[start - 1]! : "";
      if (isSecretKey(name) || (QUERY_ONLY_PARAM.test(name) && "?&;#".includes(before) && before !== "")) {
        out += s.slice(copied, eq + 1) + REDACTED;
        copied = end;
      }
    }
    eq = s.indexOf("=", Math.max(end, eq + 1));
  }
  return copied ? out + s.slice(copied) : s;
}

/** Every textual rule but registered values, each only when its hint is present. */
function scrubPatterns(s: string): string {
  if (s.includes("/bot")) s = s.replace(BOT_PATH, (_m, id: string) => `/bot${id}:${REDACTED}`);
  if (s.includes(":")) {
    s = s.replace(BARE_TOKEN, (_m, id: string) => `${id}:${REDACTED}`);
    if (s.includes("@") && s.includes("://")) s = s.replace(USERINFO, (_m, head: string) => `${head}:${REDACTED}@`);
    if (s.includes('"')) s = s.replace(JSON_PAIR, scrubJsonPair);
    if (HEADER_HINT.test(s)) s = s.replace(HEADER_LINE, (_m, name: string) => `${name}: ${REDACTED}`);
  }
  if (s.includes("/start")) s = s.replace(START_COMMAND, (_m, command: string) => `${command} ${REDACTED}`);
  if (s.includes("earer") || s.includes("EARER") || s.includes("Basic")) s = s.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  if (s.includes("=")) s = scrubParams(s);
  return s;
}

function scrubJsonPair(match: string, key: string, value: string): string {
  if (isSecretKey(key) || (LINK_CODE_KEY.test(key) && looksLikeLinkCode(value))) return `"${key}":"${REDACTED}"`;
  return match;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Registered secrets shorter than this are ignored: scrubbing "abc" everywhere would ruin logs and hide nothing. */
export const MIN_SECRET_LENGTH = 6;

/** How deep a logged value is followed; deeper values are replaced by "[…]" (the logger prints as deep). */
export const MAX_SCRUB_DEPTH = 10;

export type SecretScrubber = {
  /**
   * Registers a secret value to be scrubbed from every string from now on (also in its URL- and
   * JSON-encoded forms). With `slot`, a later value for the same slot replaces the one before last
   * (a rotating token such as Zalo's access token keeps its current and previous value).
   */
  addSecret(value: string | null | undefined, slot?: string): void;
  /** `s` with every secret replaced; the same string when it holds none. */
  text(s: string): string;
  /**
   * `v` with every secret replaced, at any depth; Errors become plain objects. Returns `v` itself
   * when nothing needed replacing and it holds no Error.
   */
  value(v: unknown): unknown;
  /** `line` with registered secrets replaced, for the final JSON text (escaped forms included). */
  line(line: string): string;
};

/** What a property's name says about its value. */
type KeyKind = "secret" | "maybe-link-code" | "plain";

const MAX_KEY_CACHE = 2000;
const MAX_CACHED = 4000;
const MAX_CACHED_LENGTH = 256;

/** Creates a scrubber with no registered secrets (the textual and key rules always apply). */
export function createSecretScrubber(): SecretScrubber {
  const anonymous = new Set<string>();
  const slots = new Map<string, string[]>();
  // Two regexes of the registered values: "g" to replace, and one without for tests (a global
  // regex carries lastIndex from call to call).
  let registered: { all: RegExp; any: RegExp } | null = null;
  const keyCache = new Map<string, KeyKind>();
  // Log lines repeat their strings (messages, module names, outcomes): scrub each once.
  const cache = new Map<string, string>();

  function rebuild(): void {
    const forms = new Set<string>();
    for (const value of [...anonymous, ...[...slots.values()].flat()]) {
      forms.add(value);
      forms.add(encodeURIComponent(value));
      // As it appears inside a JSON string (the final line): quotes and backslashes escaped.
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    const sorted = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    const source = sorted.map(escapeRegExp).join("|");
    registered = sorted.length ? { all: new RegExp(source, "g"), any: new RegExp(source) } : null;
    cache.clear();
  }

  function keyKind(key: string): KeyKind {
    let hit = keyCache.get(key);
    if (hit === undefined) {
      hit = isSecretKey(key) ? "secret" : LINK_CODE_KEY.test(key) ? "maybe-link-code" : "plain";
      if (keyCache.size < MAX_KEY_CACHE) keyCache.set(key, hit);
    }
    return hit;
  }

  function replaceRegistered(s: string): string {
    return registered?.any.test(s) ? s.replace(registered.all, REDACTED) : s;
  }

  function text(s: string): string {
    if (s.length < 5) return s;
    const cacheable = s.length <= MAX_CACHED_LENGTH;
    if (cacheable) {
      const hit = cache.get(s);
      if (hit !== undefined) return hit;
    }
    // Registered values first: a textual rule could cut a secret holding a space or '&' in two.
    let out = replaceRegistered(s);
    out = scrubPatterns(out);
    if (cacheable) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(s, out);
    }
    return out;
  }

  /**
   * A stack: the message part by every rule, the frames (file paths and function names) only for
   * registered values, which keeps an error's cost near its message's.
   */
  function stack(s: string): string {
    const frames = s.indexOf("\n    at ");
    if (frames === -1) return text(s);
    const tail = s.slice(frames);
    return text(s.slice(0, frames)) + replaceRegistered(tail);
  }

  /** The value of property `key`: redacted entirely by its name, or scrubbed as any value. */
  function property(key: string, v: unknown, depth: number, seen: object[]): unknown {
    if (v === undefined || v === null || typeof v === "boolean") return v;
    const kind = keyKind(key);
    if (kind === "secret") return REDACTED;
    if (typeof v === "string") return kind === "maybe-link-code" && looksLikeLinkCode(v) ? REDACTED : text(v);
    if (typeof v !== "object") return v;
    if (key === "rawHeaders" && Array.isArray(v)) return rawHeaders(v, depth, seen);
    return walk(v, depth, seen);
  }

  /** Node's rawHeaders: [name, value, name, value, …]. */
  function rawHeaders(v: unknown[], depth: number, seen: object[]): unknown[] {
    return v.map((item, i) => (i % 2 === 1 && typeof v[i - 1] === "string" ? property(v[i - 1] as string, item, depth + 1, seen) : walk(item, depth + 1, seen)));
  }

  function error(e: Error, depth: number, seen: object[]): Record<string, unknown> {
    seen.push(e);
    const out: Record<string, unknown> = {
      type: e.constructor?.name && e.constructor.name !== "Object" ? e.constructor.name : e.name,
      message: typeof e.message === "string" ? text(e.message) : walk(e.message, depth + 1, seen),
    };
    if (typeof e.stack === "string") out.stack = stack(e.stack);
    for (const key of Object.keys(e)) {
      if (key in out) continue;
      out[key] = property(key, (e as unknown as Record<string, unknown>)[key], depth + 1, seen);
    }
    if (e.cause !== undefined && !("cause" in out)) out.cause = walk(e.cause, depth + 1, seen);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && !("errors" in out)) out.errors = walk(errors, depth + 1, seen);
    seen.pop();
    return out;
  }

  function walk(v: unknown, depth: number, seen: object[]): unknown {
    if (typeof v === "string") return text(v);
    if (typeof v !== "object" || v === null) return v;
    if (depth >= MAX_SCRUB_DEPTH) return "[…]";
    if (seen.includes(v)) return "[Circular]";
    if (v instanceof Error) return error(v, depth, seen);
    if (v instanceof Date) return v;
    // Bytes are never worth logging and may hold anything (a body, a key): their size is enough.
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `[${v.byteLength} bytes]`;
    if (Array.isArray(v)) {
      seen.push(v);
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const scrubbed = walk(item, depth + 1, seen);
        if (scrubbed !== item) (out ??= v.slice())[i] = scrubbed;
      }
      seen.pop();
      return out ?? v;
    }
    if (typeof Headers !== "undefined" && v instanceof Headers) return walk(Object.fromEntries(v.entries()), depth, seen);
    if (v instanceof Map) return walk(Object.fromEntries(v), depth, seen);
    // URL and other objects that print as their toJSON (the logger's JSON would).
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") return walk((v as { toJSON(): unknown }).toJSON(), depth, seen);
    seen.push(v);
    let out: Record<string, unknown> | null = null;
    const record = v as Record<string, unknown>;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      const item = record[key];
      const scrubbed = property(key, item, depth + 1, seen);
      if (scrubbed !== item) (out ??= { ...record })[key] = scrubbed;
    }
    seen.pop();
    return out ?? v;
  }

  return {
    addSecret(value, slot) {
      if (!value || value.length < MIN_SECRET_LENGTH) return;
      if (slot === undefined) {
        if (anonymous.has(value)) return;
        anonymous.add(value);
      } else {
        const kept = slots.get(slot) ?? [];
        if (kept.includes(value)) return;
        slots.set(slot, [...kept.slice(-1), value]);
      }
      rebuild();
    },
    text,
    value: (v) => walk(v, 0, []),
    line(line) {
      return replaceRegistered(line);
    },
  };
}
