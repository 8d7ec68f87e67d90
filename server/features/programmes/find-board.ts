import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { STEP_STATUSES, type StepStatusName } from "../../domain/step-status.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { directiveNotFound } from "../directives/get-accessible-directive.ts";
import { findDirectiveChecklist } from "./find-directive-checklist.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";

export type BoardStep = {
  n: number;
  title: string;
  due: string | null;
  counts: Record<StepStatusName | "overdue", number>;
  overdue: { org_code: string; org_name: string; due: string | null }[];
  blocked: { org_code: string; org_name: string; note: string | null }[];
};

export type Board = { directive: { id: number; title: string }; under: string | null; schools: number; steps: BoardStep[] };

/**
 * The supervisor's board of a programme: per step, how many schools below `under` have not
 * started, are in progress, done, blocked and overdue, with the overdue and blocked schools by
 * name. A supervisor reads it for the schools of their own subtree, whoever issued the directive
 * (a commune follows its schools through the Sở's accreditation programme); the issuing office and
 * those above it read every school.
 * @throws AppError NOT_FOUND for an unknown organisation or directive, or one out of reach
 */
export async function findBoard(db: Db, user: AuthUser, { directiveId, under, now = new Date() }: { directiveId: number; under: string | null; now?: Date }): Promise<Board> {
  let underOrg: { id: number; code: string } | null = null;
  if (under !== null) {
    underOrg = await db.organization.findUnique({ where: { code: under }, select: { id: true, code: true } });
    if (!underOrg || !(await canAccessOrg(db, user, underOrg.id))) throw new AppError("NOT_FOUND", "board org", { messageKey: "errors.org_not_found", params: { code: under } });
  } else if (user.organizationId !== null) {
    underOrg = await db.organization.findUnique({ where: { id: user.organizationId }, select: { id: true, code: true } });
  }
  const directive = await db.directive.findUnique({ where: { id: directiveId }, select: { id: true, issuerOrgId: true } });
  if (!directive) throw directiveNotFound(directiveId);
  // Read as the issuer would (its own access rule), limited to the schools below `under`.
  const asIssuer = (await canAccessOrg(db, user, directive.issuerOrgId)) ? user : { ...user, organizationId: directive.issuerOrgId };
  const view = await findDirectiveChecklist(db, asIssuer, directiveId, now);
  const inScope = underOrg
    ? await schoolsUnder(
        db,
        underOrg.id,
        view.schools.map((s) => s.org_code),
      )
    : null;
  const schools = inScope ? view.schools.filter((s) => inScope.has(s.org_code)) : view.schools;
  // Not the issuer's, and none of its schools in the user's reach: as if it did not exist.
  if (asIssuer !== user && schools.length === 0) throw directiveNotFound(directiveId);
  const steps = view.steps.map((step, i): BoardStep => {
    const counts = { ...Object.fromEntries(STEP_STATUSES.map((s) => [s, 0])), overdue: 0 } as BoardStep["counts"];
    const overdue: BoardStep["overdue"] = [];
    const blocked: BoardStep["blocked"] = [];
    for (const school of schools) {
      const p = school.steps[i]!;
      counts[p.status]++;
      if (p.overdue) {
        counts.overdue++;
        overdue.push({ org_code: school.org_code, org_name: school.org_name, due: p.due });
      }
      if (p.status === "blocked") blocked.push({ org_code: school.org_code, org_name: school.org_name, note: p.note });
    }
    return { n: step.n, title: step.title, due: step.due, counts, overdue, blocked };
  });
  return { directive: view.directive, under: underOrg?.code ?? null, schools: schools.length, steps };
}

/** Which of `codes` lie in the subtree of `rootId` (itself included). */
async function schoolsUnder(db: Db, rootId: number, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.$queryRaw<{ code: string }[]>`SELECT code FROM "Organization" WHERE code = ANY(${codes}::text[]) AND id IN (${subtreeIds(rootId)})`;
  return new Set(rows.map((r) => r.code));
}
