import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppDeps } from "../../http/deps.ts";
import { CHANNEL_KINDS } from "../../domain/channel.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { OrgKindSchema, SchoolLevelSchema } from "../../domain/org.ts";
import type { AuthUser } from "../../features/auth/find-user-by-token.ts";
import { countAudienceForUser } from "../../features/directives/count-audience-for-user.ts";
import { createDirective, CreateDirectiveSchema } from "../../features/directives/create-directive.ts";
import { renderRecipientsXlsx } from "../../features/directives/export-recipients.ts";
import { findAcknowledgements } from "../../features/directives/find-acknowledgements.ts";
import { findDirectiveRecipients, type RecipientRow } from "../../features/directives/find-directive-recipients.ts";
import { findDirectiveReplies } from "../../features/directives/find-directive-replies.ts";
import { findDirectives } from "../../features/directives/find-directives.ts";
import { getDirectiveDetail } from "../../features/directives/get-directive-detail.ts";
import { getDirectiveProgress } from "../../features/directives/get-directive-progress.ts";
import { publishDirective } from "../../features/directives/publish-directive.ts";
import { renderAcknowledgementReport } from "../../features/directives/render-acknowledgement-report.ts";
import { findDocuments } from "../../features/documents/find-documents.ts";
import { verifyUrl } from "../../features/documents/verify-url.ts";
import { findOrgs } from "../../features/orgs/find-orgs.ts";
import { contentDisposition } from "../../http/content-disposition.ts";
import { parseId } from "../../http/params.ts";
import { ackChart } from "../ack-chart.ts";
import { formatCount } from "../format.ts";
import { formList, formString, toFieldErrors } from "../form-errors.ts";
import { html } from "../html.ts";
import { directiveComposePage, EMPTY_COMPOSE, type ComposeValues } from "../pages/directive-compose-page.ts";
import { directivePage, publishConfirmPage, recipientsTable, type RecipientFilter } from "../pages/directive-page.ts";
import { directivesListPage } from "../pages/directives-list-page.ts";
import { pageContext, type PageContext } from "../web-context.ts";
import { requireWebRole, requireWebUser } from "../web-guards.ts";

const WRITERS: AuthUser["role"][] = ["ADMIN", "OFFICER"];
/** How long one event stream stays open before the browser reconnects. */
const STREAM_LIFETIME_MS = 25_000;
const canWrite = (user: AuthUser) => WRITERS.includes(user.role);

/** The organisations a filter or an audience can be "under": everything in the user's subtree that is not a school. */
async function subtreesOf(deps: Pick<AppDeps, "db">, user: AuthUser) {
  return findOrgs(deps.db, user, { kind: ["ministry", "department", "commune", "district_office"] });
}

const AudienceQuerySchema = z.object({
  kinds: z.preprocess(
    (v) =>
      formList(v)
        .flatMap((s) => s.split(","))
        .filter(Boolean),
    z.array(OrgKindSchema).max(6),
  ),
  levels: z.preprocess(
    (v) =>
      formList(v)
        .flatMap((s) => s.split(","))
        .filter(Boolean),
    z.array(SchoolLevelSchema).max(6),
  ),
  under: z.string().max(64).optional(),
});

const FilterSchema = z.object({
  show: z.enum(["all", "pending", "acknowledged", "unreachable"]).catch("all"),
  channel: z.enum(["", "telegram", "zalo_oa", "zalo_bot"]).catch(""),
  under: z.string().max(64).catch(""),
});

function composeValues(body: Record<string, unknown>): ComposeValues {
  return {
    title: formString(body.title),
    body: formString(body.body),
    deadline: formString(body.deadline),
    kinds: formList(body.kinds),
    levels: formList(body.levels),
    under: formString(body.under),
    require_ack: body.require_ack === "1",
    document_id: formString(body.document_id),
  };
}

/** Directives: list, compose, publish with confirmation, and each directive's live page with its evidence. */
export function directivesWebRoutes(deps: AppDeps): Router {
  const { db, channels = [] } = deps;
  const router = Router();
  router.use("/directives", requireWebUser);
  const write = requireWebRole(...WRITERS);
  const urlOf = (code: string) => verifyUrl(deps.config, code);

  /** Rows of the recipient table after the page's filters. */
  async function filteredRecipients(req: Request, id: number): Promise<{ rows: RecipientRow[]; filter: RecipientFilter }> {
    const filter = FilterSchema.parse(req.query);
    let rows = await findDirectiveRecipients(db, req.user!, id);
    if (filter.show === "pending") rows = rows.filter((r) => !r.acknowledged_at && r.status !== "unreachable");
    if (filter.show === "acknowledged") rows = rows.filter((r) => r.acknowledged_at);
    if (filter.show === "unreachable") rows = rows.filter((r) => r.status === "unreachable" || r.status === "failed");
    if (filter.channel) rows = rows.filter((r) => r.channel === filter.channel);
    if (filter.under) {
      const codes = new Set([filter.under, ...(await findOrgs(db, req.user!, { under: filter.under })).map((o) => o.code)]);
      rows = rows.filter((r) => codes.has(r.org_code));
    }
    return { rows, filter };
  }

  async function chartOf(ctx: PageContext, user: AuthUser, id: number, publishedAt: string | null, total: number) {
    const acks = await findAcknowledgements(db, user, id);
    return ackChart({
      times: acks.map((a) => a.at),
      total,
      start: publishedAt ? new Date(publishedAt) : (acks[0]?.at ?? new Date()),
      end: new Date(),
      label: ctx.t("directive.chart_label", { count: acks.length, total }),
    });
  }

  async function renderCompose(req: Request, res: Response, values: ComposeValues, errors: Record<string, string>, message?: string) {
    const user = req.user!;
    const [subtrees, documents, count] = await Promise.all([
      subtreesOf(deps, user),
      findDocuments(db, user, { status: "issued", limit: 100 }, urlOf).catch(() => []),
      countAudienceForUser(db, user, parseWith(AudienceQuerySchema, { kinds: values.kinds, levels: values.levels, under: values.under || undefined })).catch(() => null),
    ]);
    return directiveComposePage(pageContext(req, res), { values, errors, subtrees, documents, count: count?.recipients ?? null, message });
  }

  router.get("/directives", async (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "";
    const rows = await findDirectives(db, req.user!, { q });
    res.type("html").send(directivesListPage(pageContext(req, res), { rows, q, canWrite: canWrite(req.user!) }));
  });

  router.get("/directives/new", write, async (req, res) => {
    res.type("html").send(await renderCompose(req, res, EMPTY_COMPOSE, {}));
  });

  router.get("/directives/audience-count", write, async (req, res) => {
    const q = parseWith(AudienceQuerySchema, req.query);
    const count = await countAudienceForUser(db, req.user!, { kinds: q.kinds, levels: q.levels, under: q.under || undefined });
    res.json({ ...count, text: pageContext(req, res).t("compose.count", { count: formatCount(count.recipients, req.locale) }) });
  });

  router.post("/directives/preview", write, async (req, res) => {
    const v = composeValues((req.body ?? {}) as Record<string, unknown>);
    const ctx = pageContext(req, res);
    const mine = user(req).organizationId;
    const issuer = mine === null ? null : ((await findOrgs(db, req.user!, {})).find((o) => o.id === mine)?.name ?? null);
    const kinds = channels.length ? channels.map((c) => c.kind) : [...CHANNEL_KINDS];
    const deadline = /^\d{4}-\d{2}-\d{2}$/.test(v.deadline) ? new Date(`${v.deadline}T23:59:59+07:00`) : null;
    const input = { title: v.title || ctx.t("compose.preview_title_placeholder"), body: v.body, issuerName: issuer, deadline, requireAck: v.require_ack };
    const previews = deps.previewDirective ? deps.previewDirective(kinds, input) : [{ kind: kinds[0]!, parts: [`${input.title}\n\n${input.body}`], buttons: [] }];
    res.type("html").send(
      html`${previews.map(
        (p) =>
          html`<h3>${ctx.t(`channels.${p.kind.toLowerCase()}`)}</h3>
            ${p.parts.map((part) => html`<div class="bubble">${part}</div>`)}
            ${p.buttons.length ? html`<div>${p.buttons.map((b) => html`<span class="chip">${b}</span>`)}</div>` : ""}`,
      )}`.value,
    );
  });

  router.post("/directives", write, async (req, res) => {
    const values = composeValues((req.body ?? {}) as Record<string, unknown>);
    try {
      const input = parseWith(CreateDirectiveSchema, {
        title: values.title,
        body: values.body,
        deadline: values.deadline || undefined,
        audience: { kinds: values.kinds, levels: values.levels, ...(values.under ? { under: values.under } : {}) },
        require_ack: values.require_ack,
        ...(values.document_id ? { document_id: Number(values.document_id) } : {}),
      });
      const created = await createDirective(db, req.user!, input);
      res.redirect(303, `/directives/${created.id}`);
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      res
        .status(422)
        .type("html")
        .send(await renderCompose(req, res, values, form.errors, form.message));
    }
  });

  router.get("/directives/:id", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const ctx = pageContext(req, res);
    const progress = await getDirectiveProgress(db, req.user!, id);
    const detail = await getDirectiveDetail(db, req.user!, id);
    const published = progress.status === "published";
    const [{ rows, filter }, subtrees, replies, chart] = await Promise.all([
      published ? filteredRecipients(req, id) : { rows: [], filter: FilterSchema.parse({}) },
      published ? subtreesOf(deps, req.user!) : [],
      published ? findDirectiveReplies(db, req.user!, id) : [],
      published ? chartOf(ctx, req.user!, id, progress.published_at, progress.people.recipients) : html``,
    ]);
    const reminded = typeof req.query.reminded === "string" && /^\d{1,7}$/.test(req.query.reminded) ? ctx.t("remind.queued", { count: req.query.reminded }) : undefined;
    const notice = req.query.published === "1" ? ctx.t("directive.published_notice", { count: progress.people.recipients }) : reminded;
    const hasChecklist = (await db.checklistStep.count({ where: { directiveId: id } })) > 0;
    res.type("html").send(directivePage(ctx, { progress, ...detail, canWrite: canWrite(req.user!), chart, rows, filter, subtrees, replies, notice, hasChecklist }));
  });

  router.get("/directives/:id/table", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const { rows, filter } = await filteredRecipients(req, id);
    res.type("html").send(recipientsTable(pageContext(req, res), rows, filter.show !== "all" || !!filter.channel || !!filter.under).value);
  });

  router.get("/directives/:id/chart", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const progress = await getDirectiveProgress(db, req.user!, id);
    res.type("image/svg+xml").send((await chartOf(pageContext(req, res), req.user!, id, progress.published_at, progress.people.recipients)).value);
  });

  // Server-sent events: the directive's counts whenever they change. Each open page polls the
  // database once a second (any web process can serve it; the truth is in PostgreSQL, whichever
  // worker or webhook process wrote it).
  router.get("/directives/:id/events", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const user = req.user!;
    await getDirectiveProgress(db, user, id);
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" });
    res.write("retry: 3000\n\n");
    let last = "";
    let closed = false;
    // A stream ends itself after a while (the browser reconnects in 3 s and gets the current counts),
    // so a web process shutting down gracefully never waits long on open pages.
    const endAt = Date.now() + STREAM_LIFETIME_MS;
    const tick = async () => {
      if (closed) return;
      if (Date.now() > endAt) {
        closed = true;
        res.end();
        return;
      }
      try {
        const p = await getDirectiveProgress(db, user, id);
        const data = JSON.stringify({ people: p.people, counts: p.counts });
        if (data !== last) {
          last = data;
          res.write(`event: progress\ndata: ${data}\n\n`);
        } else res.write(": keep-alive\n\n");
      } catch {
        // Access lost (signed out elsewhere, directive gone): end the stream; the page's reload shows why.
        closed = true;
        res.end();
        return;
      }
      timer = setTimeout(() => void tick(), 1000);
    };
    let timer = setTimeout(() => void tick(), 0);
    req.on("close", () => {
      closed = true;
      clearTimeout(timer);
    });
  });

  router.get("/directives/:id/publish", write, async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const p = await getDirectiveProgress(db, req.user!, id);
    if (p.status !== "draft") return res.redirect(303, `/directives/${id}`);
    const detail = await getDirectiveDetail(db, req.user!, id);
    res.type("html").send(publishConfirmPage(pageContext(req, res), { id, title: p.title, recipients: detail.audienceCount }));
  });

  router.post("/directives/:id/publish", write, async (req, res) => {
    const id = parseId(req.params.id, "directive");
    if ((req.body as Record<string, unknown>)?.confirm !== "yes") return res.redirect(303, `/directives/${id}/publish`);
    await publishDirective(db, deps.deliveries, { directiveId: id, user: req.user!, channels: channels.map((c) => c.kind) });
    res.redirect(303, `/directives/${id}?published=1`);
  });

  router.get("/directives/:id/recipients.xlsx", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const progress = await getDirectiveProgress(db, req.user!, id);
    const { rows } = await filteredRecipients(req, id);
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `directive-${id}-recipients.xlsx`));
    res.send(await renderRecipientsXlsx(rows, req.locale, progress.title));
  });

  router.get("/directives/:id/report.pdf", async (req, res) => {
    const id = parseId(req.params.id, "directive");
    const progress = await getDirectiveProgress(db, req.user!, id);
    const detail = await getDirectiveDetail(db, req.user!, id);
    const [acknowledgements, recipients] = await Promise.all([findAcknowledgements(db, req.user!, id), findDirectiveRecipients(db, req.user!, id)]);
    const pdf = await renderAcknowledgementReport({
      title: progress.title,
      issuerName: detail.issuerName,
      publishedAt: progress.published_at ? new Date(progress.published_at) : null,
      deadline: progress.deadline ? new Date(progress.deadline) : null,
      acknowledgements,
      recipients,
      locale: req.locale,
    });
    res.setHeader("Content-Type", "application/pdf");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `directive-${id}-acknowledgements.pdf`));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(Buffer.from(pdf));
  });
  return router;
}

const user = (req: Request) => req.user!;
