/**
 * Inbound at least once, effect exactly once. Every event is recorded in the inbox before anything
 * is done about it; its effect and its DONE mark (with the replies decided) commit in one
 * transaction; the replies are sent after, and the event is marked answered. A crash before the
 * commit leaves the event RECEIVED, a crash after it leaves it DONE but unanswered: either way the
 * platform's redelivery or the sweep (sweep-inbox.ts) finishes it once its lease has passed. A
 * replay of an event that is DONE and answered changes nothing and sends nothing.
 */
import type { Logger } from "../../server/config/logger.ts";
import type { Db } from "../../server/db/prisma.ts";
import type { ChannelKind } from "../../server/domain/channel.ts";
import { claimInboxEvent, type InboxClaim } from "../../server/features/chat/claim-inbox-event.ts";
import { commitInboxEffect } from "../../server/features/chat/commit-inbox-effect.ts";
import { markInboxReplied, releaseInboxEvent } from "../../server/features/chat/settle-inbox-event.ts";
import type { ConversationEvent } from "./conversation-event.ts";
import { decideReplies } from "./decide-replies.ts";
import type { Reply } from "./reply.ts";

/** How a channel answers: what its adapter gives the conversation core. */
export type ConversationChannel = {
  readonly kind: ChannelKind;
  /** The platform's name as people say it ("Telegram", "Zalo"), in answers such as "this Telegram account is not linked". */
  readonly name: string;
  /**
   * Sends the replies to one event, in order, rendered in the platform's terms. `context` is what
   * the adapter stored with the event at receipt (chat, pressed message), given back as it was.
   * @throws when nothing useful reached the person (the caller then has the adapter apologise).
   */
  sendReplies(replies: Reply[], context: unknown, event: ConversationEvent): Promise<void>;
};

export type ConversationDeps = {
  db: Db;
  log: Logger;
  /** How long one attempt holds an event before another may take it over. Default 60 s. */
  leaseMs?: number | undefined;
  /** Runs between the effect's commit and the replies (tests simulate a crash there). */
  afterEffect?: ((event: ConversationEvent) => Promise<void>) | undefined;
};

export const DEFAULT_INBOX_LEASE_MS = 60_000;

/** What became of an event: processed now, already handled (or in hand elsewhere), or answered from an earlier attempt. */
export type InboundOutcome = "processed" | "duplicate" | "answered";

/**
 * Processes one inbound event on `channel`. Throws when the attempt failed (the event is left for
 * another attempt, or marked answered when only the replies failed): the adapter apologises then.
 */
export async function processInbound(deps: ConversationDeps, channel: ConversationChannel, event: ConversationEvent, context?: unknown): Promise<InboundOutcome> {
  const claim = await claimInboxEvent(deps.db, { channel: event.channel, key: event.dedupeKey, event, context, leaseMs: deps.leaseMs ?? DEFAULT_INBOX_LEASE_MS });
  if (!claim) {
    deps.log.info({ channel: event.channel, key: event.dedupeKey }, "duplicate inbound event ignored");
    return "duplicate";
  }
  return runInboxClaim(deps, channel, claim, event, context);
}

/** Finishes a claimed event: the effect (unless committed already), then the replies. */
export async function runInboxClaim(deps: ConversationDeps, channel: ConversationChannel, claim: InboxClaim, event: ConversationEvent, context: unknown): Promise<InboundOutcome> {
  const { db, log } = deps;
  let replies: Reply[];
  try {
    if (claim.phase === "effect") {
      const decided = await commitInboxEffect(db, claim.id, (tx) => decideReplies(tx, event, log, channel.name));
      if (decided === null) return "duplicate";
      replies = decided;
      await deps.afterEffect?.(event);
    } else {
      replies = claim.replies as Reply[];
    }
  } catch (err) {
    // Not a crash: give the lease back so a redelivery or the next sweep tries again soon.
    await releaseInboxEvent(db, claim.id, String((err as Error)?.message ?? err)).catch((e: unknown) => log.warn({ err: e }, "could not release an inbox event"));
    throw err;
  }
  if (!replies.length) return claim.phase === "effect" ? "processed" : "answered";
  try {
    await channel.sendReplies(replies, context, event);
  } finally {
    // Sent, or failed and about to be apologised for: either way the person has had an answer.
    await markInboxReplied(db, claim.id);
  }
  return claim.phase === "effect" ? "processed" : "answered";
}
