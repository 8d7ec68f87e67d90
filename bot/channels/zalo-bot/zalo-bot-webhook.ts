/**
 * The inbound HTTP side of the Zalo Bot: `POST /webhooks/zalo-bot`. The X-Bot-Api-Secret-Token is
 * checked before the body is read (401 and nothing changes otherwise); a text update is recorded and
 * its effect committed before the 200, and replies go out after. Unusable bodies that carry the
 * right secret are a 200, logged and dropped.
 */
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import { parseJsonKeepingIds } from "../../../server/domain/parse-json-keeping-ids.ts";
import { findUnstorableText } from "../../../server/domain/text.ts";
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import { receiveEvents } from "../../conversation/receive-events.ts";
import { parseZaloBotUpdate } from "./parse-zalo-bot-update.ts";
import { ZALO_BOT_SECRET_HEADER, verifyZaloBotSecret } from "./verify-zalo-bot-secret.ts";

export const ZALO_BOT_WEBHOOK_PATH = "/webhooks/zalo-bot";

const MAX_UPDATE_BYTES = 1024 * 1024;

export type ZaloBotInboundOptions = { db: Db; logger: Logger; conversation: ConversationChannel; apologise: (chatId: string) => Promise<void>; leaseMs?: number | undefined };

/**
 * Handles one update (webhook or polling): parses it and runs it through the inbox. Resolves once the
 * effect is committed; rejects when it failed before (the inbox keeps the event).
 */
export async function receiveZaloBotUpdate(o: ZaloBotInboundOptions, log: Logger, update: unknown): Promise<void> {
  const parsed = parseZaloBotUpdate(update);
  if (!parsed.ok) return void log.warn({ error: parsed.error }, "zalo bot update ignored");
  if (!parsed.event) return;
  const bad = findUnstorableText(parsed.event);
  if (bad) return void log.warn({ detail: bad }, "zalo bot update with unstorable text dropped");
  await receiveEvents({ db: o.db, log, leaseMs: o.leaseMs }, o.conversation, [parsed.event], (err, event) => {
    log.error({ err, key: event.dedupeKey }, "zalo bot update failed");
    void o.apologise(event.externalUserId);
  });
}

function readRaw(req: Request, res: Response): Promise<Buffer> {
  const raw = express.raw({ type: () => true, limit: MAX_UPDATE_BYTES });
  return new Promise((resolve, reject) => {
    raw(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error("unreadable body")) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))));
  });
}

/** The webhook's request handler. */
export function zaloBotWebhook(o: ZaloBotInboundOptions & { secret: string }): RequestHandler {
  const log = o.logger.child({ module: "zalo-bot-webhook" });
  return async (req, res) => {
    if (!verifyZaloBotSecret(req.get(ZALO_BOT_SECRET_HEADER), o.secret)) {
      res.status(401).json({ ok: false, description: "wrong secret token" });
      return;
    }
    let update: unknown;
    try {
      update = parseJsonKeepingIds(new TextDecoder("utf-8", { fatal: true }).decode(await readRaw(req, res)));
    } catch (err) {
      log.warn({ err: (err as Error).message }, "zalo bot webhook post unreadable; dropped");
      res.status(200).end();
      return;
    }
    try {
      await receiveZaloBotUpdate(o, log, update);
    } catch {
      res.status(500).json({ ok: false });
      return;
    }
    res.status(200).json({ ok: true });
  };
}
