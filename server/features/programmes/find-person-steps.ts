import type { Prisma } from "../../db/prisma.ts";
import { fromDbStepStatus, type StepStatusName } from "../../domain/step-status.ts";

export type PersonStep = {
  directiveId: number;
  directiveTitle: string;
  stepId: number;
  n: number;
  title: string;
  evidence: string | null;
  /** The school's due date: its own (an extension) or the step's. */
  due: Date | null;
  status: StepStatusName;
  organizationId: number;
};

/**
 * The checklist steps of the programmes that reached this person (a published directive delivered
 * to them), with their school's progress, newest directive first, steps in order. At most
 * `limit` directives.
 */
export async function findPersonSteps(db: Prisma.TransactionClient, personId: number, limit = 20): Promise<PersonStep[]> {
  const rows = await db.$queryRaw<(Omit<PersonStep, "status"> & { status: string | null })[]>`
    WITH programmes AS (
      SELECT d.id, d.title, d."publishedAt", v."organizationId"
      FROM "Directive" d
      JOIN LATERAL (SELECT "organizationId" FROM "Delivery" v WHERE v."directiveId" = d.id AND v."personId" = ${personId}::int LIMIT 1) v ON TRUE
      WHERE d.status = 'PUBLISHED' AND EXISTS (SELECT 1 FROM "ChecklistStep" s WHERE s."directiveId" = d.id)
      ORDER BY d."publishedAt" DESC NULLS LAST, d.id DESC
      LIMIT ${limit}
    )
    SELECT p.id AS "directiveId", p.title AS "directiveTitle", s.id AS "stepId", s.n, s.title, s.evidence,
           COALESCE(sp."dueAt", s."dueAt") AS due, sp.status::text AS status, p."organizationId" AS "organizationId"
    FROM programmes p
    JOIN "ChecklistStep" s ON s."directiveId" = p.id
    LEFT JOIN "StepProgress" sp ON sp."stepId" = s.id AND sp."organizationId" = p."organizationId"
    ORDER BY p."publishedAt" DESC NULLS LAST, p.id DESC, s.n`;
  return rows.map((r) => ({ ...r, status: r.status ? fromDbStepStatus(r.status) : "not_started" }));
}
