/**
 * The organisation tree in SQL, written once. Every function returns a complete `SELECT` of
 * organisation ids (with its own `WITH RECURSIVE` where it walks the tree) to be used as a subquery:
 * `p."organizationId" IN (${subtreeIds(rootId)})`. Values travel as parameters; nothing is spliced
 * into the text.
 *
 * Every walk uses UNION, not UNION ALL: a row already produced is not produced again, so a parent
 * cycle that bad data might hold ends the walk instead of looping.
 */
import { Prisma } from "./generated/client.ts";

/** Ids of `rootId` (unless `includeRoot` is false) and of every organisation below it, at any depth. */
export function subtreeIds(rootId: number, { includeRoot = true }: { includeRoot?: boolean } = {}): Prisma.Sql {
  const start = includeRoot ? Prisma.sql`id = ${rootId}::int` : Prisma.sql`"parentId" = ${rootId}::int`;
  return Prisma.sql`WITH RECURSIVE sub AS (
      SELECT id FROM "Organization" WHERE ${start}
      UNION
      SELECT o.id FROM "Organization" o JOIN sub ON o."parentId" = sub.id
    )
    SELECT id FROM sub`;
}

/** Ids of the organisations `start` names (one id, or a list of codes) and of all their ancestors. */
export function ancestorOrSelfIds(start: { id: number } | { codes: string[] }): Prisma.Sql {
  const where = "id" in start ? Prisma.sql`id = ${start.id}::int` : Prisma.sql`code = ANY(${start.codes}::text[])`;
  return Prisma.sql`WITH RECURSIVE up AS (
      SELECT id, "parentId" FROM "Organization" WHERE ${where}
      UNION
      SELECT o.id, o."parentId" FROM "Organization" o JOIN up ON o.id = up."parentId"
    )
    SELECT id FROM up`;
}

export type OrgSelection = {
  /** Only organisations below this one (all of them when absent or null). */
  under?: number | null;
  /** With `under`: the organisation itself too. */
  includeRoot?: boolean;
  /** Only these kinds / levels; an empty or absent list means any. */
  kinds?: readonly string[];
  levels?: readonly string[];
};

/** Ids of the organisations of a selection: a subtree (or everything) filtered by kinds and levels. */
export function selectOrgIds({ under = null, includeRoot = false, kinds = [], levels = [] }: OrgSelection): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (under !== null) conditions.push(Prisma.sql`o.id IN (${subtreeIds(under, { includeRoot })})`);
  if (kinds.length) conditions.push(Prisma.sql`o.kind = ANY(${[...kinds]}::"OrgKind"[])`);
  if (levels.length) conditions.push(Prisma.sql`o.level = ANY(${[...levels]}::"SchoolLevel"[])`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  return Prisma.sql`SELECT o.id FROM "Organization" o ${where}`;
}
