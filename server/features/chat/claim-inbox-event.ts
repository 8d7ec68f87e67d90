import type { Db, Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/** What the caller must do with an inbox event it holds. */
export type InboxClaim =
  /** Recorded now, or taken over from an attempt whose lease passed: run the effect. */
  | { id: number; phase: "effect" }
  /** The effect is committed but its replies were never sent (a crash in between): send these. */
  | { id: number; phase: "reply"; replies: unknown };

/**
 * Records an inbound event before anything is done about it, and leases it to the caller for
 * `leaseMs`. Null when there is nothing to do: the event is done and answered, failed for good, or
 * another attempt holds its lease (the sweep takes it over once the lease has passed, should that
 * attempt have died). Of concurrent deliveries of one event exactly one gets the claim.
 */
export async function claimInboxEvent(db: Db, o: { channel: ChannelKind; key: string; event: unknown; context?: unknown; leaseMs: number }): Promise<InboxClaim | null> {
  const event = JSON.stringify(o.event);
  const context = o.context === undefined ? null : JSON.stringify(o.context);
  const inserted = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "ProcessedUpdate" (channel, "updateKey", status, event, context, "leaseUntil")
    VALUES (${o.channel}::"Channel", ${o.key}, 'RECEIVED', ${event}::jsonb, ${context}::jsonb, now() + ${o.leaseMs} * interval '1 millisecond')
    ON CONFLICT (channel, "updateKey") DO NOTHING RETURNING id`;
  if (inserted[0]) return { id: inserted[0].id, phase: "effect" };
  return takeOverInboxEvent(db, { channel: o.channel, key: o.key, leaseMs: o.leaseMs });
}

/** Takes over an unfinished event whose lease has passed (see {@link claimInboxEvent}); null when none. */
export async function takeOverInboxEvent(db: Db | Prisma.TransactionClient, o: { channel: ChannelKind; key: string; leaseMs: number }): Promise<InboxClaim | null> {
  const rows = await db.$queryRaw<{ id: number; status: string; replies: unknown }[]>`
    UPDATE "ProcessedUpdate" SET "leaseUntil" = now() + ${o.leaseMs} * interval '1 millisecond', attempts = attempts + 1
    WHERE channel = ${o.channel}::"Channel" AND "updateKey" = ${o.key} AND "leaseUntil" <= now()
      AND (status = 'RECEIVED' OR (status = 'DONE' AND "repliedAt" IS NULL))
    RETURNING id, status::text AS status, replies`;
  const row = rows[0];
  if (!row) return null;
  return row.status === "RECEIVED" ? { id: row.id, phase: "effect" } : { id: row.id, phase: "reply", replies: row.replies };
}
