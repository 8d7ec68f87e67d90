import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "./get-accessible-directive.ts";

export type DirectiveSummary = {
  id: number;
  title: string;
  status: "draft" | "published" | "cancelled";
  deadline: string | null;
  require_ack: boolean;
  published_at: string | null;
  document_id: number | null;
  counts: { recipients: number; queued: number; sent: number; failed: number; unreachable: number; acknowledged: number };
};

/**
 * A directive with its delivery counts. `recipients` counts deliveries; `acknowledged` counts people.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function getDirective(db: Db, user: AuthUser, id: number): Promise<DirectiveSummary> {
  await getAccessibleDirective(db, user, id);
  const directive = await db.directive.findUniqueOrThrow({ where: { id } });
  const [byStatus, acknowledged] = await Promise.all([
    db.delivery.groupBy({ by: ["status"], where: { directiveId: id }, _count: { _all: true } }),
    db.acknowledgement.count({ where: { directiveId: id } }),
  ]);
  const count = (...statuses: string[]) => byStatus.filter((g) => statuses.includes(g.status)).reduce((s, g) => s + g._count._all, 0);
  return {
    id: directive.id,
    title: directive.title,
    status: directive.status.toLowerCase() as DirectiveSummary["status"],
    deadline: directive.deadline?.toISOString() ?? null,
    require_ack: directive.requireAck,
    published_at: directive.publishedAt?.toISOString() ?? null,
    document_id: directive.documentId,
    counts: {
      recipients: count("QUEUED", "SENDING", "RETRYING", "SENT", "FAILED", "UNREACHABLE"),
      queued: count("QUEUED", "SENDING", "RETRYING"),
      sent: count("SENT"),
      failed: count("FAILED"),
      unreachable: count("UNREACHABLE"),
      acknowledged,
    },
  };
}
