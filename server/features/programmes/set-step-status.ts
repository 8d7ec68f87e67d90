import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";
import { toDbStepStatus, type StepStatusName } from "../../domain/step-status.ts";

export type StepReport = {
  stepId: number;
  organizationId: number;
  status: StepStatusName;
  note?: string | null | undefined;
  personId?: number | null | undefined;
  channel?: ChannelKind | null | undefined;
  raw?: string | null | undefined;
  /** A file or photo sent with the report, appended to the step's evidence. */
  evidence?: { name: string; kind: string; ref?: string | undefined } | undefined;
  at: Date;
};

/**
 * Records a school's report on one step: the last report sets the status, note, time, person and
 * channel; evidence accumulates. One upsert, so two reports at once leave one row.
 */
export async function setStepStatus(tx: Prisma.TransactionClient, r: StepReport): Promise<void> {
  const evidence = r.evidence ? [{ ...r.evidence, at: r.at.toISOString() }] : [];
  await tx.$executeRaw`
    INSERT INTO "StepProgress" ("stepId", "organizationId", status, note, "personId", channel, raw, evidence, "reportedAt", "updatedAt")
    VALUES (${r.stepId}::int, ${r.organizationId}::int, ${toDbStepStatus(r.status)}::"StepStatus", ${r.note ?? null}, ${r.personId ?? null}::int,
            ${r.channel ?? null}::"Channel", ${r.raw ?? null}, ${evidence.length ? JSON.stringify(evidence) : null}::jsonb, ${r.at}, now())
    ON CONFLICT ("stepId", "organizationId") DO UPDATE SET
      status = EXCLUDED.status,
      note = CASE WHEN EXCLUDED.note IS NULL AND EXCLUDED.status = "StepProgress".status THEN "StepProgress".note ELSE EXCLUDED.note END,
      "personId" = EXCLUDED."personId", channel = EXCLUDED.channel, raw = EXCLUDED.raw,
      evidence = CASE WHEN EXCLUDED.evidence IS NULL THEN "StepProgress".evidence ELSE COALESCE("StepProgress".evidence, '[]'::jsonb) || EXCLUDED.evidence END,
      "reportedAt" = EXCLUDED."reportedAt", "updatedAt" = now()`;
}
