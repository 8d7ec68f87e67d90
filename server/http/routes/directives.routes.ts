import { Router } from "express";
import { z } from "zod";
import type { AppDeps } from "../deps.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createDirective, CreateDirectiveSchema } from "../../features/directives/create-directive.ts";
import { findDirectiveReplies } from "../../features/directives/find-directive-replies.ts";
import { findDirectiveRecipients } from "../../features/directives/find-directive-recipients.ts";
import { renderRecipientsXlsx } from "../../features/directives/export-recipients.ts";
import { getDirective } from "../../features/directives/get-directive.ts";
import { publishDirective } from "../../features/directives/publish-directive.ts";
import { fixStepDues } from "../../features/programmes/fix-step-dues.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseId } from "../params.ts";
import { contentDisposition } from "../content-disposition.ts";

/**
 * Directives: create a draft, publish it, follow its deliveries and acknowledgements. Every use of
 * a directive by id checks, inside its feature, that the directive's issuing office is within the
 * user's reach (else 404).
 */
export function directivesRoutes({ db, deliveries, channels = [] }: Pick<AppDeps, "db" | "deliveries" | "channels">): Router {
  const router = Router();

  const write = requireRole("ADMIN", "OFFICER");

  router.post("/directives", write, async (req, res) => {
    const input = parseWith(CreateDirectiveSchema, req.body);
    const created = await createDirective(db, currentUser(req), input);
    res.status(201).json(created);
  });

  router.post("/directives/:id/publish", write, async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const result = await publishDirective(db, deliveries, { directiveId: id, user: currentUser(req), channels: channels.map((c) => c.kind) });
    // Steps due at an offset from publication get their dates now (the reminder sweep would too).
    await fixStepDues(db, id);
    res.status(202).json({ recipients: result.recipients, queued: result.queued, unreachable: result.unreachable, already_published: result.alreadyPublished });
  });

  router.get("/directives/:id", async (req, res) => {
    res.json(await getDirective(db, currentUser(req), parseId(req.params.id, "directive")));
  });

  router.get("/directives/:id/recipients", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const status = parseWith(z.object({ status: z.string().max(20).optional() }), req.query).status?.toLowerCase();
    const rows = await findDirectiveRecipients(db, currentUser(req), id);
    res.json(status ? rows.filter((r) => r.status === status || (status === "acknowledged" ? r.acknowledged_at : status === "pending" && !r.acknowledged_at)) : rows);
  });

  router.get("/directives/:id/recipients.xlsx", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const [summary, rows] = await Promise.all([getDirective(db, currentUser(req), id), findDirectiveRecipients(db, currentUser(req), id)]);
    const xlsx = await renderRecipientsXlsx(rows, req.locale, summary.title);
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `directive-${id}-recipients.xlsx`));
    res.send(xlsx);
  });

  router.get("/directives/:id/replies", async (req, res) => {
    res.json(await findDirectiveReplies(db, currentUser(req), parseId(req.params.id, "directive")));
  });
  return router;
}
