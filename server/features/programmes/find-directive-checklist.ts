import type { Db } from "../../db/prisma.ts";
import { fromDbStepStatus, isOverdue, type StepStatusName } from "../../domain/step-status.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "../directives/get-accessible-directive.ts";
import { programmeSchoolIds } from "./programme-schools.ts";

export type ChecklistView = {
  directive: { id: number; title: string };
  steps: { n: number; title: string; due: string | null; offset: string | null; evidence: string | null }[];
  schools: {
    org_code: string;
    org_name: string;
    steps: {
      n: number;
      status: StepStatusName;
      overdue: boolean;
      /** The school's own due date (an extension), else the step's. */
      due: string | null;
      note: string | null;
      updated_at: string | null;
      channel: string | null;
      reported_by: string | null;
      evidence?: unknown;
    }[];
  }[];
};

type ProgressRow = {
  org_id: number;
  org_code: string;
  org_name: string;
  n: number | null;
  status: string | null;
  note: string | null;
  reported_at: Date | null;
  channel: string | null;
  person_name: string | null;
  evidence: unknown;
  due_at: Date | null;
};

/**
 * A directive's checklist and every school's progress on each step, schools by code: steps a school
 * never reported on are "not_started". Access as every directive route (the issuing office's
 * subtree, else 404).
 * @throws AppError NOT_FOUND
 */
export async function findDirectiveChecklist(db: Db, user: AuthUser, directiveId: number, now: Date = new Date()): Promise<ChecklistView> {
  const directive = await getAccessibleDirective(db, user, directiveId);
  const steps = await db.checklistStep.findMany({ where: { directiveId }, orderBy: { n: "asc" } });
  const rows = await db.$queryRaw<ProgressRow[]>`
    SELECT o.id AS org_id, o.code AS org_code, o.name AS org_name, s.n, sp.status::text AS status, sp.note,
           sp."reportedAt" AS reported_at, sp.channel::text AS channel, pe.name AS person_name, sp.evidence, sp."dueAt" AS due_at
    FROM "Organization" o
    LEFT JOIN "StepProgress" sp ON sp."organizationId" = o.id AND sp."stepId" IN (SELECT id FROM "ChecklistStep" WHERE "directiveId" = ${directiveId}::int)
    LEFT JOIN "ChecklistStep" s ON s.id = sp."stepId"
    LEFT JOIN "Person" pe ON pe.id = sp."personId"
    WHERE o.id IN (${await programmeSchoolIds(db, directiveId)})
    ORDER BY o.code`;
  const schools = new Map<number, { code: string; name: string; byStep: Map<number, ProgressRow> }>();
  for (const r of rows) {
    const school = schools.get(r.org_id) ?? { code: r.org_code, name: r.org_name, byStep: new Map() };
    schools.set(r.org_id, school);
    if (r.n !== null) school.byStep.set(r.n, r);
  }
  return {
    directive: { id: directive.id, title: directive.title },
    steps: steps.map((s) => ({ n: s.n, title: s.title, due: s.dueAt?.toISOString() ?? null, offset: s.offset, evidence: s.evidence })),
    schools: [...schools.values()].map((school) => ({
      org_code: school.code,
      org_name: school.name,
      steps: steps.map((s) => {
        const p = school.byStep.get(s.n);
        const status = p?.status ? fromDbStepStatus(p.status) : "not_started";
        const due = p?.due_at ?? s.dueAt;
        return {
          n: s.n,
          status,
          overdue: isOverdue(status, due, now),
          due: due?.toISOString() ?? null,
          note: p?.note ?? null,
          updated_at: p?.reported_at?.toISOString() ?? null,
          channel: p?.channel?.toLowerCase() ?? null,
          reported_by: p?.person_name ?? null,
          ...(p?.evidence ? { evidence: p.evidence } : {}),
        };
      }),
    })),
  };
}
