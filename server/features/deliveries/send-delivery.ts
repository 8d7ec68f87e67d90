import type { Db } from "../../db/prisma.ts";
import { scrubText } from "../../config/logger.ts";
import { ChannelError, type ChannelRegistry } from "../../domain/channel.ts";
import type { DeliveryRows } from "./delivery-rows.ts";
import type { DirectiveContentCache } from "./load-outbound.ts";

/** After this many real attempts (429 waits do not count) a delivery is FAILED. */
export const MAX_SEND_ATTEMPTS = 6;

export type SendOutcome =
  | { kind: "sent"; messageId: string }
  /** Another worker holds the delivery, or it is already final: nothing was sent. */
  | { kind: "skipped" }
  /** Not due for `waitMs` yet (a platform's retry_after, or our backoff): nothing was sent. */
  | { kind: "not_due"; waitMs: number }
  | { kind: "unreachable"; error: string }
  | { kind: "failed"; error: string }
  /** Try again later; `retryAfterMs` when the platform said how long to wait (429). */
  | { kind: "retry"; error: string; retryAfterMs?: number | undefined; followUp?: { attempt: number; delayMs: number } | undefined };

export type SendDeliveryOptions = {
  deliveryId: number;
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
 * Every outcome is written back to the row before this returns; the queue only carries ids.
 */
export async function sendDelivery(db: Db, { deliveryId, registry, content, rows }: SendDeliveryOptions): Promise<SendOutcome> {
  const claim = await rows.claim(deliveryId);
  if (claim.kind === "busy") return { kind: "skipped" };
  if (claim.kind === "not_due") return claim;
  const row = claim.row;

  const adapter = registry.get(row.channel);
  const message = await content.get(row.directiveId);
  if (!adapter || !message || !row.externalChatId) {
    const error = !adapter ? `channel ${row.channel} is not configured` : !message ? "directive missing" : "no chat id";
    if (!adapter) {
      // Not the recipient's fault: put it back untouched; the sweep retries once the channel is configured.
      await db.$executeRaw`UPDATE "Delivery" SET status = 'QUEUED', attempts = attempts - 1, "claimedAt" = NULL, "lastError" = ${error}, "updatedAt" = now() WHERE id = ${row.id}`;
      return { kind: "retry", error };
    }
    await db.$executeRaw`UPDATE "Delivery" SET status = 'FAILED', "claimedAt" = NULL, "lastError" = ${error}, "updatedAt" = now() WHERE id = ${row.id}`;
    return { kind: "failed", error };
  }

  try {
    const { messageId } = await adapter.sendDirective({ ...message, deliveryId: row.id, chatId: row.externalChatId });
    await rows.markSent(row.id, messageId);
    return { kind: "sent", messageId };
  } catch (err) {
    const e = err instanceof ChannelError ? err : new ChannelError(String((err as Error)?.message ?? err), { channel: row.channel, retryable: true, cause: err });
    // Kept on the row and shown to officers (recipients API, export): no token a platform error may quote.
    const error = scrubText(e.message).slice(0, 500);
    if (e.unreachable) {
      await db.$transaction([
        db.$executeRaw`UPDATE "Delivery" SET status = 'UNREACHABLE', "claimedAt" = NULL, "lastError" = ${error}, "updatedAt" = now() WHERE id = ${row.id}`,
        db.$executeRaw`UPDATE "ChatIdentity" SET "blockedAt" = now(), "updatedAt" = now() WHERE channel = ${row.channel}::"Channel" AND "externalId" = ${row.externalChatId}`,
      ]);
      return { kind: "unreachable", error };
    }
    if (e.retryable && e.retryAfterMs !== undefined) {
      // A flood wait is the platform pacing us, not a failed attempt.
      const wait = e.retryAfterMs;
      await db.$executeRaw`
        UPDATE "Delivery" SET status = 'RETRYING', attempts = attempts - 1, "claimedAt" = NULL, "lastError" = ${error},
               "nextAttemptAt" = now() + ${wait} * interval '1 millisecond', "updatedAt" = now()
        WHERE id = ${row.id}`;
      return { kind: "retry", error, retryAfterMs: wait };
    }
    if (e.retryable && row.attempts < MAX_SEND_ATTEMPTS) {
      const wait = backoffMs(row.attempts);
      await db.$executeRaw`
        UPDATE "Delivery" SET status = 'RETRYING', "claimedAt" = NULL, "lastError" = ${error},
               "nextAttemptAt" = now() + ${wait} * interval '1 millisecond', "updatedAt" = now()
        WHERE id = ${row.id}`;
      return { kind: "retry", error, followUp: { attempt: row.attempts, delayMs: wait } };
    }
    await db.$executeRaw`UPDATE "Delivery" SET status = 'FAILED', "claimedAt" = NULL, "lastError" = ${error}, "updatedAt" = now() WHERE id = ${row.id}`;
    return { kind: "failed", error };
  }
}
