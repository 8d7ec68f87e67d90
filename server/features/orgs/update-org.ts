import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { userText } from "../../domain/text.ts";
import { unprintableChars } from "../../documents/unprintable-chars.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getOrg } from "./get-org.ts";
import { ORG_JSON_SELECT, toOrgJson, type OrgJson } from "./org-json.ts";

/**
 * Text that prints in every document header of the organisation: a character the document font
 * lacks is refused here (422 naming the field and the characters), not met as a box in every letter.
 */
function printable(max: number) {
  return userText({ max }).superRefine((s, ctx) => {
    const chars = unprintableChars(s);
    if (chars.length) ctx.addIssue({ code: "custom", params: { messageKey: "orgs.errors.unprintable", chars: chars.join(" ") }, message: "characters the document font lacks" });
  });
}

/** The issuer abbreviation goes into "số/ký hiệu" after a slash and a dash, so it has neither slash nor space. */
const SymbolSchema = printable(30).refine((s) => /^[\p{L}\p{N}&.-]+$/u.test(s), {
  params: { messageKey: "orgs.errors.bad_symbol" },
  message: "letters, digits, & . - only",
});

export const UpdateOrgSchema = z
  .object({
    name: printable(300).optional(),
    symbol: SymbolSchema.nullable().optional(),
    place: printable(100).nullable().optional(),
    governing_body: printable(200).nullable().optional(),
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
