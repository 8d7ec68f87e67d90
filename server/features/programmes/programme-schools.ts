import { Prisma } from "../../db/generated/client.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";

/**
 * The schools of a directive's programme, as a subquery of organisation ids: the organisations of
 * its audience that have a principal (whom publishing reaches), optionally only those in the
 * subtree of `under` (itself included). The audience is read from the directive's row, so this is
 * what publishing sent to.
 */
export function programmeSchoolIds(directiveId: number, under: number | null = null): Prisma.Sql {
  const within = under === null ? Prisma.empty : Prisma.sql`AND o.id IN (${subtreeIds(under)})`;
  return Prisma.sql`
    SELECT o.id FROM "Directive" d
    JOIN "Audience" a ON a.id = d."audienceId"
    JOIN "Organization" o ON (a."underOrgId" IS NULL OR o.id IN (WITH RECURSIVE sub AS (
        SELECT id FROM "Organization" WHERE "parentId" = a."underOrgId"
        UNION SELECT c.id FROM "Organization" c JOIN sub ON c."parentId" = sub.id) SELECT id FROM sub))
      AND (cardinality(a.kinds) = 0 OR o.kind = ANY(a.kinds))
      AND (cardinality(a.levels) = 0 OR o.level = ANY(a.levels))
    WHERE d.id = ${directiveId}::int ${within}
      AND EXISTS (SELECT 1 FROM "Person" p WHERE p."organizationId" = o.id AND p.role = 'PRINCIPAL')`;
}
