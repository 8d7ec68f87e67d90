/**
 * A stand-in for Zalo's Official Account platform on loopback, so tests drive the real Zalo OA client
 * over HTTP. One server plays three hosts, told apart by a path prefix so a call sent to the wrong
 * host fails: `/openapi` (OA API: consultation messages, file upload, user detail, template by user
 * id), `/oauth` (OAuth v4 refresh, rotating a single-use refresh token) and `/business` (template
 * messages by phone). Like Zalo it answers application errors with HTTP 200 and `error ≠ 0`: -216 for
 * an unknown access token, -220 for an expired one, -230 outside the 7-day interaction window, -213
 * for someone who does not follow the OA, -244 for someone who blocked it, -210 for text over 2,000
 * characters, -32 over the rate limit. Template messages (paid, sent whatever the window) answer
 * -131 for a template not approved, -108 for a bad phone number, -136 without a billing account,
 * -115 without balance and -144 once the day's quota is used. A webhook driver signs events the way Zalo does.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { multipartBoundary, parseMultipart } from "../../server/http/body/parse-multipart.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const TEXT_LIMIT = 2000;
const FILE_LIMIT = 5 * 1024 * 1024;

export type FakeZaloUser = {
  userId: string;
  displayName: string;
  phone?: string;
  follower: boolean;
  blocked: boolean;
  /** Epoch ms of the person's last interaction with the OA; null = never. */
  lastInteractionAt: number | null;
};

export type FakeZaloSent = {
  messageId: string;
  userId: string;
  kind: "text" | "file" | "template";
  text?: string;
  buttons?: unknown[];
  quoteMessageId?: string;
  file?: { filename: string; size: number; contentType: string | null };
  template?: { templateId: string; data: Record<string, unknown>; by: "phone" | "user_id"; phone?: string; trackingId?: string };
  accessToken: string;
  at: number;
};

/** A scripted failure for the next request on a path: a Zalo code, an HTTP status, or a dropped connection. */
export type FakeZaloFailure = { error: number; message?: string } | { status: number; body?: string; retryAfter?: string } | { drop: true } | { delayMs: number };

export type FakeZaloCall = { path: string; accessToken: string | undefined; body: unknown; at: number };

export type SignVariant = { first?: "app_id" | "oa_id"; timestamp?: "body" | "header"; secret?: "oa_secret_key" | "app_secret" };

export type FakeZaloOaOptions = {
  /** Lifetime of issued access tokens, sent as the string `expires_in`. Default 90000 (25 h). */
  accessTtlSeconds?: number;
  /** More than `max` OA API calls in any `windowMs` get -32. */
  rateLimit?: { max: number; windowMs: number };
  /** Time the OAuth server takes to answer (widens race windows in tests). */
  oauthLatencyMs?: number;
  /** Runs before an OA or template call is handled, with the access token it carries. */
  onApiCall?: (path: string, accessToken: string | undefined) => Promise<void> | void;
};

/** The ZALO_OA_* settings that point chidao at `oa` with its first token pair (for loadConfig or a child's environment). */
export function zaloOaEnv(oa: FakeZaloOa): Record<string, string> {
  return {
    ZALO_OA_ID: oa.oaId,
    ZALO_OA_APP_ID: oa.appId,
    ZALO_APP_SECRET: oa.appSecret,
    ZALO_OA_SECRET_KEY: oa.oaSecretKey,
    ZALO_OA_ACCESS_TOKEN: oa.pair.accessToken,
    ZALO_OA_REFRESH_TOKEN: oa.pair.refreshToken,
    ZALO_OA_API_BASE: oa.apiBase,
    ZALO_OAUTH_BASE: oa.oauthBase,
    ZALO_TEMPLATE_API_BASE: oa.templateBase,
  };
}

export type FakeZaloOa = {
  apiBase: string;
  oauthBase: string;
  templateBase: string;
  appId: string;
  oaId: string;
  appSecret: string;
  oaSecretKey: string;
  /** The pair the stand-in honours now (the first one until a refresh). */
  readonly pair: { accessToken: string; refreshToken: string };
  stats: { rotations: number; refreshRefused: number; oauthCalls: number; sent: number; rejected: Record<string, number> };
  sent: FakeZaloSent[];
  calls: FakeZaloCall[];
  /** Approved templates by id, with their parameter names. */
  templates: Map<string, string[]>;
  /** The template account: billing linked, balance left, template messages left today (null: no limit). */
  zns: { billingLinked: boolean; balance: boolean; dailyQuota: number | null };
  /** Adds (or replaces) a person; by default a follower who wrote a minute ago. */
  addUser(userId: string, init?: Partial<FakeZaloUser>): FakeZaloUser;
  user(userId: string): FakeZaloUser | undefined;
  /** Every access token issued so far stops working: -220 (expired) or -216 (invalid). */
  expireAccessTokens(code?: -216 | -220): void;
  /** The OAuth server refuses every refresh from now on (as when an administrator revoked the app). */
  refuseRefresh(): void;
  /** An administrator grants access again: a new pair (what the API Explorer mints), refreshes work again. */
  grantNewPair(): { accessToken: string; refreshToken: string };
  failNext(path: string, failure: FakeZaloFailure): void;
  sentTo(userId: string): FakeZaloSent[];
  /** Builds a webhook request as Zalo would send it; `at` defaults to now. */
  signedEvent(event: Record<string, unknown>, o?: { variant?: SignVariant; at?: number }): { body: string; headers: Record<string, string> };
  /** POSTs a signed event to `url` and returns the status. */
  deliver(url: string, event: Record<string, unknown>, o?: { variant?: SignVariant; at?: number; headers?: Record<string, string> }): Promise<number>;
  /** Event bodies (a person's text and follow open the interaction window, as on Zalo). */
  events: {
    text(userId: string, text: string, at?: number): Record<string, unknown>;
    follow(userId: string, at?: number): Record<string, unknown>;
    unfollow(userId: string, at?: number): Record<string, unknown>;
    received(userId: string, msgId: string, at?: number): Record<string, unknown>;
    seen(userId: string, msgIds: string[], at?: number): Record<string, unknown>;
  };
  close(): Promise<void>;
};

const hex = (n: number) => randomBytes(n).toString("hex");

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The keys Zalo signs webhook events with (see {@link signZaloOaEvent}). */
export type ZaloOaSigningKeys = { appId: string; oaId: string; appSecret: string; oaSecretKey: string };

/**
 * Builds a webhook request as Zalo would send it: `mac=sha256(app_id + body + timestamp + OA secret key)`
 * (or one of the other documented variants); `at` defaults to the event's own time, else now. Exported
 * so a load generator in another process signs the way the stand-in does.
 */
export function signZaloOaEvent(
  keys: ZaloOaSigningKeys,
  event: Record<string, unknown>,
  o: { variant?: SignVariant; at?: number } = {},
): { body: string; headers: Record<string, string> } {
  const v = o.variant ?? {};
  // `at` overrides the event's own time: in the body, or in the header for the header variant.
  const ts = String(o.at ?? event.timestamp ?? Date.now());
  const body = JSON.stringify(v.timestamp === "header" ? event : { ...event, timestamp: ts });
  const first = v.first === "oa_id" ? keys.oaId : keys.appId;
  const secret = v.secret === "app_secret" ? keys.appSecret : keys.oaSecretKey;
  const mac = createHash("sha256")
    .update(first + body + ts + secret)
    .digest("hex");
  const headers: Record<string, string> = { "content-type": "application/json", "x-zevent-signature": `mac=${mac}` };
  if (v.timestamp === "header") headers["x-zevent-timestamp"] = ts;
  return { body, headers };
}

/** Starts the stand-in on 127.0.0.1 at a free port. */
export async function startFakeZaloOa(options: FakeZaloOaOptions = {}): Promise<FakeZaloOa> {
  const appId = "2845093718264500192";
  const oaId = "4318907742201887635";
  const appSecret = "app-secret-" + hex(8);
  const oaSecretKey = "oa-secret-key-" + hex(8);
  const ttl = options.accessTtlSeconds ?? 90_000;
  const tokens = new Map<string, { expiresAt: number; dead: -216 | -220 | null }>();
  let refreshToken = "rt-" + hex(12);
  let refuse = false;
  const issue = () => {
    const accessToken = "at-" + hex(12);
    tokens.set(accessToken, { expiresAt: Date.now() + ttl * 1000, dead: null });
    return accessToken;
  };
  let accessToken = issue();
  const users = new Map<string, FakeZaloUser>();
  const uploads = new Map<string, { filename: string; size: number; contentType: string | null }>();
  const failures = new Map<string, FakeZaloFailure[]>();
  const sent: FakeZaloSent[] = [];
  const calls: FakeZaloCall[] = [];
  const recent: number[] = [];
  const templates = new Map<string, string[]>();
  const zns: FakeZaloOa["zns"] = { billingLinked: true, balance: true, dailyQuota: null };
  const stats: FakeZaloOa["stats"] = { rotations: 0, refreshRefused: 0, oauthCalls: 0, sent: 0, rejected: {} };

  const zaloError = (error: number, message: string) => {
    stats.rejected[error] = (stats.rejected[error] ?? 0) + 1;
    return { error, message };
  };

  function checkToken(token: string | undefined, invalid = -216): { error: number; message: string } | null {
    const t = token ? tokens.get(token) : undefined;
    if (!t || t.dead === -216) return zaloError(invalid, "Access token is invalid");
    if (t.dead === -220 || t.expiresAt <= Date.now()) return zaloError(-220, "access_token is expired or removed");
    return null;
  }

  function overLimit(): boolean {
    if (!options.rateLimit) return false;
    const now = Date.now();
    while (recent.length && recent[0]! <= now - options.rateLimit.windowMs) recent.shift();
    if (recent.length >= options.rateLimit.max) return true;
    recent.push(now);
    return false;
  }

  /** Whether `userId` may receive a consultation message now; a Zalo error otherwise. */
  function reachable(userId: string): { error: number; message: string } | null {
    const u = users.get(userId);
    if (!u) return zaloError(-201, "user_id is invalid");
    if (u.blocked) return zaloError(-244, "User has restricted receiving this type of message");
    if (!u.follower) return zaloError(-213, "User has not followed OA");
    if (u.lastInteractionAt === null || Date.now() - u.lastInteractionAt > 7 * DAY_MS) return zaloError(-230, "User has not interacted with the OA in the past 7 days");
    return null;
  }

  function record(s: Omit<FakeZaloSent, "messageId" | "at">): { message_id: string } {
    const messageId = hex(16);
    sent.push({ ...s, messageId, at: Date.now() });
    stats.sent++;
    return { message_id: messageId };
  }

  async function oauth(path: string, headers: IncomingMessage["headers"], raw: Buffer): Promise<unknown> {
    stats.oauthCalls++;
    if (options.oauthLatencyMs) await new Promise((r) => setTimeout(r, options.oauthLatencyMs));
    if (path !== "/v4/oa/access_token") return { error: -14001, error_name: "Not found" };
    const form = new URLSearchParams(raw.toString("utf8"));
    const refuse_ = (error: number, description: string) => {
      stats.refreshRefused++;
      return { error, error_name: "Invalid parameter", error_description: description };
    };
    if (headers["secret_key"] !== appSecret) return refuse_(-14003, "Invalid secret key");
    if (form.get("app_id") !== appId) return refuse_(-14004, "Invalid app id");
    if (form.get("grant_type") !== "refresh_token") return refuse_(-14002, "Invalid grant type");
    // Single use: only the newest refresh token works.
    if (refuse || form.get("refresh_token") !== refreshToken) return refuse_(-14014, "Invalid refresh token");
    refreshToken = "rt-" + hex(12);
    accessToken = issue();
    stats.rotations++;
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: String(ttl) };
  }

  async function api(host: "openapi" | "business", path: string, token: string | undefined, req: IncomingMessage, raw: Buffer, url: URL): Promise<unknown> {
    const type = req.headers["content-type"] ?? "";
    let body: Record<string, unknown> = {};
    let file: { filename: string; size: number; contentType: string | null } | null = null;
    if (type.startsWith("application/json") && raw.length) body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    else if (type.startsWith("multipart/form-data")) {
      const part = parseMultipart(raw, multipartBoundary(type)).find((p) => p.name === "file" && p.filename !== null);
      if (part) file = { filename: part.filename!, size: part.data.length, contentType: part.contentType };
    }
    if (url.searchParams.has("data")) body = JSON.parse(url.searchParams.get("data")!) as Record<string, unknown>;
    calls.push({ path: `/${host}${path}`, accessToken: token, body, at: Date.now() });
    await options.onApiCall?.(`/${host}${path}`, token);
    const tokenError = checkToken(token, host === "business" ? -124 : -216);
    if (tokenError) return tokenError;
    if (overLimit()) return zaloError(-32, "The application has reached the API rate limit");

    const route = `${host}${path}`;
    if (route === "openapi/v3.0/oa/message/cs") {
      const userId = String((body.recipient as { user_id?: unknown } | undefined)?.user_id ?? "");
      const message = (body.message ?? {}) as { text?: string; quote_message_id?: string; attachment?: { type?: string; payload?: { buttons?: unknown[]; token?: string } } };
      const blocked = reachable(userId);
      if (blocked) return blocked;
      if (message.attachment?.type === "file") {
        const up = message.attachment.payload?.token ? uploads.get(message.attachment.payload.token) : undefined;
        if (!up) return zaloError(-100, "Attachment is expired or invalid");
        return { error: 0, message: "Success", data: { ...record({ userId, kind: "file", file: up, accessToken: token! }), user_id: userId } };
      }
      if (typeof message.text !== "string" || !message.text.length) return zaloError(-201, "Parameter message.text is invalid");
      if (message.text.length > TEXT_LIMIT) return zaloError(-210, "Parameter text exceeds the limit");
      const buttons = message.attachment?.payload?.buttons;
      if (buttons && buttons.length > 5) return zaloError(-201, "Parameter buttons is invalid");
      const r = record({
        userId,
        kind: "text",
        text: message.text,
        ...(buttons ? { buttons } : {}),
        ...(message.quote_message_id ? { quoteMessageId: message.quote_message_id } : {}),
        accessToken: token!,
      });
      return { error: 0, message: "Success", data: { ...r, user_id: userId, sent_time: String(Date.now()), quota: { quota_type: "reply", remain: "8", total: "8" } } };
    }
    if (route === "openapi/v2.0/oa/upload/file") {
      if (!file) return zaloError(-201, "Parameter file is invalid");
      if (file.size > FILE_LIMIT) return zaloError(-210, "File exceeds the limit");
      const t = hex(20);
      uploads.set(t, file);
      return { error: 0, message: "Success", data: { token: t } };
    }
    if (route === "openapi/v3.0/oa/user/detail") {
      const u = users.get(String(body.user_id ?? ""));
      if (!u) return zaloError(-201, "user_id is invalid");
      if (!u.follower) return zaloError(-213, "User has not followed OA");
      const d = u.lastInteractionAt ? new Date(u.lastInteractionAt) : null;
      const date = d ? `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}` : undefined;
      return {
        error: 0,
        message: "Success",
        data: {
          user_id: u.userId,
          user_id_by_app: "9" + u.userId.slice(1),
          display_name: u.displayName,
          user_is_follower: u.follower,
          user_last_interaction_date: date,
          shared_info: u.phone ? { phone: u.phone } : null,
        },
      };
    }
    if (route === "openapi/v3.0/oa/message/template" || route === "business/message/template") {
      const byPhone = host === "business";
      const params = templates.get(String(body.template_id ?? ""));
      if (!params) return zaloError(byPhone ? -131 : -201, "Template is not approved or does not exist");
      if (!zns.billingLinked) return zaloError(-136, "Zalo Cloud Account is not linked for billing");
      if (!zns.balance) return zaloError(-115, "Not enough balance");
      if (zns.dailyQuota !== null && zns.dailyQuota <= 0) return zaloError(-144, "Out of daily quota");
      const data = (body.template_data ?? {}) as Record<string, unknown>;
      if (params.some((p) => !(p in data))) return zaloError(-201, "template_data does not match the template");
      let userId: string;
      if (byPhone) {
        const phone = String(body.phone ?? "");
        if (!/^84\d{9}$/.test(phone)) return zaloError(-108, "Phone number is invalid");
        userId = [...users.values()].find((u) => u.phone === phone)?.userId ?? `phone:${phone}`;
        if (zns.dailyQuota !== null) zns.dailyQuota--;
        const r = record({
          userId,
          kind: "template",
          template: { templateId: String(body.template_id), data, by: "phone", phone, ...(body.tracking_id ? { trackingId: String(body.tracking_id) } : {}) },
          accessToken: token!,
        });
        return { error: 0, message: "Success", data: { msg_id: r.message_id, sent_time: String(Date.now()), quota: { dailyQuota: "500", remainingQuota: "499" } } };
      }
      userId = String(body.user_id ?? "");
      if (!users.has(userId)) return zaloError(-201, "user_id is invalid");
      if (users.get(userId)!.blocked) return zaloError(-244, "User has restricted receiving this type of message");
      if (zns.dailyQuota !== null) zns.dailyQuota--;
      const r = record({ userId, kind: "template", template: { templateId: String(body.template_id), data, by: "user_id" }, accessToken: token! });
      return { error: 0, message: "Success", data: { message_id: r.message_id, sent_time: String(Date.now()) } };
    }
    return zaloError(-201, `unknown endpoint ${route}`);
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/(openapi|oauth|business)(\/.*)$/.exec(url.pathname);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    readBody(req)
      .then(async (raw) => {
        if (!m) return reply(404, { error: -404, message: "Not found" });
        const [, host, path] = m as unknown as [string, "openapi" | "oauth" | "business", string];
        const list = failures.get(`/${host}${path}`);
        const fail = list?.shift();
        if (list && !list.length) failures.delete(`/${host}${path}`);
        if (fail && "delayMs" in fail) await new Promise((r) => setTimeout(r, fail.delayMs));
        else if (fail && "drop" in fail) return req.socket.destroy();
        else if (fail && "status" in fail) return reply(fail.status, fail.body ?? "upstream error", fail.retryAfter ? { "retry-after": fail.retryAfter } : {});
        else if (fail && "error" in fail) return reply(200, zaloError(fail.error, fail.message ?? `Error ${fail.error}`));
        if (host === "oauth") return reply(200, await oauth(path, req.headers, raw));
        const token = req.headers["access_token"];
        return reply(200, await api(host, path, typeof token === "string" ? token : undefined, req, raw, url));
      })
      .catch((err: Error) => reply(500, { error: -1, message: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signedEvent = (event: Record<string, unknown>, o: { variant?: SignVariant; at?: number } = {}) => signZaloOaEvent({ appId, oaId, appSecret, oaSecretKey }, event, o);

  const touch = (userId: string, at: number) => {
    const u = users.get(userId);
    if (u) u.lastInteractionAt = Math.max(u.lastInteractionAt ?? 0, at);
  };

  return {
    apiBase: `${root}/openapi`,
    oauthBase: `${root}/oauth`,
    templateBase: `${root}/business`,
    appId,
    oaId,
    appSecret,
    oaSecretKey,
    get pair() {
      return { accessToken, refreshToken };
    },
    stats,
    sent,
    calls,
    templates,
    zns,
    addUser(userId, init = {}) {
      const u: FakeZaloUser = { userId, displayName: `Người dùng ${userId.slice(-4)}`, follower: true, blocked: false, lastInteractionAt: Date.now() - 60_000, ...init };
      users.set(userId, u);
      return u;
    },
    user: (userId) => users.get(userId),
    expireAccessTokens(code = -220) {
      for (const t of tokens.values()) t.dead = code;
    },
    refuseRefresh() {
      refuse = true;
    },
    grantNewPair() {
      refuse = false;
      refreshToken = "rt-" + hex(12);
      accessToken = issue();
      return { accessToken, refreshToken };
    },
    failNext(path, failure) {
      const list = failures.get(path) ?? [];
      list.push(failure);
      failures.set(path, list);
    },
    sentTo: (userId) => sent.filter((s) => s.userId === userId),
    signedEvent,
    async deliver(url, event, o = {}) {
      const { body, headers } = signedEvent(event, o);
      const res = await fetch(url, { method: "POST", headers: { ...headers, ...o.headers }, body });
      await res.arrayBuffer();
      return res.status;
    },
    events: {
      text(userId, text, at = Date.now()) {
        touch(userId, at);
        return {
          app_id: appId,
          user_id_by_app: "9" + userId.slice(1),
          event_name: "user_send_text",
          timestamp: String(at),
          sender: { id: userId },
          recipient: { id: oaId },
          message: { text, msg_id: hex(16) },
        };
      },
      follow(userId, at = Date.now()) {
        const u = users.get(userId);
        if (u) u.follower = true;
        touch(userId, at);
        return { oa_id: oaId, follower: { id: userId }, user_id_by_app: "9" + userId.slice(1), event_name: "follow", source: "oa_profile", app_id: appId, timestamp: String(at) };
      },
      unfollow(userId, at = Date.now()) {
        const u = users.get(userId);
        if (u) u.follower = false;
        return { oa_id: oaId, follower: { id: userId }, user_id_by_app: "9" + userId.slice(1), event_name: "unfollow", source: "oa_profile", app_id: appId, timestamp: String(at) };
      },
      received: (userId, msgId, at = Date.now()) => ({
        app_id: appId,
        event_name: "user_received_message",
        timestamp: String(at),
        sender: { id: oaId },
        recipient: { id: userId },
        message: { msg_id: msgId },
      }),
      seen: (userId, msgIds, at = Date.now()) => ({
        app_id: appId,
        event_name: "user_seen_message",
        timestamp: String(at),
        sender: { id: oaId },
        recipient: { id: userId },
        message: { msg_ids: msgIds },
      }),
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
