import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { OrgCodeSchema } from "../../domain/org.ts";
import { hashPassword } from "../auth/password-hash.ts";
import { assertPasswordPolicy } from "../../domain/password-policy.ts";
import { userText } from "../../domain/text.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { toUserJson, USER_JSON_SELECT, type UserJson } from "./user-json.ts";

export const UserRoleSchema = z.enum(["ADMIN", "OFFICER", "CLERK", "VIEWER"]);

export const CreateUserInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
    name: userText({ max: 200 }),
    role: UserRoleSchema,
    organization_code: OrgCodeSchema.optional(),
    password: z.string().max(1024),
  })
  .strict();
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

/** CONFLICT for an e-mail that already has an account. */
export function emailTaken(email: string): AppError {
  return new AppError("CONFLICT", "email taken", { messageKey: "errors.email_taken", params: { email } });
}

/** True for Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "P2002";
}

/**
 * Creates a user on behalf of administrator `admin`, with a password that passes the password policy.
 * An administrator with an organisation creates users only in their organisation or below it; only a
 * system-wide administrator creates users without an organisation.
 * @throws AppError VALIDATION for a weak password or an organisation the administrator cannot reach
 *   (unknown and out of reach are not told apart), FORBIDDEN for a system-wide user asked by an
 *   organisation's administrator, CONFLICT when the e-mail already has an account.
 */
export async function createUser(db: Db, admin: AuthUser, input: CreateUserInput): Promise<UserJson> {
  assertPasswordPolicy(input.password, { email: input.email });
  let organizationId: number | null = null;
  if (input.organization_code !== undefined) {
    const org = await db.organization.findUnique({ where: { code: input.organization_code }, select: { id: true } });
    if (!org || !(await canAccessOrg(db, admin, org.id))) {
      throw new AppError("VALIDATION", "organisation out of reach", {
        messageKey: "errors.validation",
        issues: [{ path: "organization_code", messageKey: "errors.org_not_found", params: { code: input.organization_code } }],
      });
    }
    organizationId = org.id;
  } else if (admin.organizationId !== null) {
    throw new AppError("FORBIDDEN", "system-wide user asked by an organisation's administrator", { messageKey: "errors.user_needs_org" });
  }
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw emailTaken(input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, organizationId, passwordHash },
        select: USER_JSON_SELECT,
      });
      await tx.auditLog.create({
        data: {
          userId: admin.id,
          action: "user.create",
          entityType: "user",
          entityId: String(user.id),
          details: { email: user.email, role: user.role, organization_code: input.organization_code ?? null },
        },
      });
      return toUserJson(user);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken(input.email); // created by a concurrent request
    throw err;
  }
}
