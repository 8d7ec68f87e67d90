import type { Db } from "../../db/prisma.ts";
import { CHANNEL_KINDS, type ChannelKind } from "../../domain/channel.ts";
import { AppError } from "../../domain/errors.ts";
import type { DeliveryQueue } from "../../jobs/delivery-queue.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { audienceOrgIds } from "./find-audience-recipients.ts";
import { directiveNotFound, getAccessibleDirective } from "./get-accessible-directive.ts";

export type PublishResult = { recipients: number; queued: number; unreachable: number; alreadyPublished: boolean };

/**
 * Publishes a draft: in ONE transaction the directive turns PUBLISHED and one delivery row is written
 * per principal and linked channel among `channels` (a principal with no linked chat gets one
 * UNREACHABLE row at once, on the first channel);
 * after commit the queued rows are enqueued. Publishing again changes nothing and sends nothing.
 * If the process dies between commit and enqueue, the sweep finds the QUEUED rows and enqueues them.
 * Only someone who may reach the directive (see {@link getAccessibleDirective}) publishes it.
 * @throws AppError NOT_FOUND (also out of the user's reach), CONFLICT (cancelled directive)
 */
export async function publishDirective(
  db: Db,
  queue: DeliveryQueue,
  { directiveId, user, channels: enabled = [] }: { directiveId: number; user: AuthUser; channels?: readonly ChannelKind[] },
): Promise<PublishResult> {
  // The enabled channels, in preference order; a process that enables none (an API-only web role)
  // publishes on whatever the principals linked, for the workers that do send.
  const channels = enabled.length ? enabled : CHANNEL_KINDS;
  await getAccessibleDirective(db, user, directiveId);
  const outcome = await db.$transaction(
    async (tx) => {
      // The row lock serialises concurrent publishes of one directive.
      const rows = await tx.$queryRaw<{ status: string; kinds: string[]; levels: string[]; underOrgId: number | null }[]>`
        SELECT d.status::text AS status, a.kinds::text[] AS kinds, a.levels::text[] AS levels, a."underOrgId"
        FROM "Directive" d JOIN "Audience" a ON a.id = d."audienceId" WHERE d.id = ${directiveId} FOR UPDATE OF d`;
      const row = rows[0];
      if (!row) throw directiveNotFound(directiveId);
      if (row.status === "CANCELLED") throw new AppError("CONFLICT", "cancelled", { messageKey: "errors.directive_not_draft" });
      if (row.status === "PUBLISHED") {
        const recipients = await tx.delivery.count({ where: { directiveId } });
        return { recipients, queuedIds: [] as number[], unreachable: 0, alreadyPublished: true };
      }
      const audience = audienceOrgIds({ kinds: row.kinds as never, levels: row.levels as never, underOrgId: row.underOrgId });
      const inserted = await tx.$queryRaw<{ id: number; status: string }[]>`
        WITH recipients AS (
          SELECT p.id, p."organizationId" FROM "Person" p WHERE p.role = 'PRINCIPAL' AND p."organizationId" IN (${audience})
        )
        INSERT INTO "Delivery" ("directiveId", "personId", "organizationId", channel, status, "externalChatId", "lastError", "updatedAt")
        SELECT ${directiveId}::int, r.id, r."organizationId",
               COALESCE(ci.channel, ${channels[0]}::"Channel"),
               (CASE WHEN ci.id IS NULL THEN 'UNREACHABLE' ELSE 'QUEUED' END)::"DeliveryStatus",
               ci."externalId",
               CASE WHEN ci.id IS NULL THEN 'no linked chat' END,
               now()
        FROM recipients r
        LEFT JOIN "ChatIdentity" ci ON ci."personId" = r.id AND ci.channel = ANY(${[...channels]}::"Channel"[])
        ON CONFLICT ("directiveId", "personId", channel) DO NOTHING
        RETURNING id, status::text AS status`;
      await tx.directive.update({ where: { id: directiveId }, data: { status: "PUBLISHED", publishedAt: new Date() } });
      await tx.auditLog.create({
        data: { userId: user.id, action: "directive.publish", entityType: "directive", entityId: String(directiveId), details: { deliveries: inserted.length } },
      });
      const queuedIds = inserted.filter((r) => r.status === "QUEUED").map((r) => r.id);
      return { recipients: inserted.length, queuedIds, unreachable: inserted.length - queuedIds.length, alreadyPublished: false };
    },
    { timeout: 60_000 },
  );
  if (outcome.queuedIds.length) await queue.enqueue(outcome.queuedIds);
  return { recipients: outcome.recipients, queued: outcome.queuedIds.length, unreachable: outcome.unreachable, alreadyPublished: outcome.alreadyPublished };
}
