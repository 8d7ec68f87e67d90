import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "./get-accessible-directive.ts";

/** One try of a delivery on one channel. */
export type RecipientAttempt = {
  channel: string;
  /** sent | retrying | failed | unreachable */
  status: string;
  error: string | null;
  at: string;
  /** bot_message | consultation | template; null when nothing was sent. */
  message_kind: string | null;
  /** Whether the message cost money (Zalo OA template, or consultation after 48 h); null when unknown. */
  billable: boolean | null;
};

/** One principal's delivery of a directive: the channel that carried it (or is being tried) and every try. */
export type RecipientRow = {
  org_code: string;
  org_name: string;
  person_id: number;
  person_name: string;
  channel: string;
  status: string;
  attempts: RecipientAttempt[];
  sent_at: string | null;
  /** The platform reports the message reached the device / was opened (Zalo OA): weaker evidence than an acknowledgement. */
  delivered_at: string | null;
  seen_at: string | null;
  last_error: string | null;
  acknowledged_at: string | null;
  acknowledged_via: string | null;
  /** The channel the acknowledgement came from (any of the person's, whichever carried the directive). */
  acknowledged_channel: string | null;
};

type AttemptDbRow = { channel: string; status: string; error: string | null; at: string; message_kind: string | null; billable: boolean | null };

/** A row as PostgreSQL returns it: times as dates, the acknowledgement as found. */
type RecipientDbRow = Omit<RecipientRow, "sent_at" | "delivered_at" | "seen_at" | "acknowledged_at" | "acknowledged_via" | "acknowledged_channel" | "attempts"> & {
  attempts: AttemptDbRow[];
  ack_channel: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  seen_at: Date | null;
  ack_at: Date | null;
  ack_source: string | null;
};

/**
 * Every principal's delivery of a directive (one per principal) with its attempts, oldest first,
 * and the acknowledgement, ordered by organisation code.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function findDirectiveRecipients(db: Db, user: AuthUser, directiveId: number): Promise<RecipientRow[]> {
  await getAccessibleDirective(db, user, directiveId);
  const rows = await db.$queryRaw<RecipientDbRow[]>`
    SELECT o.code AS org_code, o.name AS org_name, p.id AS person_id, p.name AS person_name, d.channel::text AS channel,
           d.status::text AS status, d."sentAt" AS sent_at, d."deliveredAt" AS delivered_at, d."seenAt" AS seen_at, d."lastError" AS last_error,
           a.at AS ack_at, a.source::text AS ack_source, a.channel::text AS ack_channel,
           COALESCE((SELECT json_agg(json_build_object('channel', t.channel, 'status', t.status, 'error', t.error, 'at', t.at, 'message_kind', t."messageKind", 'billable', t.billable)
                             ORDER BY t.at, t.id)
                     FROM "DeliveryAttempt" t WHERE t."deliveryId" = d.id), '[]'::json) AS attempts
    FROM "Delivery" d
    JOIN "Person" p ON p.id = d."personId"
    JOIN "Organization" o ON o.id = d."organizationId"
    LEFT JOIN "Acknowledgement" a ON a."directiveId" = d."directiveId" AND a."personId" = d."personId"
    WHERE d."directiveId" = ${directiveId}
    ORDER BY o.code, p.id`;
  return rows.map((r) => ({
    org_code: r.org_code,
    org_name: r.org_name,
    person_id: r.person_id,
    person_name: r.person_name,
    channel: r.channel.toLowerCase(),
    status: r.status.toLowerCase(),
    attempts: r.attempts.map((t) => ({
      channel: t.channel.toLowerCase(),
      status: t.status.toLowerCase(),
      error: t.error,
      // json_build_object writes timestamp(3) without a zone; the column holds UTC.
      at: new Date(`${t.at}Z`).toISOString(),
      message_kind: t.message_kind?.toLowerCase() ?? null,
      billable: t.billable,
    })),
    sent_at: r.sent_at?.toISOString() ?? null,
    delivered_at: r.delivered_at?.toISOString() ?? null,
    seen_at: r.seen_at?.toISOString() ?? null,
    last_error: r.last_error,
    acknowledged_at: r.ack_at?.toISOString() ?? null,
    acknowledged_via: r.ack_source?.toLowerCase() ?? null,
    acknowledged_channel: r.ack_channel?.toLowerCase() ?? null,
  }));
}
