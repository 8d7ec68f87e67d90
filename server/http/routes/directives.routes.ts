import { Router } from "express";
import { z } from "zod";
import type { AppDeps } from "../deps.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createDirective, CreateDirectiveSchema } from "../../features/directives/create-directive.ts";
import { findDirectiveRecipients } from "../../features/directives/find-directive-recipients.ts";
import { renderRecipientsXlsx } from "../../features/directives/export-recipients.ts";
import { getDirective } from "../../features/directives/get-directive.ts";
import { publishDirective } from "../../features/directives/publish-directive.ts";
import { AppError } from "../../domain/errors.ts";
import { assertOrgAccess } from "../../features/access/assert-org-access.ts";
import type { AuthUser } from "../../features/auth/find-user-by-token.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseId } from "../params.ts";
import { contentDisposition } from "../content-disposition.ts";

/** Directives: create a draft, publish it, follow its deliveries and acknowledgements. */
export function directivesRoutes({ db, deliveries }: Pick<AppDeps, "db" | "deliveries">): Router {
  const router = Router();

  /** The directive id from the path, after checking it belongs to the user's subtree (else 404). */
  async function accessibleId(raw: string | string[] | undefined, user: AuthUser): Promise<number> {
    const id = parseId(raw, "directive");
    const notFound = new AppError("NOT_FOUND", "directive", { messageKey: "errors.directive_not_found", params: { id } });
    const d = await db.directive.findUnique({ where: { id }, select: { issuerOrgId: true, audience: { select: { underOrgId: true } } } });
    if (!d) throw notFound;
    await assertOrgAccess(db, user, d.audience.underOrgId ?? d.issuerOrgId, notFound);
    return id;
  }

  const write = requireRole("ADMIN", "OFFICER");

  router.post("/directives", write, async (req, res) => {
    const input = parseWith(CreateDirectiveSchema, req.body);
    const created = await createDirective(db, currentUser(req), input);
    res.status(201).json(created);
  });

  router.post("/directives/:id/publish", write, async (req, res) => {
    const id = await accessibleId(req.params.id, currentUser(req));
    const result = await publishDirective(db, deliveries, { directiveId: id, user: currentUser(req) });
    res.status(202).json({ recipients: result.recipients, queued: result.queued, unreachable: result.unreachable, already_published: result.alreadyPublished });
  });

  router.get("/directives/:id", async (req, res) => {
    res.json(await getDirective(db, await accessibleId(req.params.id, currentUser(req))));
  });

  router.get("/directives/:id/recipients", async (req, res) => {
    const id = await accessibleId(req.params.id, currentUser(req));
    const status = parseWith(z.object({ status: z.string().max(20).optional() }), req.query).status?.toLowerCase();
    const rows = await findDirectiveRecipients(db, id);
    res.json(status ? rows.filter((r) => r.status === status || (status === "acknowledged" ? r.acknowledged_at : status === "pending" && !r.acknowledged_at)) : rows);
  });

  router.get("/directives/:id/recipients.xlsx", async (req, res) => {
    const id = await accessibleId(req.params.id, currentUser(req));
    const [summary, rows] = await Promise.all([getDirective(db, id), findDirectiveRecipients(db, id)]);
    const xlsx = await renderRecipientsXlsx(rows, req.locale, summary.title);
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `directive-${id}-recipients.xlsx`));
    res.send(xlsx);
  });

  router.get("/directives/:id/replies", async (req, res) => {
    const id = await accessibleId(req.params.id, currentUser(req));
    const replies = await db.inboundMessage.findMany({
      where: { directiveId: id },
      orderBy: { createdAt: "asc" },
      select: { id: true, channel: true, text: true, intent: true, createdAt: true, person: { select: { id: true, name: true, organization: { select: { code: true } } } } },
    });
    res.json(
      replies.map((r) => ({
        id: r.id,
        channel: r.channel.toLowerCase(),
        intent: r.intent.toLowerCase(),
        text: r.text,
        at: r.createdAt.toISOString(),
        person_id: r.person?.id ?? null,
        person_name: r.person?.name ?? null,
        org_code: r.person?.organization.code ?? null,
      })),
    );
  });
  return router;
}
