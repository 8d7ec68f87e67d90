import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { OrgCodeSchema, OrgKindSchema, SchoolLevelSchema, toDbKind, toDbLevel } from "../../domain/org.ts";
import { userText } from "../../domain/text.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import { countAudience } from "./find-audience-recipients.ts";
import { ChecklistInputSchema, DueSchema, IsoDurationSchema, TemplateNameSchema } from "../../domain/checklist.ts";
import { resolveChecklist } from "../programmes/resolve-checklist.ts";
import { ZReminderPolicy } from "../../domain/reminder-policy.ts";
import { getAttachableDocument } from "./get-attachable-document.ts";

export const CreateDirectiveSchema = z.object({
  title: userText({ max: 300 }),
  // Telegram splits long bodies into several messages; 20,000 characters is five of them.
  body: userText({ max: 20_000, multiline: true }),
  deadline: z.iso.datetime({ offset: true }).or(z.iso.date()).nullish(),
  audience: z
    .object({
      kinds: z.array(OrgKindSchema).max(6).optional(),
      levels: z.array(SchoolLevelSchema).max(6).optional(),
      under: OrgCodeSchema.optional(),
    })
    .strict(),
  require_ack: z.boolean().optional(),
  document_id: z.number().int().positive().optional(),
  // A programme: a checklist given inline, or copied from a template (with the dates of its steps).
  checklist: ChecklistInputSchema.optional(),
  checklist_template: TemplateNameSchema.optional(),
  checklist_dues: z
    .array(z.object({ n: z.number().int().min(1).max(100), due: DueSchema.optional(), offset: IsoDurationSchema.optional() }).strict())
    .max(100)
    .optional(),
  escalate_after_working_days: z.number().int().min(1).max(60).nullish(),
  // Missing fields take the defaults (7, 3, 1 days before and at the due time; every 2 days overdue; working days; 21:00-07:00 quiet).
  reminders: ZReminderPolicy.optional(),
});
export type CreateDirectiveInput = z.infer<typeof CreateDirectiveSchema>;

/** A date without a time means the end of that day in Vietnam (23:59:59 +07:00). */
function toDeadline(value: string | null | undefined): Date | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59+07:00`) : new Date(value);
}

/**
 * Creates a draft directive with its audience, issued by the user's office (which from then on
 * decides who may read and publish it).
 * @throws AppError VALIDATION when `audience.under` names no organisation, when the audience reaches
 * nobody, or when `document_id` is not an issued document the user may read (see
 * {@link getAttachableDocument}), and for a checklist that cannot be built (see
 * {@link resolveChecklist}); FORBIDDEN when `audience.under` is outside the user's subtree.
 */
export async function createDirective(db: Db, user: AuthUser, input: CreateDirectiveInput): Promise<{ id: number; status: "draft"; recipients: number; steps: number }> {
  let underOrgId: number | null = null;
  if (input.audience.under) {
    const org = await db.organization.findUnique({ where: { code: input.audience.under }, select: { id: true } });
    if (!org) {
      throw new AppError("VALIDATION", "unknown audience.under", {
        messageKey: "errors.validation",
        issues: [{ path: "audience.under", messageKey: "errors.org_not_found", params: { code: input.audience.under } }],
      });
    }
    underOrgId = org.id;
    if (!(await canAccessOrg(db, user, org.id))) {
      throw new AppError("FORBIDDEN", "audience outside the user's organisation", {
        messageKey: "errors.forbidden",
        issues: [{ path: "audience.under", messageKey: "errors.audience_outside_scope", params: { code: input.audience.under } }],
      });
    }
  } else if (user.organizationId !== null) {
    // An officer's audience is always within their own organisation.
    underOrgId = user.organizationId;
  }
  const filter = { kinds: (input.audience.kinds ?? []).map(toDbKind), levels: (input.audience.levels ?? []).map(toDbLevel), underOrgId };
  const { recipients } = await countAudience(db, filter);
  if (recipients === 0) {
    throw new AppError("VALIDATION", "audience matches nobody", {
      messageKey: "errors.audience_empty",
      issues: [{ path: "audience", messageKey: "errors.audience_empty" }],
    });
  }
  if (input.document_id !== undefined) await getAttachableDocument(db, user, input.document_id);
  const checklist = await resolveChecklist(db, user, input);
  const directive = await db.$transaction(async (tx) => {
    const audience = await tx.audience.create({ data: { kinds: filter.kinds, levels: filter.levels, underOrgId } });
    const created = await tx.directive.create({
      data: {
        title: input.title,
        body: input.body,
        deadline: toDeadline(input.deadline),
        requireAck: input.require_ack ?? true,
        audienceId: audience.id,
        issuerOrgId: user.organizationId,
        documentId: input.document_id ?? null,
        createdById: user.id,
        checklistTemplate: checklist?.template ?? null,
        escalateAfterWorkingDays: input.escalate_after_working_days ?? null,
        ...(input.reminders ? { reminderPolicy: input.reminders } : {}),
      },
      select: { id: true },
    });
    if (checklist) await tx.checklistStep.createMany({ data: checklist.steps.map((s) => ({ ...s, directiveId: created.id })) });
    await tx.auditLog.create({ data: { userId: user.id, action: "directive.create", entityType: "directive", entityId: String(created.id), details: { recipients } } });
    return created;
  });
  return { id: directive.id, status: "draft", recipients, steps: checklist?.steps.length ?? 0 };
}
