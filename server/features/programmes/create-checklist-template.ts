import type { Db } from "../../db/prisma.ts";
import { findBuiltinChecklist } from "../../domain/builtin-checklists.ts";
import type { ChecklistTemplate, ChecklistTemplateInput } from "../../domain/checklist.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/**
 * Saves an officer's checklist template as the next version of `name` (version 1 when new): a
 * directive that copied an older version keeps its steps, and the newest version is what new
 * directives get. Built-in names are reserved.
 * @throws AppError CONFLICT when `name` is a built-in template's
 */
export async function createChecklistTemplate(db: Db, user: AuthUser, input: ChecklistTemplateInput): Promise<ChecklistTemplate> {
  if (findBuiltinChecklist(input.name)) {
    throw new AppError("CONFLICT", "built-in template name", {
      messageKey: "errors.template_builtin",
      params: { name: input.name },
      issues: [{ path: "name", messageKey: "errors.template_builtin", params: { name: input.name } }],
    });
  }
  // Two officers saving the same name at once: the unique (name, version) makes one of them retry.
  for (let attempt = 0; ; attempt++) {
    const last = await db.checklistTemplate.findFirst({ where: { name: input.name }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    try {
      await db.$transaction([
        db.checklistTemplate.create({
          data: {
            name: input.name,
            version,
            title: input.title,
            description: input.description ?? null,
            steps: input.steps,
            organizationId: user.organizationId,
            createdById: user.id,
          },
        }),
        db.auditLog.create({ data: { userId: user.id, action: "checklist_template.create", entityType: "checklist_template", entityId: `${input.name}@${version}` } }),
      ]);
      return { name: input.name, version, title: input.title, description: input.description, builtin: false, steps: input.steps };
    } catch (err) {
      if (attempt < 3 && (err as { code?: string }).code === "P2002") continue;
      throw err;
    }
  }
}
