import type { Db } from "../../db/prisma.ts";
import { Prisma } from "../../db/generated/client.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

export type ExtensionRequestRow = {
  id: number;
  directive_id: number;
  directive_title: string;
  step: number | null;
  step_title: string | null;
  org_code: string;
  org_name: string;
  person_name: string | null;
  channel: string | null;
  text: string;
  requested_until: string;
  status: "pending" | "approved" | "refused";
  granted_until: string | null;
  decision_note: string | null;
  decided_at: string | null;
  created_at: string;
};

type DbRow = Omit<ExtensionRequestRow, "requested_until" | "granted_until" | "decided_at" | "created_at" | "status"> & {
  status: string;
  requested_until: Date;
  granted_until: Date | null;
  decided_at: Date | null;
  created_at: Date;
};

/**
 * Extension requests on directives the user's office issued (or issued below it): those are the
 * requests it decides. Oldest first, at most 500.
 */
export async function findExtensionRequests(
  db: Db,
  user: AuthUser,
  { status, id }: { status?: "PENDING" | "APPROVED" | "REFUSED" | undefined; id?: number | undefined } = {},
): Promise<ExtensionRequestRow[]> {
  const scope = user.organizationId === null ? Prisma.sql`TRUE` : Prisma.sql`d."issuerOrgId" IN (${subtreeIds(user.organizationId)})`;
  const byStatus = status ? Prisma.sql`AND r.status = ${status}::"ExtensionStatus"` : Prisma.empty;
  const byId = id !== undefined ? Prisma.sql`AND r.id = ${id}::int` : Prisma.empty;
  const rows = await db.$queryRaw<DbRow[]>`
    SELECT r.id, r."directiveId" AS directive_id, d.title AS directive_title, s.n AS step, s.title AS step_title,
           o.code AS org_code, o.name AS org_name, p.name AS person_name, lower(r.channel::text) AS channel, r.text,
           r."requestedUntil" AS requested_until, r.status::text AS status, r."grantedUntil" AS granted_until,
           r."decisionNote" AS decision_note, r."decidedAt" AS decided_at, r."createdAt" AS created_at
    FROM "ExtensionRequest" r
    JOIN "Directive" d ON d.id = r."directiveId"
    JOIN "Organization" o ON o.id = r."organizationId"
    LEFT JOIN "ChecklistStep" s ON s.id = r."stepId"
    LEFT JOIN "Person" p ON p.id = r."personId"
    WHERE ${scope} ${byStatus} ${byId}
    ORDER BY r."createdAt", r.id
    LIMIT 500`;
  return rows.map((r) => ({
    ...r,
    status: r.status.toLowerCase() as ExtensionRequestRow["status"],
    requested_until: r.requested_until.toISOString(),
    granted_until: r.granted_until?.toISOString() ?? null,
    decided_at: r.decided_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
  }));
}
