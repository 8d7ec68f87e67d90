/**
 * Checklists: the steps a programme asks every school to go through, as data. A step has a title,
 * either a due date or an offset from the directive's publication (an ISO 8601 duration such as
 * "P30D"), and optionally the evidence it expects. The same shape serves the built-in templates
 * (./builtin-checklists.ts), the officers' own templates and a directive's inline checklist.
 */
import { z } from "zod";
import { parseIsoDuration } from "./reminder-policy.ts";
import { userText } from "./text.ts";

/** An offset as reminders use them: "P30D", "P1W", "PT12H" (no years or months: their length varies). */
export const IsoDurationSchema = z
  .string()
  .trim()
  .max(40)
  .refine(
    (s) => {
      try {
        parseIsoDuration(s);
        return true;
      } catch {
        return false;
      }
    },
    { params: { messageKey: "errors.field.iso_duration" }, message: "ISO 8601 duration" },
  );

/** A due date: a day (the end of that day in Vietnam) or a time with its offset. */
export const DueSchema = z.iso.datetime({ offset: true }).or(z.iso.date());

/** At most this many steps in one checklist: a programme longer than that is several directives. */
export const MAX_STEPS = 30;

export const ChecklistStepInputSchema = z
  .object({
    title: userText({ max: 300 }),
    due: DueSchema.optional(),
    offset: IsoDurationSchema.optional(),
    evidence: userText({ max: 500 }).optional(),
  })
  .strict()
  .refine((s) => !(s.due && s.offset), { params: { messageKey: "errors.field.due_or_offset" }, message: "due or offset, not both", path: ["offset"] });
export type ChecklistStepInput = z.infer<typeof ChecklistStepInputSchema>;

export const ChecklistInputSchema = z.array(ChecklistStepInputSchema).min(1).max(MAX_STEPS);

/** A template's name: lower-case words joined by hyphens ("kiem-dinh-2018"). */
export const TemplateNameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .refine((s) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s), { params: { messageKey: "errors.field.template_name" }, message: "template name" });

export const ChecklistTemplateInputSchema = z
  .object({
    name: TemplateNameSchema,
    title: userText({ max: 300 }),
    description: userText({ max: 2000, multiline: true }).optional(),
    steps: ChecklistInputSchema,
  })
  .strict();
export type ChecklistTemplateInput = z.infer<typeof ChecklistTemplateInputSchema>;

/** A template as the API lists it: built-in ones carry the legal basis they follow. */
export type ChecklistTemplate = {
  name: string;
  version: number;
  title: string;
  description?: string | undefined;
  /** The circulars the wording follows (built-in templates). */
  basis?: string | undefined;
  builtin: boolean;
  steps: ChecklistStepInput[];
};

/** A date without a time means the end of that day in Vietnam (23:59:59 +07:00). */
export function toDueDate(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59+07:00`) : new Date(value);
}
