import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { hashPassword } from "../auth/password-hash.ts";
import { assertPasswordPolicy } from "../../domain/password-policy.ts";
import { userText } from "../../domain/text.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { UserRoleSchema } from "./create-user.ts";
import { getManagedUser } from "./get-managed-user.ts";
import { revokeAllTokens } from "./revoke-user-tokens.ts";
import { toUserJson, USER_JSON_SELECT, type UserJson } from "./user-json.ts";

export const UpdateUserInputSchema = z
  .object({
    name: userText({ max: 200 }).optional(),
    role: UserRoleSchema.optional(),
    disabled: z.boolean().optional(),
    password: z.string().max(1024).optional(),
  })
  .strict()
  .refine((o) => Object.values(o).some((v) => v !== undefined), { params: { messageKey: "errors.field.required" }, message: "nothing to change" });
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

/**
 * Changes user `id` on behalf of administrator `admin`. Disabling a user revokes all their tokens in the
 * same transaction (not only refused at the next request), and so does setting a new password, which
 * must pass the password policy. An administrator cannot disable themselves or change their own role,
 * so the last administrator cannot lock everyone out by mistake.
 * @throws AppError NOT_FOUND (unknown or outside the subtree), CONFLICT (self), VALIDATION (weak password).
 */
export async function updateUser(db: Db, admin: AuthUser, id: number, input: UpdateUserInput): Promise<UserJson> {
  const target = await getManagedUser(db, admin, id);
  if (target.id === admin.id && (input.disabled === true || (input.role !== undefined && input.role !== target.role))) {
    throw new AppError("CONFLICT", "self lock-out", { messageKey: "errors.user_self_change" });
  }
  if (input.password !== undefined) assertPasswordPolicy(input.password, { email: target.email });
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  // Disabling revokes even when already disabled: rows from before revocation-on-disable get cleaned too.
  const revokes = input.disabled === true || passwordHash !== undefined;
  return db.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled === true && target.disabledAt === null ? { disabledAt: new Date() } : {}),
        ...(input.disabled === false ? { disabledAt: null } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
      },
      select: USER_JSON_SELECT,
    });
    const revoked = revokes ? await revokeAllTokens(tx, id) : 0;
    const changed = Object.keys(input).filter((k) => input[k as keyof UpdateUserInput] !== undefined);
    await tx.auditLog.create({
      data: {
        userId: admin.id,
        action: "user.update",
        entityType: "user",
        entityId: String(id),
        // The password itself is never written down, only that it changed.
        details: { changed, ...(input.role !== undefined ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}), revoked },
      },
    });
    return toUserJson(user);
  });
}
