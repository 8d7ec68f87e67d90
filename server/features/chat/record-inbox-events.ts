import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type NewInboxEvent = { channel: ChannelKind; key: string; event: unknown; context?: unknown };

/**
 * Records a batch of inbound events in the caller's transaction with one INSERT, each RECEIVED and
 * leased for `leaseMs` (see claimInboxEvent, its one-event form). Returns, per input in order, the
 * new row's id, or null for an event the inbox already holds (or an earlier copy in this batch):
 * the caller claims those one by one. Rows are inserted in key order, so two batches that share
 * keys wait for each other instead of deadlocking.
 */
export async function recordInboxEvents(tx: Prisma.TransactionClient, events: readonly NewInboxEvent[], leaseMs: number): Promise<(number | null)[]> {
  if (!events.length) return [];
  const order = events.map((_, i) => i).sort((a, b) => cmp(events[a]!, events[b]!));
  const sorted = order.map((i) => events[i]!);
  const rows = await tx.$queryRaw<{ channel: string; key: string; id: number }[]>`
    INSERT INTO "ProcessedUpdate" (channel, "updateKey", status, event, context, "leaseUntil")
    SELECT t.channel::"Channel", t.key, 'RECEIVED', t.event::jsonb, t.context::jsonb, now() + ${leaseMs} * interval '1 millisecond'
    FROM unnest(${sorted.map((e) => e.channel)}::text[], ${sorted.map((e) => e.key)}::text[], ${sorted.map((e) => JSON.stringify(e.event))}::text[],
      ${sorted.map((e) => (e.context === undefined ? null : JSON.stringify(e.context)))}::text[]) WITH ORDINALITY AS t(channel, key, event, context, n)
    ORDER BY t.n
    ON CONFLICT (channel, "updateKey") DO NOTHING
    RETURNING channel::text AS channel, "updateKey" AS key, id`;
  const ids = new Map(rows.map((r) => [`${r.channel}\u0000${r.key}`, r.id]));
  return events.map((e) => {
    const k = `${e.channel}\u0000${e.key}`;
    const id = ids.get(k);
    // The first copy of a key in the batch takes the row; later copies are duplicates.
    if (id === undefined) return null;
    ids.delete(k);
    return id;
  });
}

function cmp(a: NewInboxEvent, b: NewInboxEvent): number {
  return a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
