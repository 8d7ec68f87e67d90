/**
 * The inbound HTTP side of Telegram's webhook. Telegram resends an update until it gets a 2xx, so
 * anything that arrives with the right secret is answered 200, and what chidao cannot use (no JSON
 * content type, a body that is not JSON or does not decode, an update whose fields have the wrong
 * types, text PostgreSQL cannot store) is dropped with a log line instead of being resent forever.
 * Without the right secret the answer is 401 and the body is not even read.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../../server/config/logger.ts";
import { findUnstorableText } from "../../../server/domain/text.ts";
import type { InboxPipeline } from "../../conversation/inbox-pipeline.ts";
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import { toTelegramEvent } from "./telegram-event.ts";
import { TelegramUpdateSchema } from "./telegram-update.schema.ts";

export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** Telegram's updates are small; a megabyte holds any message with room to spare. */
const MAX_UPDATE_BYTES = 1024 * 1024;

export type TelegramWebhookOptions = {
  bot: Bot;
  secretToken: string;
  logger: Logger;
  /** The batched inbox the updates go through, and Telegram as the conversation core sees it. */
  pipeline: InboxPipeline;
  conversation: ConversationChannel;
};

/** Constant-time comparison of fixed-size digests, so the secret's length leaks nothing either. */
function secretMatches(header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(header), digest(secret));
}

/** Reads the body as bytes (any content type, any Content-Encoding it decodes); rejects with body-parser's error. */
function readBody(req: Request, res: Response): Promise<Buffer | undefined> {
  const raw = express.raw({ type: () => true, limit: MAX_UPDATE_BYTES });
  return new Promise((resolve, reject) => {
    raw(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error("unreadable body")) : resolve(Buffer.isBuffer(req.body) ? req.body : undefined)));
  });
}

/** Why an update is dropped, or the update itself. */
async function readUpdate(req: Request, res: Response): Promise<{ update: unknown } | { reason: string; detail?: unknown }> {
  const mediaType = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") return { reason: "not application/json", detail: mediaType || "(none)" };
  let body: Buffer | undefined;
  try {
    body = await readBody(req, res);
  } catch (err) {
    const e = err as { type?: string; message?: string };
    return { reason: "body unreadable", detail: e.type ?? e.message };
  }
  if (!body?.length) return { reason: "empty body" };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (err) {
    return { reason: "not JSON", detail: (err as Error).message };
  }
  const parsed = TelegramUpdateSchema.safeParse(json);
  if (!parsed.success) {
    const updateId = (json as { update_id?: unknown } | null)?.update_id;
    return { reason: "unexpected update shape", detail: { updateId, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) } };
  }
  const bad = findUnstorableText(parsed.data);
  if (bad) return { reason: "unstorable text", detail: bad };
  return { update: parsed.data };
}

/**
 * The webhook's request handler: checks the secret, reads and checks the update, and hands it to the
 * batched inbox (inbox-pipeline.ts). A button press is answered 200 once its effect is committed
 * (its callback answer and stamp follow), so Telegram's wait does not include our calls to it; a
 * message once its replies went out. A failure is logged and apologised for by the pipeline's
 * error handler, and still answered 200: the inbox keeps the update for another attempt.
 */
export function telegramWebhook({ bot, secretToken, logger, pipeline, conversation }: TelegramWebhookOptions): RequestHandler {
  const log = logger.child({ module: "telegram-webhook" });
  return async (req, res) => {
    if (!secretMatches(req.get(SECRET_HEADER), secretToken)) {
      res.status(401).json({ ok: false, description: "wrong secret token" });
      return;
    }
    const read = await readUpdate(req, res);
    if ("reason" in read) {
      log.warn({ reason: read.reason, detail: read.detail }, "telegram webhook post ignored");
      res.status(200).end();
      return;
    }
    const inbound = toTelegramEvent(read.update as Update, bot.botInfo.id);
    if (inbound) {
      const submitted = pipeline.submit(conversation, inbound.event, inbound.context);
      if (inbound.event.kind === "button") await submitted.committed.catch(() => {});
      else await submitted.replied;
    }
    res.status(200).end();
  };
}
