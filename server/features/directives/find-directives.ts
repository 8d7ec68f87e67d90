import type { Db } from "../../db/prisma.ts";
import { Prisma } from "../../db/generated/client.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

export type DirectiveListRow = {
  id: number;
  title: string;
  status: "draft" | "published" | "cancelled";
  deadline: Date | null;
  published_at: Date | null;
  created_at: Date;
  issuer_name: string | null;
  /** People the directive went to (one per person, whatever the channels). */
  recipients: number;
  acknowledged: number;
  unreachable: number;
};

/**
 * The directives the user may read (issued by their office or one below it; everything for a
 * system administrator), newest first, with their acknowledgement counts. `q` filters titles.
 */
export async function findDirectives(db: Db, user: AuthUser, { q, limit = 200 }: { q?: string | undefined; limit?: number } = {}): Promise<DirectiveListRow[]> {
  const conditions: Prisma.Sql[] = [];
  if (user.organizationId !== null) conditions.push(Prisma.sql`d."issuerOrgId" IN (${subtreeIds(user.organizationId)})`);
  if (q) conditions.push(Prisma.sql`d.title ILIKE ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const rows = await db.$queryRaw<
    (Omit<DirectiveListRow, "status" | "recipients" | "acknowledged" | "unreachable"> & { status: string; recipients: bigint; acknowledged: bigint; unreachable: bigint })[]
  >`
    SELECT d.id, d.title, d.status::text AS status, d.deadline, d."publishedAt" AS published_at, d."createdAt" AS created_at, o.name AS issuer_name,
           (SELECT count(DISTINCT "personId") FROM "Delivery" WHERE "directiveId" = d.id) AS recipients,
           (SELECT count(*) FROM "Acknowledgement" WHERE "directiveId" = d.id) AS acknowledged,
           (SELECT count(DISTINCT "personId") FROM "Delivery" x WHERE x."directiveId" = d.id AND x.status = 'UNREACHABLE'
              AND NOT EXISTS (SELECT 1 FROM "Delivery" y WHERE y."directiveId" = d.id AND y."personId" = x."personId" AND y.status <> 'UNREACHABLE')) AS unreachable
    FROM "Directive" d LEFT JOIN "Organization" o ON o.id = d."issuerOrgId"
    ${where}
    ORDER BY d.id DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    ...r,
    status: r.status.toLowerCase() as DirectiveListRow["status"],
    recipients: Number(r.recipients),
    acknowledged: Number(r.acknowledged),
    unreachable: Number(r.unreachable),
  }));
}
