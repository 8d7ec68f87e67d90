/**
 * The inbound HTTP side of the Zalo OA: `POST /webhooks/zalo-oa`. The body is read as bytes and the
 * X-ZEvent-Signature checked over exactly those bytes before anything in it is parsed or trusted:
 * a missing, forged or stale signature is a 401 and changes nothing. A signed event is recorded in
 * the inbox and its effect committed before the 200 (Zalo resends on anything else, and the inbox
 * makes a resend harmless), in batches with the events of concurrent posts (inbox-pipeline.ts);
 * replies go out after. Signed but unusable bodies are a 200, logged and
 * dropped, so Zalo does not resend them forever.
 */
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import { parseJsonKeepingIds } from "../../../server/domain/parse-json-keeping-ids.ts";
import { findUnstorableText } from "../../../server/domain/text.ts";
import type { ConversationEvent } from "../../conversation/conversation-event.ts";
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import { createInboxPipeline } from "../../conversation/inbox-pipeline.ts";
import { parseZaloOaEvent } from "./parse-zalo-oa-event.ts";
import { verifyZaloOaSignature, type ZaloOaSignatureKeys } from "./verify-zalo-oa-signature.ts";

export const ZALO_OA_WEBHOOK_PATH = "/webhooks/zalo-oa";

/** Zalo's events are small; a megabyte holds any with room to spare. */
const MAX_EVENT_BYTES = 1024 * 1024;

export type ZaloOaWebhookOptions = {
  db: Db;
  logger: Logger;
  keys: ZaloOaSignatureKeys;
  conversation: ConversationChannel;
  /** Apologises to the person when an event failed (best effort). */
  apologise: (event: ConversationEvent) => Promise<void>;
  /** Inbox lease and the crash hook (tests). */
  leaseMs?: number | undefined;
  afterEffect?: ((event: ConversationEvent) => Promise<void>) | undefined;
};

function readRaw(req: Request, res: Response): Promise<Buffer> {
  const raw = express.raw({ type: () => true, limit: MAX_EVENT_BYTES });
  return new Promise((resolve, reject) => {
    raw(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error("unreadable body")) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))));
  });
}

/** The webhook's request handler. */
export function zaloOaWebhook(o: ZaloOaWebhookOptions): RequestHandler {
  const log = o.logger.child({ module: "zalo-oa-webhook" });
  const pipeline = createInboxPipeline({
    db: o.db,
    log,
    leaseMs: o.leaseMs,
    afterEffect: o.afterEffect,
    onError: (err, event) => {
      log.error({ err, key: event.dedupeKey }, "zalo oa event failed");
      if (event.kind === "text" || event.kind === "button") void o.apologise(event);
    },
  });
  return async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readRaw(req, res);
    } catch (err) {
      log.warn({ err: (err as { type?: string }).type ?? (err as Error).message }, "zalo oa webhook body unreadable");
      res.status(400).json({ error: "unreadable body" });
      return;
    }
    const check = verifyZaloOaSignature({ rawBody: raw, signature: req.get("x-zevent-signature"), timestampHeader: req.get("x-zevent-timestamp"), keys: o.keys });
    if (!check.ok) {
      log.warn({ reason: check.reason }, "zalo oa webhook refused");
      res.status(401).json({ error: "invalid signature" });
      return;
    }
    // Public descriptions of the formula disagree: which variant real traffic uses is worth seeing once.
    log.debug({ variant: check.variant }, "zalo oa signature verified");
    let body: unknown;
    try {
      body = parseJsonKeepingIds(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch (err) {
      log.warn({ err: (err as Error).message }, "zalo oa webhook post is not JSON; dropped");
      res.status(200).end();
      return;
    }
    const parsed = parseZaloOaEvent(body);
    if (!parsed.ok) {
      log.warn({ error: parsed.error }, "zalo oa event ignored");
      res.status(200).end();
      return;
    }
    const bad = findUnstorableText(parsed.events);
    if (bad) {
      log.warn({ detail: bad }, "zalo oa event with unstorable text dropped");
      res.status(200).end();
      return;
    }
    try {
      await Promise.all(parsed.events.map((event) => pipeline.submit(o.conversation, event).committed));
    } catch {
      // Kept in the inbox: Zalo's resend or the sweep finishes it.
      res.status(500).json({ error: "try again" });
      return;
    }
    res.status(200).end();
  };
}
