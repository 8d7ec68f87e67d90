import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";

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
 * @throws AppError NOT_FOUND
 */
export async function getDirective(db: Db, id: number): Promise<DirectiveSummary> {
  const directive = await db.directive.findUnique({ where: { id } });
  if (!directive) throw new AppError("NOT_FOUND", "directive", { messageKey: "errors.directive_not_found", params: { id } });
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
