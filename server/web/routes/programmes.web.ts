import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppDeps } from "../../http/deps.ts";
import { DueSchema, toDueDate } from "../../domain/checklist.ts";
import { AppError } from "../../domain/errors.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import type { AuthUser } from "../../features/auth/find-user-by-token.ts";
import { decideExtension } from "../../features/programmes/decide-extension.ts";
import { findBoard } from "../../features/programmes/find-board.ts";
import { findDirectiveChecklist } from "../../features/programmes/find-directive-checklist.ts";
import { findExtensionRequests } from "../../features/programmes/find-extension-requests.ts";
import { findProgrammes } from "../../features/programmes/find-programmes.ts";
import { renderChecklistXlsx } from "../../features/programmes/render-checklist-xlsx.ts";
import { findOrgs } from "../../features/orgs/find-orgs.ts";
import { remindNow } from "../../features/reminders/remind-now.ts";
import { replanItem } from "../../features/reminders/replan-item.ts";
import { getAccessibleDirective } from "../../features/directives/get-accessible-directive.ts";
import { contentDisposition } from "../../http/content-disposition.ts";
import { parseId } from "../../http/params.ts";
import { t } from "../../i18n.ts";
import { formString } from "../form-errors.ts";
import { formatDate } from "../format.ts";
import { checklistPage, extensionsPage, programmesPage, remindConfirmPage } from "../pages/programmes-pages.ts";
import { pageContext } from "../web-context.ts";
import { requireWebRole, requireWebUser } from "../web-guards.ts";

const DECIDERS: AuthUser["role"][] = ["ADMIN", "OFFICER"];

const MatrixFilterSchema = z.object({
  status: z.enum(["", "not_started", "in_progress", "done", "blocked"]).catch(""),
  overdue: z.preprocess((v) => v === "1" || v === "on", z.boolean()).catch(false),
  under: z.string().max(64).catch(""),
});

/** An extension request's id from the path; anything else is the 404 page. */
function extensionId(value: string | string[] | undefined): number {
  const s = (Array.isArray(value) ? value[0] : value) ?? "";
  if (!/^\d{1,9}$/.test(s) || Number(s) <= 0)
    throw new AppError("NOT_FOUND", "bad extension request id", { messageKey: "errors.extension_not_found", params: { id: s.slice(0, 20) } });
  return Number(s);
}

/**
 * Programmes (checklists): the directives that carry one, a directive's board and school × step
 * matrix with filters and its XLSX, pending extension requests with approve/refuse forms, and
 * "remind now" behind a confirmation. The same feature functions as `/api/v1`, so the same reach:
 * another subtree's directive or request is the 404 page.
 */
export function programmesWebRoutes(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();
  router.use(["/programmes", "/extensions"], requireWebUser);
  const decide = requireWebRole(...DECIDERS);

  router.get("/programmes", async (req, res) => {
    res.type("html").send(programmesPage(pageContext(req, res), await findProgrammes(db, req.user!)));
  });

  router.get("/directives/:id/checklist", requireWebUser, async (req, res) => {
    const user = req.user!;
    const id = parseId(req.params.id, "directive");
    const filter = MatrixFilterSchema.parse(req.query);
    const view = await findDirectiveChecklist(db, user, id);
    const subtrees = (await findOrgs(db, user, { kind: ["ministry", "department", "commune", "district_office"] })).map((o) => ({ code: o.code, name: o.name }));
    if (filter.under && !subtrees.some((s) => s.code === filter.under)) filter.under = "";
    // The board for the chosen subtree, else the officer's own office.
    const board = await findBoard(db, user, { directiveId: id, under: filter.under || null });
    if (filter.under) {
      const under = await db.organization.findUniqueOrThrow({ where: { code: filter.under }, select: { id: true } });
      const codes = view.schools.map((s) => s.org_code);
      const inside = codes.length
        ? new Set(
            (await db.$queryRaw<{ code: string }[]>`SELECT code FROM "Organization" WHERE code = ANY(${codes}::text[]) AND id IN (${subtreeIds(under.id)})`).map((r) => r.code),
          )
        : new Set<string>();
      view.schools = view.schools.filter((s) => inside.has(s.org_code));
    }
    res.type("html").send(checklistPage(pageContext(req, res), { view, board, filter, subtrees }));
  });

  router.get("/directives/:id/checklist.xlsx", requireWebUser, async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const view = await findDirectiveChecklist(db, req.user!, id);
    const xlsx = await renderChecklistXlsx(view, req.locale);
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `chi-dao-${id}-tien-do.xlsx`));
    res.send(xlsx);
  });

  async function showRemind(req: Request, res: Response, message?: string, status = 200) {
    const id = parseId(req.params.id, "directive");
    const d = await getAccessibleDirective(db, req.user!, id);
    const steps = await db.checklistStep.count({ where: { directiveId: id } });
    res
      .status(status)
      .type("html")
      .send(remindConfirmPage(pageContext(req, res), { id, title: d.title, checklist: steps > 0, message }));
  }

  router.get("/directives/:id/remind", requireWebUser, decide, (req, res) => showRemind(req, res));

  router.post("/directives/:id/remind", requireWebUser, decide, async (req, res) => {
    const id = parseId(req.params.id, "directive");
    if ((req.body as Record<string, unknown>)?.confirm !== "yes") return res.redirect(303, `/directives/${id}/remind`);
    try {
      const { recipients } = await remindNow(db, req.user!, id);
      res.redirect(303, `/directives/${id}?reminded=${recipients}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "CONFLICT") throw err;
      await showRemind(req, res, t(req.locale, err.messageKey ?? "errors.bad_request", err.params), 409);
    }
  });

  async function showExtensions(req: Request, res: Response, extra: { notice?: string; message?: string } = {}, status = 200) {
    const rows = await findExtensionRequests(db, req.user!, { status: "PENDING" });
    res
      .status(status)
      .type("html")
      .send(extensionsPage(pageContext(req, res), { rows, canDecide: DECIDERS.includes(req.user!.role), ...extra }));
  }

  router.get("/extensions", async (req, res) => {
    const done = req.query.done;
    const notice =
      done === "refused"
        ? pageContext(req, res).t("extensions.refused")
        : typeof req.query.until === "string" && done === "approved"
          ? pageContext(req, res).t("extensions.approved", { until: req.query.until })
          : undefined;
    await showExtensions(req, res, notice ? { notice } : {});
  });

  router.post("/extensions/:id/decision", decide, async (req, res) => {
    const id = extensionId(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const approve = formString(body.decision) === "approve";
    const untilText = formString(body.until);
    const note = formString(body.note).slice(0, 1000);
    const until = untilText ? DueSchema.safeParse(untilText) : null;
    if (until && !until.success) return showExtensions(req, res, { message: t(req.locale, "errors.bad_request") }, 422);
    try {
      const decided = await decideExtension(db, req.user!, id, { approve, until: until?.success ? toDueDate(until.data) : undefined, note: note || undefined }, replanItem);
      res.redirect(303, approve ? `/extensions?done=approved&until=${encodeURIComponent(formatDate(decided.granted_until))}` : "/extensions?done=refused");
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "CONFLICT") throw err;
      await showExtensions(req, res, { message: t(req.locale, err.messageKey ?? "errors.bad_request", err.params) }, 409);
    }
  });
  return router;
}
