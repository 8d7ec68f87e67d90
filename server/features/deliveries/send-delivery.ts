import type { Db } from "../../db/prisma.ts";
import { scrubText } from "../../config/logger.ts";
import { ChannelError, type ChannelKind, type ChannelRegistry } from "../../domain/channel.ts";
import { ChannelFailure } from "../../domain/channel-failure.ts";
import type { DeliveryJob } from "../../jobs/delivery-queue.ts";
import type { ClaimedDelivery, DeliveryRows } from "./delivery-rows.ts";
import { fallOverDelivery } from "./fall-over-delivery.ts";
import { findRecipient } from "./find-recipient.ts";
import type { DirectiveContentCache } from "./load-outbound.ts";

/** After this many real attempts on one channel (429 waits do not count) the channel has failed. */
export const MAX_SEND_ATTEMPTS = 6;

export type SendOutcome =
  | { kind: "sent"; messageId: string }
  /** Another worker holds the delivery, it is final, or it has moved to another channel: nothing was sent. */
  | { kind: "skipped" }
  /** Not due for `waitMs` yet (a platform's retry_after, or our backoff): nothing was sent. */
  | { kind: "not_due"; waitMs: number }
  | { kind: "unreachable"; error: string }
  | { kind: "failed"; error: string }
  /** This channel failed for good; the delivery is queued on the next channel of the person's order. */
  | { kind: "fallback"; error: string; next: DeliveryJob }
  /** Try again later; `retryAfterMs` when the platform said how long to wait (429). */
  | { kind: "retry"; error: string; retryAfterMs?: number | undefined; followUp?: { attempt: number; delayMs: number } | undefined };

export type SendDeliveryOptions = {
  deliveryId: number;
  /** The channel the job was queued for; a row that moved on to another channel is left alone. */
  channel: ChannelKind;
  registry: ChannelRegistry;
  content: DirectiveContentCache;
  /** Claim and SENT writes, batched across concurrent sends (lease rules live there). */
  rows: DeliveryRows;
};

function backoffMs(attempts: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends one delivery, exactly the way the database says it should be sent.
 *
 * The row is claimed first (QUEUED/RETRYING → SENDING once due, or a SENDING row whose lease expired),
 * so two workers never send one delivery twice, a job that runs again after success sends nothing,
 * and nothing is sent before the time a platform's 429 named.
 * Every try is recorded as a DeliveryAttempt. A transient failure is tried again on the same
 * channel; a permanent one (blocked, never started, deactivated, Zalo's window closed with no
 * template, a refusal, retries used up) moves the delivery to the next channel of the person's
 * order. Every outcome is written back before this returns; the queue only carries ids.
 */
export async function sendDelivery(db: Db, { deliveryId, channel, registry, content, rows }: SendDeliveryOptions): Promise<SendOutcome> {
  const claim = await rows.claim(deliveryId, channel);
  if (claim.kind === "busy") return { kind: "skipped" };
  if (claim.kind === "not_due") return claim;
  const row = claim.row;

  const adapter = registry.get(row.channel);
  if (!adapter) {
    // Not the recipient's fault: put it back untouched; the sweep retries once the channel is configured.
    const error = `channel ${row.channel} is not configured`;
    await db.$executeRaw`UPDATE "Delivery" SET status = 'QUEUED', attempts = attempts - 1, "claimedAt" = NULL, "lastError" = ${error}, "updatedAt" = now() WHERE id = ${row.id}`;
    return { kind: "retry", error };
  }
  const message = await content.get(row.directiveId);
  if (!message) {
    const error = "directive missing";
    await db.$executeRaw`UPDATE "Delivery" SET status = 'FAILED', "claimedAt" = NULL, "lastError" = ${error}, "updatedAt" = now() WHERE id = ${row.id}`;
    return { kind: "failed", error };
  }
  if (!row.externalChatId) return giveUp(db, row, { status: "UNREACHABLE", error: "no chat id", messageKind: null, blocked: false }, registry);

  try {
    const recipient = adapter.wantsRecipient ? await findRecipient(db, row.personId, row.channel) : undefined;
    const sent = await adapter.sendDirective({ ...message, deliveryId: row.id, chatId: row.externalChatId, recipient });
    const messageKind = sent.messageKind ?? "BOT_MESSAGE";
    await rows.markSent(row.id, { messageId: sent.messageId, messageKind, billable: sent.billable ?? (messageKind === "BOT_MESSAGE" ? false : null) });
    return { kind: "sent", messageId: sent.messageId };
  } catch (err) {
    const e = err instanceof ChannelError ? err : new ChannelError(String((err as Error)?.message ?? err), { channel: row.channel, retryable: true, cause: err });
    // Kept on the row and shown to officers (recipients API, export): no token a platform error may quote.
    const error = scrubText(e.message).slice(0, 500);
    const messageKind = e.messageKind ?? null;
    if (e.unreachable) return giveUp(db, row, { status: "UNREACHABLE", error, messageKind, blocked: true }, registry);
    // Zalo OA's interaction window closed and no template message could carry it: reachable elsewhere, not blocked.
    if (e instanceof ChannelFailure && e.reason === "needs_template") return giveUp(db, row, { status: "UNREACHABLE", error, messageKind, blocked: false }, registry);
    const attempt = db.$executeRaw`
      INSERT INTO "DeliveryAttempt" ("deliveryId", channel, status, error, "messageKind", "externalChatId")
      VALUES (${row.id}, ${row.channel}::"Channel", 'RETRYING', ${error}, ${messageKind}::"MessageKind", ${row.externalChatId})`;
    if (e.retryable && e.retryAfterMs !== undefined) {
      // A flood wait is the platform pacing us, not a failed attempt (but it is a try, and recorded).
      const wait = e.retryAfterMs;
      await db.$transaction([
        db.$executeRaw`
          UPDATE "Delivery" SET status = 'RETRYING', attempts = attempts - 1, "claimedAt" = NULL, "lastError" = ${error},
                 "nextAttemptAt" = now() + ${wait} * interval '1 millisecond', "updatedAt" = now()
          WHERE id = ${row.id}`,
        attempt,
      ]);
      return { kind: "retry", error, retryAfterMs: wait };
    }
    if (e.retryable && row.attempts < MAX_SEND_ATTEMPTS) {
      const wait = backoffMs(row.attempts);
      await db.$transaction([
        db.$executeRaw`
          UPDATE "Delivery" SET status = 'RETRYING', "claimedAt" = NULL, "lastError" = ${error},
                 "nextAttemptAt" = now() + ${wait} * interval '1 millisecond', "updatedAt" = now()
          WHERE id = ${row.id}`,
        attempt,
      ]);
      return { kind: "retry", error, followUp: { attempt: row.attempts, delayMs: wait } };
    }
    return giveUp(db, row, { status: "FAILED", error, messageKind, blocked: false }, registry);
  }
}

/** This channel is done with the delivery: the next channel takes it, or it ends. */
async function giveUp(
  db: Db,
  row: ClaimedDelivery,
  f: { status: "UNREACHABLE" | "FAILED"; error: string; messageKind: ChannelError["messageKind"] | null; blocked: boolean },
  registry: ChannelRegistry,
): Promise<SendOutcome> {
  const result = await fallOverDelivery(db, {
    deliveryId: row.id,
    personId: row.personId,
    channel: row.channel,
    externalChatId: row.externalChatId,
    ...f,
    messageKind: f.messageKind ?? null,
    candidates: [...registry.keys()],
  });
  if (result.kind === "next") return { kind: "fallback", error: f.error, next: result.next };
  return result.status === "UNREACHABLE" ? { kind: "unreachable", error: f.error } : { kind: "failed", error: f.error };
}
