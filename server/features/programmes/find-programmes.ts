import type { Db } from "../../db/prisma.ts";
import { Prisma } from "../../db/generated/client.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

export type ProgrammeRow = { id: number; title: string; status: string; steps: number; deadline: string | null };

/**
 * Directives that carry a checklist, issued by the user's office or below it (the same reach as
 * every directive route), newest first, at most 200.
 */
export async function findProgrammes(db: Db, user: AuthUser): Promise<ProgrammeRow[]> {
  const scope = user.organizationId === null ? Prisma.sql`TRUE` : Prisma.sql`d."issuerOrgId" IN (${subtreeIds(user.organizationId)})`;
  const rows = await db.$queryRaw<{ id: number; title: string; status: string; steps: number; deadline: Date | null }[]>`
    SELECT d.id, d.title, lower(d.status::text) AS status, count(s.id)::int AS steps, d.deadline
    FROM "Directive" d JOIN "ChecklistStep" s ON s."directiveId" = d.id
    WHERE ${scope}
    GROUP BY d.id ORDER BY d.id DESC LIMIT 200`;
  return rows.map((r) => ({ ...r, deadline: r.deadline?.toISOString() ?? null }));
}
