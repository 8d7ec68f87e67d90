import type { Db } from "../../db/prisma.ts";
import { Prisma } from "../../db/generated/client.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

export type AuditRow = { id: number; at: Date; user_email: string | null; action: string; entity_type: string; entity_id: string | null; details: unknown };

export type AuditQuery = { action?: string | undefined; before?: number | undefined; limit?: number | undefined };

/**
 * The audit log, newest first, for an administrator: a system administrator sees every entry, an
 * organisation's administrator the entries made by users of their subtree. `before` pages by id;
 * `action` filters by prefix ("directive." → every directive action).
 */
export async function findAuditLog(db: Db, admin: AuthUser, q: AuditQuery = {}): Promise<AuditRow[]> {
  const conditions: Prisma.Sql[] = [];
  if (admin.organizationId !== null) conditions.push(Prisma.sql`u."organizationId" IN (${subtreeIds(admin.organizationId)})`);
  if (q.action) conditions.push(Prisma.sql`a.action LIKE ${`${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (q.before) conditions.push(Prisma.sql`a.id < ${q.before}`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  return db.$queryRaw<AuditRow[]>`
    SELECT a.id, a."createdAt" AS at, u.email AS user_email, a.action, a."entityType" AS entity_type, a."entityId" AS entity_id, a.details
    FROM "AuditLog" a LEFT JOIN "User" u ON u.id = a."userId"
    ${where}
    ORDER BY a.id DESC
    LIMIT ${Math.min(q.limit ?? 100, 500)}`;
}
