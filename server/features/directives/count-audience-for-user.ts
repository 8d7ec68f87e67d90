import type { Db } from "../../db/prisma.ts";
import { toDbKind, toDbLevel, type OrgKindName, type SchoolLevelName } from "../../domain/org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import { countAudience } from "./find-audience-recipients.ts";

export type AudienceChoice = { kinds?: OrgKindName[] | undefined; levels?: SchoolLevelName[] | undefined; under?: string | undefined };

/**
 * How many organisations and principals an audience would reach if this user created it now, by
 * the rules createDirective applies: `under` must be within the user's subtree, and without it
 * an officer's audience is their own office's subtree. An `under` the user cannot reach, or that
 * does not exist, reaches nobody (the compose form then says so; creating it is refused).
 */
export async function countAudienceForUser(db: Db, user: AuthUser, choice: AudienceChoice): Promise<{ organizations: number; recipients: number }> {
  let underOrgId = user.organizationId;
  if (choice.under) {
    const org = await db.organization.findUnique({ where: { code: choice.under }, select: { id: true } });
    if (!org || !(await canAccessOrg(db, user, org.id))) return { organizations: 0, recipients: 0 };
    underOrgId = org.id;
  }
  return countAudience(db, { kinds: (choice.kinds ?? []).map(toDbKind), levels: (choice.levels ?? []).map(toDbLevel), underOrgId });
}
