/**
 * A stand-in for the Zalo Bot Platform on loopback (`/bot<token>/<method>`, every method a POST with
 * JSON), so tests drive the real Zalo Bot client over HTTP. It speaks getMe, sendMessage (1–2,000
 * characters), getUpdates (one update per call; 408 when the long poll ends empty; refused while a
 * webhook is set), setWebhook (secret_token 8–256 characters), deleteWebhook and getWebhookInfo.
 * Updates a test "types" are queued for getUpdates or, once a webhook is set, POSTed to it with
 * X-Bot-Api-Secret-Token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeZaloBotMessage = { message_id: string; chat_id: string; text: string; date: number };
export type FakeZaloBotError = { error_code: number; description?: string; retry_after?: number };

export type FakeZaloBot = {
  apiBase: string;
  token: string;
  calls: { method: string; params: Record<string, unknown>; at: number }[];
  sent: FakeZaloBotMessage[];
  webhook: { url: string; secret: string } | null;
  webhookResponses: number[];
  /** A person writes `text` to the bot; returns the update's message id. */
  sendText(chatId: string, text: string): string;
  failNext(method: string, error: FakeZaloBotError): void;
  /** Sends to this chat are refused (403) from now on. */
  blockChat(chatId: string): void;
  sentTo(chatId: string): FakeZaloBotMessage[];
  close(): Promise<void>;
};

/** Starts the stand-in on 127.0.0.1 at a free port. */
export async function startFakeZaloBot(o: { token?: string } = {}): Promise<FakeZaloBot> {
  const token = o.token ?? "1234567890:zalo-bot-test-secret";
  const calls: FakeZaloBot["calls"] = [];
  const sent: FakeZaloBotMessage[] = [];
  const pending: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  const failures = new Map<string, FakeZaloBotError[]>();
  const blocked = new Set<string>();
  const webhookResponses: number[] = [];
  let webhook: FakeZaloBot["webhook"] = null;
  let nextId = 7_000_000_000_000_000_000n;

  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };

  async function post(update: Record<string, unknown>): Promise<void> {
    const hook = webhook!;
    try {
      const res = await fetch(hook.url, { method: "POST", headers: { "content-type": "application/json", "x-bot-api-secret-token": hook.secret }, body: JSON.stringify(update) });
      webhookResponses.push(res.status);
      await res.arrayBuffer();
    } catch {
      webhookResponses.push(0);
    }
  }

  type Answer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after: number } };

  async function handle(method: string, p: Record<string, unknown>): Promise<Answer> {
    const fail = failures.get(method)?.shift();
    if (fail)
      return {
        ok: false,
        error_code: fail.error_code,
        description: fail.description ?? `Error ${fail.error_code}`,
        ...(fail.retry_after ? { parameters: { retry_after: fail.retry_after } } : {}),
      };
    switch (method) {
      case "getMe":
        return { ok: true, result: { id: token.split(":")[0], account_name: "chidao_bot", account_type: "BASIC", can_join_groups: false } };
      case "sendMessage": {
        const chatId = String(p.chat_id ?? "");
        const text = typeof p.text === "string" ? p.text : "";
        if (!chatId) return { ok: false, error_code: 400, description: "Bad Request: chat_id is required" };
        if (!text.length || text.length > 2000) return { ok: false, error_code: 400, description: "Bad Request: text must be 1-2000 characters" };
        if (blocked.has(chatId)) return { ok: false, error_code: 403, description: "Forbidden: the user blocked the bot" };
        const m = { message_id: String(nextId++), chat_id: chatId, text, date: Date.now() };
        sent.push(m);
        return { ok: true, result: { message_id: m.message_id, date: m.date } };
      }
      case "getUpdates": {
        if (webhook) return { ok: false, error_code: 409, description: "Conflict: webhook is active" };
        const ms = Math.min(Number(p.timeout ?? 30), 5) * 1000;
        if (!pending.length && ms > 0)
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, ms);
            waiters.push(() => (clearTimeout(t), resolve()));
          });
        const next = pending.shift();
        return next ? { ok: true, result: next } : { ok: false, error_code: 408, description: "Request Timeout" };
      }
      case "setWebhook": {
        const secret = String(p.secret_token ?? "");
        if (!/^https?:\/\//.test(String(p.url ?? ""))) return { ok: false, error_code: 400, description: "Bad Request: url is invalid" };
        if (secret.length < 8 || secret.length > 256) return { ok: false, error_code: 400, description: "Bad Request: secret_token must be 8-256 characters" };
        webhook = { url: String(p.url), secret };
        for (const u of pending.splice(0)) void post(u);
        wake();
        return { ok: true, result: { url: webhook.url, updated_at: Date.now() } };
      }
      case "deleteWebhook":
        webhook = null;
        return { ok: true, result: { url: "", updated_at: Date.now() } };
      case "getWebhookInfo":
        return { ok: true, result: { url: webhook?.url ?? "", updated_at: Date.now() } };
      default:
        return { ok: false, error_code: 404, description: "Not Found: method not found" };
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    const reply = (body: Answer) => {
      res.writeHead(body.ok ? 200 : body.error_code === 408 ? 200 : body.error_code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!m) return reply({ ok: false, error_code: 404, description: "Not Found" });
      if (m[1] !== token) return reply({ ok: false, error_code: 401, description: "Unauthorized" });
      let params: Record<string, unknown> = {};
      try {
        const raw = Buffer.concat(chunks).toString("utf8");
        params = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return reply({ ok: false, error_code: 400, description: "Bad Request: body is not JSON" });
      }
      calls.push({ method: m[2]!, params, at: Date.now() });
      handle(m[2]!, params).then(reply, (err: Error) => reply({ ok: false, error_code: 500, description: err.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    calls,
    sent,
    get webhook() {
      return webhook;
    },
    webhookResponses,
    sendText(chatId, text) {
      const id = String(nextId++);
      const update = {
        event_name: "message.text.received",
        message: {
          message_id: id,
          date: String(Date.now()),
          text,
          chat: { id: chatId, chat_type: "PRIVATE" },
          from: { id: chatId, display_name: `Người dùng ${chatId.slice(-4)}` },
        },
      };
      if (webhook) void post(update);
      else {
        pending.push(update);
        wake();
      }
      return id;
    },
    failNext(method, error) {
      const list = failures.get(method) ?? [];
      list.push(error);
      failures.set(method, list);
    },
    blockChat(chatId) {
      blocked.add(chatId);
    },
    sentTo: (chatId) => sent.filter((s) => s.chat_id === chatId),
    async close() {
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
