import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

export type AckSource = "BUTTON" | "TEXT" | "WEB";

export type AckResult =
  | { kind: "acknowledged"; at: Date; title: string }
  | { kind: "already"; at: Date; title: string }
  /** The directive does not exist, is not published, or never went to this person. */
  | { kind: "not_found" };

/**
 * Records that `personId` acknowledged `directiveId`. Append-only and unique per directive and
 * person: a double press, or a button after a text reply, finds the first acknowledgement and
 * writes nothing. Only a directive that was delivered to the person can be acknowledged.
 */
export async function acknowledgeDirective(
  db: Prisma.TransactionClient,
  o: { directiveId: number; personId: number; channel: ChannelKind; source: AckSource; raw: string },
): Promise<AckResult> {
  const raw = o.raw.slice(0, 4096);
  const inserted = await db.$queryRaw<{ at: Date; title: string }[]>`
    INSERT INTO "Acknowledgement" ("directiveId", "personId", "deliveryId", channel, source, raw)
    SELECT d.id, ${o.personId}, v.id, ${o.channel}::"Channel", ${o.source}::"AckSource", ${raw}
    FROM "Directive" d
    JOIN "Delivery" v ON v."directiveId" = d.id AND v."personId" = ${o.personId}
    WHERE d.id = ${o.directiveId} AND d.status = 'PUBLISHED' AND v.status <> 'UNREACHABLE'
    ORDER BY (v.channel = ${o.channel}::"Channel") DESC
    LIMIT 1
    ON CONFLICT ("directiveId", "personId") DO NOTHING
    RETURNING at, (SELECT title FROM "Directive" WHERE id = ${o.directiveId}) AS title`;
  if (inserted[0]) return { kind: "acknowledged", at: inserted[0].at, title: inserted[0].title };
  const existing = await db.acknowledgement.findUnique({
    where: { directiveId_personId: { directiveId: o.directiveId, personId: o.personId } },
    select: { at: true, directive: { select: { title: true } } },
  });
  if (existing) return { kind: "already", at: existing.at, title: existing.directive.title };
  return { kind: "not_found" };
}
