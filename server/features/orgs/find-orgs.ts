import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { selectOrgIds } from "../../db/org-tree-sql.ts";
import { OrgCodeSchema, OrgKindSchema, SchoolLevelSchema, toDbKind, toDbLevel } from "../../domain/org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getOrg } from "./get-org.ts";
import { toOrgJson, type OrgJson } from "./org-json.ts";

/** `?under=&kind=&level=`; kind and level take one value or a comma-separated list. */
export const FindOrgsQuerySchema = z
  .object({
    under: OrgCodeSchema.optional(),
    kind: z.preprocess((v) => (typeof v === "string" ? v.split(",") : v), z.array(OrgKindSchema).max(6)).optional(),
    level: z.preprocess((v) => (typeof v === "string" ? v.split(",") : v), z.array(SchoolLevelSchema).max(6)).optional(),
  })
  .strict();
export type FindOrgsQuery = z.infer<typeof FindOrgsQuerySchema>;

/**
 * Organisations visible to the user, ordered by code: every organisation strictly below `under`
 * (at any depth), or, without it, the user's own organisation and everything below it (all of
 * them for a system-wide administrator), filtered by kinds and levels.
 * @throws AppError NOT_FOUND when `under` is unknown or outside the user's subtree.
 */
export async function findOrgs(db: Db, user: AuthUser, query: FindOrgsQuery): Promise<OrgJson[]> {
  let rootId: number | null = null;
  let includeRoot = false;
  if (query.under) rootId = (await getOrg(db, user, query.under)).id;
  else if (user.organizationId !== null) ((rootId = user.organizationId), (includeRoot = true));
  type Row = Parameters<typeof toOrgJson>[0] & { parent_code: string | null };
  const ids = selectOrgIds({ under: rootId, includeRoot, kinds: (query.kind ?? []).map(toDbKind), levels: (query.level ?? []).map(toDbLevel) });
  const rows = await db.$queryRaw<Row[]>`
    SELECT o.id, o.code, o.name, o.kind::text AS kind, o.level::text AS level, o.symbol, o.place,
           o."governingBody", o."registerPerType", p.code AS parent_code
    FROM "Organization" o LEFT JOIN "Organization" p ON p.id = o."parentId"
    WHERE o.id IN (${ids})
    ORDER BY o.code`;
  return rows.map((r) => toOrgJson({ ...r, parent: r.parent_code === null ? null : { code: r.parent_code } }));
}
