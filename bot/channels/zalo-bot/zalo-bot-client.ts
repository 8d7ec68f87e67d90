/**
 * A minimal client for the Zalo Bot Platform (`<base>/bot<token>/<method>`, Telegram-shaped: every
 * method a POST with a JSON body, answers `{ok, result}` or `{ok:false, error_code, description}`).
 * Text only: the platform has no buttons and no documents.
 */
import { z } from "zod";
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import { parseJsonKeepingIds } from "../../../server/domain/parse-json-keeping-ids.ts";
import { splitText } from "../../../server/domain/split-text.ts";
import { zaloBotFailure, zaloBotNetworkFailure } from "./to-zalo-bot-failure.ts";

/** The platform refuses text outside 1–2,000 characters. */
export const ZALO_BOT_TEXT_LIMIT = 2000;

const Id = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const Answer = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error_code: z.coerce.number(),
    description: z.string().default(""),
    parameters: z.object({ retry_after: z.coerce.number().optional() }).optional(),
  }),
]);
const BotInfo = z.object({ id: Id, account_name: z.string().optional(), account_type: z.string().optional() });
const Sent = z.object({ message_id: Id, date: Id.optional() });
const WebhookInfo = z.object({ url: z.string().default(""), updated_at: Id.optional() });

export type ZaloBotInfo = { id: string; accountName: string | undefined };

export type ZaloBotClientOptions = {
  token: string;
  /** e.g. https://bot-api.zaloplatforms.com */
  apiBase: string;
  /** Per call (a long poll gets its own timeout on top). Default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type ZaloBotClient = {
  getMe(signal?: AbortSignal): Promise<ZaloBotInfo>;
  /** Sends text (split at 2,000 characters); returns the parts' message ids in order. */
  sendMessage(chatId: string, text: string, signal?: AbortSignal): Promise<{ messageIds: string[] }>;
  /**
   * Waits up to `timeoutSeconds` for the next update; null when none came. The platform hands out
   * one update per call (not a list) and answers a quiet wait with error 408.
   */
  getUpdates(o?: { timeoutSeconds?: number; signal?: AbortSignal }): Promise<unknown | null>;
  /** The webhook; `secretToken` (8–256 characters) comes back in X-Bot-Api-Secret-Token. */
  setWebhook(url: string, secretToken: string, signal?: AbortSignal): Promise<void>;
  deleteWebhook(signal?: AbortSignal): Promise<void>;
  getWebhookInfo(signal?: AbortSignal): Promise<{ url: string }>;
};

/** Creates the client. */
export function createZaloBotClient(options: ZaloBotClientOptions): ZaloBotClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const root = `${options.apiBase.replace(/\/+$/, "")}/bot${options.token}`;

  async function call<S extends z.ZodType>(
    method: string,
    params: Record<string, unknown>,
    schema: S,
    o: { signal?: AbortSignal | undefined; timeoutMs?: number } = {},
  ): Promise<z.output<S>> {
    const timeout = AbortSignal.timeout(o.timeoutMs ?? timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await doFetch(`${root}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params), signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw zaloBotNetworkFailure(err);
    }
    let json: unknown;
    try {
      json = parseJsonKeepingIds(text);
    } catch {
      throw status >= 500 || status === 429 ? zaloBotFailure(status, text.slice(0, 200)) : zaloBotFailure(status >= 300 ? status : 502, `not JSON: ${text.slice(0, 200)}`);
    }
    const answer = Answer.safeParse(json);
    if (!answer.success) throw zaloBotFailure(status >= 300 ? status : 502, `unexpected answer ${text.slice(0, 200)}`);
    if (!answer.data.ok) throw zaloBotFailure(answer.data.error_code, answer.data.description, answer.data.parameters?.retry_after);
    const result = schema.safeParse(answer.data.result);
    if (!result.success) throw new ChannelFailure("ZALO_BOT", "rejected", `Zalo Bot ${method}: unexpected result ${JSON.stringify(answer.data.result).slice(0, 200)}`);
    return result.data;
  }

  return {
    async getMe(signal) {
      const me = await call("getMe", {}, BotInfo, { signal });
      return { id: me.id, accountName: me.account_name };
    },
    async sendMessage(chatId, text, signal) {
      const parts = splitText(text.normalize("NFC").replace(/\r\n?/g, "\n").trim(), ZALO_BOT_TEXT_LIMIT);
      const messageIds: string[] = [];
      for (const part of parts) messageIds.push((await call("sendMessage", { chat_id: chatId, text: part }, Sent, { signal })).message_id);
      return { messageIds };
    },
    async getUpdates(o = {}) {
      const seconds = o.timeoutSeconds ?? 30;
      try {
        // The platform holds the request up to `timeout` seconds; ours must outlast it.
        return await call("getUpdates", { timeout: String(seconds) }, z.unknown(), { signal: o.signal, timeoutMs: seconds * 1000 + timeoutMs });
      } catch (err) {
        if (err instanceof ChannelFailure && err.providerCode === 408) return null;
        throw err;
      }
    },
    async setWebhook(url, secretToken, signal) {
      if (secretToken.length < 8 || secretToken.length > 256) throw new ChannelFailure("ZALO_BOT", "rejected", "Zalo Bot: secret_token must be 8–256 characters");
      await call("setWebhook", { url, secret_token: secretToken }, z.unknown(), { signal });
    },
    async deleteWebhook(signal) {
      await call("deleteWebhook", {}, z.unknown(), { signal });
    },
    async getWebhookInfo(signal) {
      const info = await call("getWebhookInfo", {}, WebhookInfo, { signal });
      return { url: info.url };
    },
  };
}
