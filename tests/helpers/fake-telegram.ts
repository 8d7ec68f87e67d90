/**
 * A stand-in for the Telegram Bot API on loopback, so tests and benchmarks exercise the real grammY
 * client and our adapter over HTTP. It speaks the methods chidao uses (getMe, getUpdates, setWebhook,
 * deleteWebhook, getWebhookInfo, sendMessage, sendDocument, answerCallbackQuery, editMessageText,
 * editMessageReplyMarkup, setMyCommands), parses HTML like Telegram does (bad markup is a 400, text
 * over 4096 characters is a 400), and can answer 429 with retry_after and 403 like the real server.
 * Updates that a test "types" are queued for getUpdates or, once a webhook is set, POSTed to it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { multipartBoundary, parseMultipart } from "../../server/http/body/parse-multipart.ts";

export type FakeCall = { method: string; params: Record<string, unknown>; at: number };
export type FakeError = { error_code: number; description?: string; retry_after?: number };
export type FakeEntity = { type: string; offset: number; length: number; url?: string };
export type FakeMessage = {
  message_id: number;
  chat: { id: number; type: "private"; first_name?: string };
  from?: { id: number; is_bot: boolean; first_name: string; username?: string };
  date: number;
  text?: string;
  caption?: string;
  entities?: FakeEntity[];
  reply_markup?: unknown;
  document?: { file_id: string; file_unique_id: string; file_name?: string; file_size: number };
  edit_date?: number;
};

export type FakeTelegramOptions = {
  /** Bot token the stand-in accepts (others get 401). */
  token?: string;
  username?: string;
  /** Enforce Telegram's global sending limit: more than `perSecond` sends in any sliding second gets a 429. */
  rateLimit?: { perSecond: number };
  /** Keep every call's parameters (tests); off keeps only counts (benchmarks). Default true. */
  recordCalls?: boolean;
  /** Artificial latency of each send, in milliseconds (the real API answers in tens of ms). */
  latencyMs?: number;
  /** Answer this share of sends 429 with `retryAfterSeconds` (seeded, so a run can be replayed). */
  flood?: { share: number; retryAfterSeconds: number; seed?: number };
  /** Keep, per chat, when each send was answered and how (see {@link ChatEvent}); on with `flood`. */
  chatLog?: boolean;
  /** Listen on this port (a test that first finds the Bot API unreachable there); default any free port. */
  port?: number;
};

/** One send to a chat: when its request arrived, and how the stand-in answered it (`code` 200, 429 with its retry_after, or another error). */
export type ChatEvent = { at: number; code: number; retryAfter?: number };

export type FakeTelegram = {
  apiRoot: string;
  token: string;
  username: string;
  calls: FakeCall[];
  stats: { sent: number; rejected429: number; rejected403: number; rejectedOther: number; firstSentAt: number | null; lastSentAt: number | null };
  /** Messages the bot sent or edited, by `${chatId}:${messageId}`. */
  messages: Map<string, FakeMessage>;
  webhook: { url: string; secret: string | undefined } | null;
  /** Sends per chat, in order, when `chatLog` or `flood` is set. */
  chatLog: Map<string, ChatEvent[]>;
  /** Status codes the webhook answered, in order. */
  webhookResponses: number[];
  /** Calls answered per method (also when `recordCalls` is off). */
  counts: Record<string, number>;
  /** Enforces (or, with null, stops enforcing) Telegram's sliding-second limit from now on. */
  setRateLimit(limit: { perSecond: number } | null): void;
  /** A user writes `text` in chat `chatId`; returns the update id. */
  sendText(chatId: number | string, text: string): number;
  /** A user sends a command such as "/start abc". */
  sendCommand(chatId: number | string, command: string): number;
  /** A user presses an inline button under the bot's message. */
  pressButton(chatId: number | string, messageId: number, data: string): number;
  /** Queues a raw update (assigns update_id when missing) — for redelivery tests. */
  pushUpdate(update: Record<string, unknown>): number;
  /** The next call of `method` fails with `error`. */
  failNext(method: string, error: FakeError): void;
  /** Sends to this chat get 403 "bot was blocked by the user" from now on. */
  blockChat(chatId: number | string): void;
  /** Messages the bot sent to `chatId` (after edits), oldest first. */
  messagesTo(chatId: number | string): FakeMessage[];
  /** Calls of one method. */
  callsOf(method: string): FakeCall[];
  /** Resolves when `pred()` is truthy; rejects after `timeoutMs`. */
  waitFor<T>(pred: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
};

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

type Parsed = { text: string; entities: FakeEntity[] };

const TAGS: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  code: "code",
  pre: "pre",
  a: "text_link",
  "tg-spoiler": "spoiler",
  blockquote: "blockquote",
};
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Parses Telegram's HTML parse mode the way the server does: unknown tags or bare `<`/`&` are errors. */
export function parseTelegramHtml(html: string): Parsed {
  let text = "";
  const entities: FakeEntity[] = [];
  const open: { tag: string; offset: number; url?: string }[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "<") {
      const end = html.indexOf(">", i);
      if (end < 0) throw new Error("Bad Request: can't parse entities: unclosed start tag");
      const raw = html.slice(i + 1, end).trim();
      i = end + 1;
      if (raw.startsWith("/")) {
        const name = raw.slice(1).trim().toLowerCase();
        const top = open.pop();
        if (!top || top.tag !== name) throw new Error(`Bad Request: can't parse entities: unexpected end tag ${name}`);
        const length = text.length - top.offset;
        if (length > 0) entities.push({ type: TAGS[name]!, offset: top.offset, length, ...(top.url ? { url: top.url } : {}) });
        continue;
      }
      const m = /^([a-z-]+)(?:\s+href\s*=\s*"([^"]*)")?$/i.exec(raw);
      const name = m?.[1]?.toLowerCase();
      if (!m || !name || !TAGS[name]) throw new Error(`Bad Request: can't parse entities: unsupported start tag "${raw}"`);
      open.push({ tag: name, offset: text.length, ...(m[2] ? { url: m[2] } : {}) });
      continue;
    }
    if (ch === "&") {
      const end = html.indexOf(";", i);
      const name = end > 0 ? html.slice(i + 1, end) : "";
      let decoded: string | undefined = ENTITIES[name];
      if (!decoded && /^#\d{1,7}$/.test(name)) decoded = String.fromCodePoint(Number(name.slice(1)));
      if (!decoded && /^#x[0-9a-f]{1,6}$/i.test(name)) decoded = String.fromCodePoint(parseInt(name.slice(2), 16));
      if (!decoded) throw new Error(`Bad Request: can't parse entities: unsupported entity "&${name}"`);
      text += decoded;
      i = end + 1;
      continue;
    }
    text += ch;
    i++;
  }
  if (open.length) throw new Error(`Bad Request: can't parse entities: unclosed tag ${open[open.length - 1]!.tag}`);
  entities.sort((a, b) => a.offset - b.offset);
  return { text, entities };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers["content-type"] ?? "";
  const url = new URL(req.url ?? "/", "http://x");
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (!body.length) return params;
  if (type.startsWith("application/json")) return { ...params, ...(JSON.parse(body.toString("utf8")) as Record<string, unknown>) };
  if (type.startsWith("multipart/form-data")) {
    const parts = parseMultipart(body, multipartBoundary(type));
    const files = new Map(parts.filter((p) => p.filename !== null).map((p) => [p.name, p]));
    for (const p of parts) {
      if (p.filename !== null) continue;
      const value = p.data.toString("utf8");
      // grammY sends objects (reply_markup) as JSON strings and files as attach://<name>.
      if (value.startsWith("attach://")) {
        const file = files.get(value.slice("attach://".length));
        params[p.name] = file ? { filename: file.filename, size: file.data.length, bytes: file.data } : value;
      } else if (/^[[{]/.test(value)) {
        try {
          params[p.name] = JSON.parse(value);
        } catch {
          params[p.name] = value;
        }
      } else params[p.name] = value;
    }
    for (const [name, file] of files) if (!(name in params)) params[name] = { filename: file.filename, size: file.data.length, bytes: file.data };
    return params;
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) };
}

/** Starts the stand-in on 127.0.0.1 at a free port. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? "123456:TEST-token_for_chidao";
  const username = options.username ?? "chidao_test_bot";
  const record = options.recordCalls ?? true;
  const calls: FakeCall[] = [];
  const stats: FakeTelegram["stats"] = { sent: 0, rejected429: 0, rejected403: 0, rejectedOther: 0, firstSentAt: null, lastSentAt: null };
  const messages = new Map<string, FakeMessage>();
  const failures = new Map<string, FakeError[]>();
  const blocked = new Set<string>();
  const pendingUpdates: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  const webhookResponses: number[] = [];
  const counts: Record<string, number> = {};
  let rateLimit = options.rateLimit;
  let webhook: FakeTelegram["webhook"] = null;
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let nextCallbackId = 1;
  // Send times inside the last second, for the sliding-window limit (a ring would be faster; 30/s is tiny).
  const recentSends: number[] = [];
  const chatLog = new Map<string, ChatEvent[]>();
  const logChats = Boolean(options.chatLog || options.flood);
  const logChat = (chatId: string, event: ChatEvent) => {
    if (!logChats) return;
    const list = chatLog.get(chatId);
    if (list) list.push(event);
    else chatLog.set(chatId, [event]);
  };
  // mulberry32: a tiny seeded generator, so a flood run can be replayed.
  let seed = (options.flood?.seed ?? 42) >>> 0;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const now = () => Math.floor(Date.now() / 1000);

  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };

  async function postToWebhook(update: Record<string, unknown>): Promise<void> {
    const hook = webhook;
    if (!hook) return;
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(hook.secret ? { "x-telegram-bot-api-secret-token": hook.secret } : {}) },
        body: JSON.stringify(update),
      });
      webhookResponses.push(res.status);
      await res.arrayBuffer();
    } catch {
      webhookResponses.push(0);
    }
  }

  function pushUpdate(update: Record<string, unknown>): number {
    const full = { update_id: update.update_id ?? nextUpdateId++, ...update };
    // Telegram's ids only grow; later updates must not fall below an id a test chose.
    nextUpdateId = Math.max(nextUpdateId, (full.update_id as number) + 1);
    if (webhook) void postToWebhook(full);
    else {
      pendingUpdates.push(full);
      wake();
    }
    return full.update_id as number;
  }

  const user = (chatId: number) => ({ id: chatId, is_bot: false, first_name: `Người dùng ${chatId}`, language_code: "vi" });

  function sendText(chatId: number | string, text: string): number {
    const id = Number(chatId);
    return pushUpdate({ message: { message_id: nextMessageId++, from: user(id), chat: { id, type: "private", first_name: user(id).first_name }, date: now(), text } });
  }

  function sendCommand(chatId: number | string, command: string): number {
    const id = Number(chatId);
    const length = command.split(" ")[0]!.length;
    return pushUpdate({
      message: { message_id: nextMessageId++, from: user(id), chat: { id, type: "private" }, date: now(), text: command, entities: [{ type: "bot_command", offset: 0, length }] },
    });
  }

  function pressButton(chatId: number | string, messageId: number, data: string): number {
    const id = Number(chatId);
    const message = messages.get(`${id}:${messageId}`) ?? { message_id: messageId, chat: { id, type: "private" as const }, date: now(), text: "" };
    return pushUpdate({ callback_query: { id: String(nextCallbackId++), from: user(id), message, chat_instance: `ci-${id}`, data } });
  }

  function takeFailure(method: string): FakeError | undefined {
    const list = failures.get(method);
    const f = list?.shift();
    if (list && !list.length) failures.delete(method);
    return f;
  }

  /** Applies the sliding-second limit; returns retry_after seconds when over. */
  function overLimit(): number | null {
    if (!rateLimit) return null;
    const t = Date.now();
    while (recentSends.length && recentSends[0]! <= t - 1000) recentSends.shift();
    if (recentSends.length >= rateLimit.perSecond) return 1;
    recentSends.push(t);
    return null;
  }

  function parseOutgoing(params: Record<string, unknown>, field: "text" | "caption", max: number): Parsed {
    const raw = String(params[field] ?? "");
    const parsed =
      params.parse_mode === "HTML" ? parseTelegramHtml(raw) : { text: raw, entities: (params[`${field === "text" ? "" : "caption_"}entities`] as FakeEntity[] | undefined) ?? [] };
    if (field === "text" && !parsed.text.trim()) throw new Error("Bad Request: message text is empty");
    if (parsed.text.length > max) throw new Error(`Bad Request: message ${field === "text" ? "text" : "caption"} is too long`);
    return parsed;
  }

  type Answer = { ok: true; result: unknown } | ({ ok: false } & FakeError & { parameters?: { retry_after: number } });

  async function handle(method: string, params: Record<string, unknown>): Promise<Answer> {
    const fail = takeFailure(method);
    if (fail) {
      if (fail.error_code === 429) stats.rejected429++;
      else if (fail.error_code === 403) stats.rejected403++;
      else stats.rejectedOther++;
      return {
        ok: false,
        error_code: fail.error_code,
        description: fail.description ?? `Error ${fail.error_code}`,
        ...(fail.retry_after ? { parameters: { retry_after: fail.retry_after } } : {}),
      };
    }
    switch (method) {
      case "getMe":
        return {
          ok: true,
          result: {
            id: Number(token.split(":")[0]),
            is_bot: true,
            first_name: "chidao",
            username,
            can_join_groups: false,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          },
        };
      case "setWebhook":
        webhook = { url: String(params.url), secret: params.secret_token === undefined ? undefined : String(params.secret_token) };
        for (const u of pendingUpdates.splice(0)) void postToWebhook(u);
        return { ok: true, result: true };
      case "deleteWebhook":
        webhook = null;
        if (params.drop_pending_updates) pendingUpdates.length = 0;
        return { ok: true, result: true };
      case "getWebhookInfo":
        return { ok: true, result: { url: webhook?.url ?? "", has_custom_certificate: false, pending_update_count: pendingUpdates.length } };
      case "setMyCommands":
      case "setMyDescription":
        return { ok: true, result: true };
      case "getUpdates": {
        if (webhook)
          return { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" };
        const offset = Number(params.offset ?? 0);
        const limit = Math.min(Number(params.limit ?? 100), 100);
        const timeoutMs = Math.min(Number(params.timeout ?? 0), 50) * 1000;
        // Telegram forgets updates below the offset the client confirmed.
        while (pendingUpdates.length && (pendingUpdates[0]!.update_id as number) < offset) pendingUpdates.shift();
        if (!pendingUpdates.length && timeoutMs > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            waiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
          while (pendingUpdates.length && (pendingUpdates[0]!.update_id as number) < offset) pendingUpdates.shift();
        }
        return { ok: true, result: pendingUpdates.slice(0, limit) };
      }
      case "sendMessage":
      case "sendDocument": {
        const chatId = String(params.chat_id ?? "");
        if (!/^-?\d+$/.test(chatId)) {
          stats.rejectedOther++;
          return { ok: false, error_code: 400, description: "Bad Request: chat not found" };
        }
        const arrived = Date.now();
        const flooded = options.flood && random() < options.flood.share ? options.flood.retryAfterSeconds : null;
        const retryAfter = flooded ?? overLimit();
        if (retryAfter !== null) {
          stats.rejected429++;
          logChat(chatId, { at: arrived, code: 429, retryAfter });
          return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
        }
        if (blocked.has(chatId)) {
          stats.rejected403++;
          logChat(chatId, { at: arrived, code: 403 });
          return { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" };
        }
        if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
        const message: FakeMessage = { message_id: nextMessageId++, chat: { id: Number(chatId), type: "private" }, date: now() };
        if (method === "sendMessage") {
          const { text, entities } = parseOutgoing(params, "text", MAX_TEXT);
          message.text = text;
          if (entities.length) message.entities = entities;
        } else {
          const doc = params.document as { filename?: string; size?: number } | string | undefined;
          if (!doc) throw new Error("Bad Request: there is no document in the request");
          const { text, entities } = params.caption ? parseOutgoing(params, "caption", MAX_CAPTION) : { text: "", entities: [] };
          if (text) message.caption = text;
          if (entities.length) message.entities = entities;
          message.document =
            typeof doc === "string"
              ? { file_id: doc, file_unique_id: doc, file_size: 0 }
              : { file_id: `file-${message.message_id}`, file_unique_id: `u-${message.message_id}`, file_name: doc.filename ?? "file", file_size: doc.size ?? 0 };
        }
        if (params.reply_markup) message.reply_markup = params.reply_markup;
        messages.set(`${chatId}:${message.message_id}`, message);
        logChat(chatId, { at: arrived, code: 200 });
        stats.sent++;
        stats.lastSentAt = Date.now();
        stats.firstSentAt ??= stats.lastSentAt;
        return { ok: true, result: message };
      }
      case "answerCallbackQuery":
        return { ok: true, result: true };
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const key = `${params.chat_id}:${params.message_id}`;
        const message = messages.get(key);
        if (!message) return { ok: false, error_code: 400, description: "Bad Request: message to edit not found" };
        if (method === "editMessageText") {
          const { text, entities } = parseOutgoing(params, "text", MAX_TEXT);
          if (text === message.text && JSON.stringify(params.reply_markup ?? null) === JSON.stringify(message.reply_markup ?? null))
            return {
              ok: false,
              error_code: 400,
              description:
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
            };
          message.text = text;
          if (entities.length) message.entities = entities;
          else delete message.entities;
        }
        if (params.reply_markup) message.reply_markup = params.reply_markup;
        else delete message.reply_markup;
        message.edit_date = now();
        return { ok: true, result: message };
      }
      default:
        return { ok: false, error_code: 404, description: "Not Found: method not found" };
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? "");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!m) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    if (m[1] !== token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2]!;
    readBody(req)
      .then(async (params) => {
        if (record) {
          // Keep document bytes out of the call log; tests look at names and sizes.
          const logged = { ...params };
          if (logged.document && typeof logged.document === "object") {
            const { bytes: _b, ...rest } = logged.document as Record<string, unknown>;
            logged.document = rest;
          }
          calls.push({ method, params: logged, at: Date.now() });
        }
        counts[method] = (counts[method] ?? 0) + 1;
        try {
          const answer = await handle(method, params);
          reply(answer.ok ? 200 : answer.error_code, answer);
        } catch (err) {
          stats.rejectedOther++;
          reply(400, { ok: false, error_code: 400, description: (err as Error).message });
        }
      })
      .catch((err: Error) => reply(400, { ok: false, error_code: 400, description: `Bad Request: ${err.message}` }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    username,
    calls,
    stats,
    messages,
    get webhook() {
      return webhook;
    },
    chatLog,
    webhookResponses,
    counts,
    setRateLimit(limit) {
      rateLimit = limit ?? undefined;
      recentSends.length = 0;
    },
    sendText,
    sendCommand,
    pressButton,
    pushUpdate,
    failNext(method, error) {
      const list = failures.get(method) ?? [];
      list.push(error);
      failures.set(method, list);
    },
    blockChat(chatId) {
      blocked.add(String(chatId));
    },
    messagesTo(chatId) {
      return [...messages.values()].filter((m) => String(m.chat.id) === String(chatId)).sort((a, b) => a.message_id - b.message_id);
    },
    callsOf(method) {
      return calls.filter((c) => c.method === method);
    },
    async waitFor(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = pred();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`fake Telegram: condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
