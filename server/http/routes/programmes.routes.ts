import { Router } from "express";
import { z } from "zod";
import type { AppDeps } from "../deps.ts";
import { ChecklistTemplateInputSchema, DueSchema, toDueDate } from "../../domain/checklist.ts";
import { userText } from "../../domain/text.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createChecklistTemplate } from "../../features/programmes/create-checklist-template.ts";
import { decideExtension } from "../../features/programmes/decide-extension.ts";
import { findBoard } from "../../features/programmes/find-board.ts";
import { findChecklistTemplates } from "../../features/programmes/find-checklist-templates.ts";
import { findDirectiveChecklist } from "../../features/programmes/find-directive-checklist.ts";
import { findExtensionRequests } from "../../features/programmes/find-extension-requests.ts";
import { renderChecklistXlsx } from "../../features/programmes/render-checklist-xlsx.ts";
import { findDirectiveReminders } from "../../features/reminders/find-directive-reminders.ts";
import { replanItem } from "../../features/reminders/replan-item.ts";
import { remindNow } from "../../features/reminders/remind-now.ts";
import { OrgCodeSchema } from "../../domain/org.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { contentDisposition } from "../content-disposition.ts";
import { parseId } from "../params.ts";
import { AppError } from "../../domain/errors.ts";

/** An extension request's id from the path; anything else is the same 404 as an unknown id. */
function parseExtensionId(value: string | string[] | undefined): number {
  const s = (Array.isArray(value) ? value[0] : value) ?? "";
  if (!/^\d{1,9}$/.test(s) || Number(s) <= 0)
    throw new AppError("NOT_FOUND", "bad extension request id", { messageKey: "errors.extension_not_found", params: { id: s.slice(0, 20) } });
  return Number(s);
}

const BoardQuerySchema = z.object({ under: OrgCodeSchema.optional(), directive: z.string().regex(/^\d{1,9}$/) });
const ExtensionQuerySchema = z.object({ status: z.enum(["pending", "approved", "refused"]).optional() });
const DecisionSchema = z.object({ approve: z.boolean(), until: DueSchema.optional(), note: userText({ max: 1000, multiline: true }).optional() }).strict();
const RemindersQuerySchema = z.object({ status: z.enum(["planned", "sending", "sent", "skipped"]).optional() });

/**
 * Programmes: checklist templates, a directive's checklist with every school's progress (JSON and
 * .xlsx), the supervisor's board, extension requests and their decisions, and the reminder schedule.
 * Reads of a directive check, inside the features, that it is within the user's reach (else 404).
 */
export function programmesRoutes({ db }: Pick<AppDeps, "db">): Router {
  const router = Router();
  const write = requireRole("ADMIN", "OFFICER");

  router.get("/checklist-templates", async (req, res) => {
    res.json(await findChecklistTemplates(db, currentUser(req)));
  });

  router.post("/checklist-templates", write, async (req, res) => {
    const input = parseWith(ChecklistTemplateInputSchema, req.body);
    res.status(201).json(await createChecklistTemplate(db, currentUser(req), input));
  });

  router.get("/directives/:id/checklist", async (req, res) => {
    const view = await findDirectiveChecklist(db, currentUser(req), parseId(req.params.id, "directive"));
    res.json({ steps: view.steps, schools: view.schools });
  });

  router.get("/directives/:id/checklist.xlsx", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const view = await findDirectiveChecklist(db, currentUser(req), id);
    const xlsx = await renderChecklistXlsx(view, req.locale);
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `directive-${id}-checklist.xlsx`));
    res.send(xlsx);
  });

  router.get("/directives/:id/reminders", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const { status } = parseWith(RemindersQuerySchema, req.query);
    res.json(await findDirectiveReminders(db, currentUser(req), id, { status }));
  });

  // "Remind now": one reminder to every school that still owes something, sent by the reminder sweep.
  router.post("/directives/:id/remind", write, async (req, res) => {
    res.status(202).json(await remindNow(db, currentUser(req), parseId(req.params.id, "directive")));
  });

  router.get("/board", async (req, res) => {
    const q = parseWith(BoardQuerySchema, req.query);
    res.json(await findBoard(db, currentUser(req), { directiveId: Number(q.directive), under: q.under ?? null }));
  });

  router.get("/extension-requests", async (req, res) => {
    const { status } = parseWith(ExtensionQuerySchema, req.query);
    res.json(await findExtensionRequests(db, currentUser(req), { status: status?.toUpperCase() as "PENDING" | undefined }));
  });

  router.post("/extension-requests/:id/decision", write, async (req, res) => {
    const id = parseExtensionId(req.params.id);
    const input = parseWith(DecisionSchema, req.body);
    const decided = await decideExtension(
      db,
      currentUser(req),
      id,
      { approve: input.approve, until: input.until ? toDueDate(input.until) : undefined, note: input.note },
      replanItem,
    );
    res.json(decided);
  });
  return router;
}
