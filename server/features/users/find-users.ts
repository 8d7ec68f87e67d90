import { z } from "zod";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { toUserJson, USER_JSON_SELECT, type UserJson } from "./user-json.ts";

export const FindUsersQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();
export type FindUsersQuery = z.infer<typeof FindUsersQuerySchema>;

/**
 * A page of the users `admin` manages, ordered by id (`limit` defaults to 100): everyone for a
 * system-wide administrator, otherwise the users of the administrator's organisation and below.
 */
export async function findUsers(db: Db, admin: AuthUser, query: FindUsersQuery): Promise<UserJson[]> {
  let where = {};
  if (admin.organizationId !== null) {
    const orgs = await db.$queryRaw<{ id: number }[]>(subtreeIds(admin.organizationId));
    where = { organizationId: { in: orgs.map((o) => o.id) } };
  }
  const rows = await db.user.findMany({ where, select: USER_JSON_SELECT, orderBy: { id: "asc" }, take: query.limit ?? 100, skip: query.offset ?? 0 });
  return rows.map(toUserJson);
}
