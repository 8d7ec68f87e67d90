import type { Db } from "../../db/prisma.ts";
import { CHANNEL_KINDS, type ChannelKind } from "../../domain/channel.ts";
import { AppError } from "../../domain/errors.ts";
import { channelRank } from "../../db/channel-order-sql.ts";
import type { DeliveryJob, DeliveryQueue } from "../../jobs/delivery-queue.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { audienceOrgIds } from "./find-audience-recipients.ts";
import { directiveNotFound, getAccessibleDirective } from "./get-accessible-directive.ts";

export type PublishResult = { recipients: number; queued: number; unreachable: number; alreadyPublished: boolean };

/**
 * Publishes a draft: in ONE transaction the directive turns PUBLISHED and one delivery row is written
 * per principal, on the first channel of their order (see server/domain/channel-order.ts) that is
 * linked and among `channels` (a principal with no such chat gets an UNREACHABLE row at once, on the
 * first channel); the worker moves it to the next channel if that one fails for good.
 * After commit the queued rows are enqueued on their channels' queues. Publishing again changes nothing and sends nothing.
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
        return { recipients, queued: [] as DeliveryJob[], unreachable: 0, alreadyPublished: true };
      }
      const audience = audienceOrgIds({ kinds: row.kinds as never, levels: row.levels as never, underOrgId: row.underOrgId });
      // Each principal's first channel: DISTINCT ON keeps the best-ranked linked chat.
      const inserted = await tx.$queryRaw<{ id: number; status: string; channel: ChannelKind }[]>`
        WITH recipients AS (
          SELECT p.id, p."organizationId", p."channelOrder" FROM "Person" p WHERE p.role = 'PRINCIPAL' AND p."organizationId" IN (${audience})
        ),
        first AS (
          SELECT DISTINCT ON (p.id) p.id, p."organizationId", ci.id AS "chatId", ci.channel, ci."externalId"
          FROM recipients p
          LEFT JOIN "ChatIdentity" ci ON ci."personId" = p.id AND ci.channel = ANY(${[...channels]}::"Channel"[])
          ORDER BY p.id, ${channelRank("p", "ci")}
        )
        INSERT INTO "Delivery" ("directiveId", "personId", "organizationId", channel, status, "externalChatId", "lastError", "updatedAt")
        SELECT ${directiveId}::int, f.id, f."organizationId",
               COALESCE(f.channel, ${channels[0]}::"Channel"),
               (CASE WHEN f."chatId" IS NULL THEN 'UNREACHABLE' ELSE 'QUEUED' END)::"DeliveryStatus",
               f."externalId",
               CASE WHEN f."chatId" IS NULL THEN 'no linked chat' END,
               now()
        FROM first f
        ON CONFLICT ("directiveId", "personId") DO NOTHING
        RETURNING id, status::text AS status, channel::text AS channel`;
      await tx.directive.update({ where: { id: directiveId }, data: { status: "PUBLISHED", publishedAt: new Date() } });
      await tx.auditLog.create({
        data: { userId: user.id, action: "directive.publish", entityType: "directive", entityId: String(directiveId), details: { deliveries: inserted.length } },
      });
      const queued = inserted.filter((r) => r.status === "QUEUED").map((r): DeliveryJob => ({ deliveryId: r.id, channel: r.channel }));
      return { recipients: inserted.length, queued, unreachable: inserted.length - queued.length, alreadyPublished: false };
    },
    { timeout: 60_000 },
  );
  if (outcome.queued.length) await queue.enqueue(outcome.queued);
  return { recipients: outcome.recipients, queued: outcome.queued.length, unreachable: outcome.unreachable, alreadyPublished: outcome.alreadyPublished };
}
