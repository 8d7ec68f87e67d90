import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { userText } from "../../domain/text.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getOrg } from "./get-org.ts";
import { ORG_JSON_SELECT, toOrgJson, type OrgJson } from "./org-json.ts";

/** The issuer abbreviation goes into "số/ký hiệu" after a slash and a dash, so it has neither slash nor space. */
const SymbolSchema = userText({ max: 30 }).refine((s) => /^[\p{L}\p{N}&.\-]+$/u.test(s), {
  params: { messageKey: "orgs.errors.bad_symbol" },
  message: "letters, digits, & . - only",
});

export const UpdateOrgSchema = z
  .object({
    name: userText({ max: 300 }).optional(),
    symbol: SymbolSchema.nullable().optional(),
    place: userText({ max: 100 }).nullable().optional(),
    governing_body: userText({ max: 200 }).nullable().optional(),
    register_per_type: z.boolean().optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, { params: { messageKey: "orgs.errors.empty_patch" }, message: "nothing to change" });
export type UpdateOrgInput = z.infer<typeof UpdateOrgSchema>;

/**
 * Changes the name and the document-header fields of an organisation (symbol, place, governing
 * body, per-type numbering), with an audit entry listing the old and new values.
 * @throws AppError NOT_FOUND when the code is unknown or outside the user's subtree.
 */
export async function updateOrg(db: Db, user: AuthUser, code: string, input: UpdateOrgInput): Promise<OrgJson> {
  const before = await getOrg(db, user, code);
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.symbol !== undefined ? { symbol: input.symbol } : {}),
    ...(input.place !== undefined ? { place: input.place } : {}),
    ...(input.governing_body !== undefined ? { governingBody: input.governing_body } : {}),
    ...(input.register_per_type !== undefined ? { registerPerType: input.register_per_type } : {}),
  };
  const changes = Object.fromEntries(Object.keys(input).map((k) => [k, { from: before[k as keyof OrgJson] ?? null, to: input[k as keyof UpdateOrgInput] ?? null }]));
  const updated = await db.$transaction(async (tx) => {
    const org = await tx.organization.update({ where: { id: before.id }, data, select: ORG_JSON_SELECT });
    await tx.auditLog.create({ data: { userId: user.id, action: "org.update", entityType: "organization", entityId: org.code, details: changes } });
    return org;
  });
  return toOrgJson(updated);
}
