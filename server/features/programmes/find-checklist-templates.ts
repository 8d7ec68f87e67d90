import type { Db, Prisma } from "../../db/prisma.ts";
import { Prisma as P } from "../../db/generated/client.ts";
import { ancestorOrSelfIds, subtreeIds } from "../../db/org-tree-sql.ts";
import { BUILTIN_CHECKLISTS } from "../../domain/builtin-checklists.ts";
import type { ChecklistStepInput, ChecklistTemplate } from "../../domain/checklist.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

type Row = { name: string; version: number; title: string; description: string | null; steps: unknown };

/**
 * Officers' templates the user may use: those of their own office, of the offices above it (a
 * Sở's template serves its communes) and below it. A system administrator sees all of them.
 */
function visibleTo(user: AuthUser): P.Sql {
  if (user.organizationId === null) return P.sql`TRUE`;
  return P.sql`(t."organizationId" IS NULL OR t."organizationId" IN (${ancestorOrSelfIds({ id: user.organizationId })}) OR t."organizationId" IN (${subtreeIds(user.organizationId)}))`;
}

/** The newest version of every template the user may use: the built-in ones first, then the officers', by name. */
export async function findChecklistTemplates(db: Db | Prisma.TransactionClient, user: AuthUser): Promise<ChecklistTemplate[]> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT DISTINCT ON (t.name) t.name, t.version, t.title, t.description, t.steps
    FROM "ChecklistTemplate" t WHERE ${visibleTo(user)}
    ORDER BY t.name, t.version DESC`;
  const own = rows.map((r) => ({
    name: r.name,
    version: r.version,
    title: r.title,
    description: r.description ?? undefined,
    builtin: false,
    steps: r.steps as ChecklistStepInput[],
  }));
  return [...BUILTIN_CHECKLISTS, ...own];
}

/** The newest version of the template `name` the user may use; null when there is none. */
export async function findChecklistTemplate(db: Db | Prisma.TransactionClient, user: AuthUser, name: string): Promise<ChecklistTemplate | null> {
  const builtin = BUILTIN_CHECKLISTS.filter((c) => c.name === name).sort((a, b) => b.version - a.version)[0];
  if (builtin) return builtin;
  const rows = await db.$queryRaw<Row[]>`
    SELECT t.name, t.version, t.title, t.description, t.steps FROM "ChecklistTemplate" t
    WHERE t.name = ${name} AND ${visibleTo(user)} ORDER BY t.version DESC LIMIT 1`;
  const r = rows[0];
  return r ? { name: r.name, version: r.version, title: r.title, description: r.description ?? undefined, builtin: false, steps: r.steps as ChecklistStepInput[] } : null;
}
