/** Occasions (ceremonies) certificates are handed out at: create and list. */
import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { OrgCodeSchema } from "../../domain/org.ts";
import { userText } from "../../domain/text.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getIssuerForUser } from "../documents/get-issuer-for-user.ts";
import { ancestorOrSelfIds } from "../../db/org-tree-sql.ts";

export const CreateOccasionSchema = z
  .object({
    name: userText({ max: 200 }),
    /** yyyy-mm-dd. */
    date: z.iso.date(),
    issuer: OrgCodeSchema,
    semester: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .strict();

export const FindOccasionsQuerySchema = z.object({ issuer: OrgCodeSchema.optional() }).strict();

export type OccasionJson = { id: number; name: string; date: string; issuer: string; semester: number | null; created_at: string };

const toJson = (o: { id: number; name: string; date: Date; semester: number | null; createdAt: Date; issuerOrg: { code: string } }): OccasionJson => ({
  id: o.id,
  name: o.name,
  date: o.date.toISOString().slice(0, 10),
  issuer: o.issuerOrg.code,
  semester: o.semester,
  created_at: o.createdAt.toISOString(),
});

/**
 * Records an occasion of `issuer` (an office's joint ceremony for a semester, or an existing event).
 * @throws AppError VALIDATION, FORBIDDEN (issuer outside the user's subtree)
 */
export async function createOccasion(db: Db, user: AuthUser, input: z.infer<typeof CreateOccasionSchema>): Promise<OccasionJson> {
  const issuer = await getIssuerForUser(db, user, input.issuer);
  const o = await db.occasion.create({
    data: { name: input.name, date: new Date(`${input.date}T00:00:00Z`), semester: input.semester ?? null, issuerOrgId: issuer.id, createdById: user.id },
    include: { issuerOrg: { select: { code: true } } },
  });
  await db.auditLog.create({ data: { userId: user.id, action: "occasion.create", entityType: "occasion", entityId: String(o.id), details: { issuer: issuer.code } } });
  return toJson(o);
}

/**
 * Occasions of `issuer` when given (in the user's subtree), otherwise those of the user's
 * organisation and of the offices above it (whose joint ceremonies its schools join), newest first.
 */
export async function findOccasions(db: Db, user: AuthUser, q: z.infer<typeof FindOccasionsQuerySchema>): Promise<OccasionJson[]> {
  let where = {};
  if (q.issuer) where = { issuerOrgId: (await getIssuerForUser(db, user, q.issuer)).id };
  else if (user.organizationId !== null) {
    const ids = await db.$queryRaw<{ id: number }[]>`SELECT id FROM "Organization" WHERE id IN (${ancestorOrSelfIds({ id: user.organizationId })})`;
    where = { issuerOrgId: { in: ids.map((r) => r.id) } };
  }
  const rows = await db.occasion.findMany({ where, orderBy: [{ date: "desc" }, { id: "desc" }], take: 500, include: { issuerOrg: { select: { code: true } } } });
  return rows.map(toJson);
}
