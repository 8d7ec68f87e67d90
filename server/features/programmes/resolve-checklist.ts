import type { Db } from "../../db/prisma.ts";
import { toDueDate, type ChecklistStepInput } from "../../domain/checklist.ts";
import { AppError, type FieldIssue } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { findChecklistTemplate } from "./find-checklist-templates.ts";

export type ChecklistRequest = {
  checklist?: ChecklistStepInput[] | undefined;
  checklist_template?: string | undefined;
  checklist_dues?: { n: number; due?: string | undefined; offset?: string | undefined }[] | undefined;
};

/** A step as stored with the directive. */
export type StepRow = { n: number; title: string; dueAt: Date | null; offset: string | null; evidence: string | null };

const invalid = (issues: FieldIssue[]) => new AppError("VALIDATION", "bad checklist", { messageKey: "errors.validation", issues });

/**
 * The steps a new directive carries: given inline, or copied from the newest version of a template
 * the user may use, with the dates `checklist_dues` gives each step number. Null without either.
 * @throws AppError VALIDATION for both at once, an unknown template, dates for steps that do not
 * exist, or a date and an offset for one step
 */
export async function resolveChecklist(db: Db, user: AuthUser, input: ChecklistRequest): Promise<{ template: string | null; steps: StepRow[] } | null> {
  if (input.checklist && input.checklist_template) throw invalid([{ path: "checklist_template", messageKey: "errors.checklist_both" }]);
  let template: string | null = null;
  let steps: ChecklistStepInput[];
  if (input.checklist_template) {
    const found = await findChecklistTemplate(db, user, input.checklist_template);
    if (!found) throw invalid([{ path: "checklist_template", messageKey: "errors.template_not_found", params: { name: input.checklist_template } }]);
    template = `${found.name}@${found.version}`;
    steps = found.steps.map((s) => ({ ...s }));
  } else if (input.checklist) {
    steps = input.checklist;
  } else {
    if (input.checklist_dues?.length) throw invalid([{ path: "checklist_dues", messageKey: "errors.checklist_dues_alone" }]);
    return null;
  }
  const issues: FieldIssue[] = [];
  for (const [i, d] of (input.checklist_dues ?? []).entries()) {
    const step = steps[d.n - 1];
    if (!step) issues.push({ path: `checklist_dues.${i}.n`, messageKey: "errors.checklist_no_step", params: { n: d.n } });
    else if (d.due && d.offset) issues.push({ path: `checklist_dues.${i}.offset`, messageKey: "errors.field.due_or_offset" });
    else steps[d.n - 1] = { ...step, due: d.due, offset: d.offset };
  }
  if (issues.length) throw invalid(issues);
  return {
    template,
    steps: steps.map((s, i) => ({ n: i + 1, title: s.title, dueAt: s.due ? toDueDate(s.due) : null, offset: s.offset ?? null, evidence: s.evidence ?? null })),
  };
}
