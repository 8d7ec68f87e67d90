import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";
import type { AckResult } from "./acknowledge-directive.ts";
import type { ChatPerson } from "./find-chat-person.ts";

/** One press of an acknowledgement button: who pressed (chat), which directive, and the message pressed when known. */
export type Press = { channel: ChannelKind; externalId: string; directiveId: number; raw: string; carrierMessageId: string | null };

/** What became of a press: the person linked to the chat (null: a stranger), the acknowledgement, and whether the message pressed is the directive's own. */
export type PressOutcome = { person: ChatPerson | null; result: AckResult; onDirectiveMessage: boolean };

type Row = {
  n: bigint | number;
  person_id: number | null;
  person_name: string | null;
  org_name: string | null;
  title: string | null;
  inserted_at: Date | null;
  first_n: bigint | number | null;
  existing_at: Date | null;
  on_message: boolean;
};

/**
 * A batch of button acknowledgements in the caller's transaction, in one statement: the batch form
 * of clearChatBlock + findChatPerson + acknowledgeDirective (source BUTTON) + isDirectiveMessage for
 * each press, with the same rules. A chat that presses has not blocked us; only a directive
 * delivered to the person can be acknowledged; an acknowledgement is unique per directive and
 * person, so a second press (in this batch or before it) finds the first one's time. Rows are
 * inserted in (directive, person) order, so concurrent batches wait for each other, never in a circle.
 */
export async function acknowledgePresses(tx: Prisma.TransactionClient, presses: readonly Press[]): Promise<PressOutcome[]> {
  if (!presses.length) return [];
  const rows = await tx.$queryRaw<Row[]>`
    WITH input AS (
      SELECT t.channel::"Channel" AS channel, t.ext, t.directive_id, left(t.raw, 4096) AS raw, t.carrier, t.n
      FROM unnest(${presses.map((p) => p.channel)}::text[], ${presses.map((p) => p.externalId)}::text[], ${presses.map((p) => p.directiveId)}::int[],
        ${presses.map((p) => p.raw)}::text[], ${presses.map((p) => p.carrierMessageId)}::text[]) WITH ORDINALITY AS t(channel, ext, directive_id, raw, carrier, n)
    ),
    cleared AS (
      UPDATE "ChatIdentity" c SET "blockedAt" = NULL, "updatedAt" = now()
      FROM input i WHERE c.channel = i.channel AND c."externalId" = i.ext AND c."blockedAt" IS NOT NULL
      RETURNING c.id
    ),
    who AS (
      SELECT i.*, c."personId" AS person_id FROM input i LEFT JOIN "ChatIdentity" c ON c.channel = i.channel AND c."externalId" = i.ext
    ),
    target AS (
      SELECT DISTINCT ON (w.directive_id, w.person_id) w.n, w.directive_id, w.person_id, w.channel, w.raw, v.id AS delivery_id
      FROM who w
      JOIN "Directive" d ON d.id = w.directive_id AND d.status = 'PUBLISHED'
      JOIN LATERAL (
        SELECT v.id FROM "Delivery" v
        WHERE v."directiveId" = d.id AND v."personId" = w.person_id AND v.status <> 'UNREACHABLE'
        ORDER BY (v.channel = w.channel) DESC LIMIT 1
      ) v ON true
      WHERE w.person_id IS NOT NULL
      ORDER BY w.directive_id, w.person_id, w.n
    ),
    ins AS (
      INSERT INTO "Acknowledgement" ("directiveId", "personId", "deliveryId", channel, source, raw)
      SELECT directive_id, person_id, delivery_id, channel, 'BUTTON', raw FROM target ORDER BY directive_id, person_id
      ON CONFLICT ("directiveId", "personId") DO NOTHING
      RETURNING "directiveId" AS directive_id, "personId" AS person_id, at
    )
    SELECT w.n, w.person_id, p.name AS person_name, o.name AS org_name, d.title, ins.at AS inserted_at, t.n AS first_n, a.at AS existing_at,
      EXISTS (
        SELECT 1 FROM "Delivery" v
        WHERE v."directiveId" = w.directive_id AND v."personId" = w.person_id AND v.channel = w.channel AND v."platformMessageId" = w.carrier
      ) AS on_message
    FROM who w
    LEFT JOIN "Person" p ON p.id = w.person_id
    LEFT JOIN "Organization" o ON o.id = p."organizationId"
    LEFT JOIN "Directive" d ON d.id = w.directive_id
    LEFT JOIN target t ON t.directive_id = w.directive_id AND t.person_id = w.person_id
    LEFT JOIN ins ON ins.directive_id = w.directive_id AND ins.person_id = w.person_id
    LEFT JOIN "Acknowledgement" a ON a."directiveId" = w.directive_id AND a."personId" = w.person_id
    ORDER BY w.n`;
  // A press whose directive did reach the person but whose row another transaction committed after
  // this statement's snapshot: read that row now, as acknowledgeDirective's second query does.
  const racing = rows.filter((r) => r.person_id !== null && r.first_n !== null && r.inserted_at === null && r.existing_at === null);
  const late = new Map<string, Date>();
  if (racing.length) {
    const found = await tx.acknowledgement.findMany({
      where: { OR: racing.map((r) => ({ directiveId: presses[Number(r.n) - 1]!.directiveId, personId: r.person_id! })) },
      select: { directiveId: true, personId: true, at: true },
    });
    for (const f of found) late.set(`${f.directiveId}:${f.personId}`, f.at);
  }
  return rows.map((r) => {
    const press = presses[Number(r.n) - 1]!;
    if (r.person_id === null) return { person: null, result: { kind: "not_found" }, onDirectiveMessage: false };
    const person: ChatPerson = { personId: r.person_id, name: r.person_name ?? "", orgName: r.org_name ?? "" };
    const title = r.title ?? "";
    const existing = r.existing_at ?? late.get(`${press.directiveId}:${r.person_id}`) ?? null;
    let result: AckResult;
    if (r.inserted_at !== null) result = Number(r.first_n) === Number(r.n) ? { kind: "acknowledged", at: r.inserted_at, title } : { kind: "already", at: r.inserted_at, title };
    else if (existing !== null) result = { kind: "already", at: existing, title };
    else result = { kind: "not_found" };
    return { person, result, onDirectiveMessage: r.on_message };
  });
}
