import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../../http/deps.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import type { AuthUser } from "../../features/auth/find-user-by-token.ts";
import { createDocument, CreateDocumentSchema } from "../../features/documents/create-document.ts";
import { toDocumentJson } from "../../features/documents/document-json.ts";
import { findDocuments } from "../../features/documents/find-documents.ts";
import { getAccessibleDocument } from "../../features/documents/get-accessible-document.ts";
import { getDocumentFile } from "../../features/documents/get-document-file.ts";
import { issueDocument } from "../../features/documents/issue-document.ts";
import { renderDocumentPreview } from "../../features/documents/render-document-preview.ts";
import { updateDocument } from "../../features/documents/update-document.ts";
import { verifyUrl } from "../../features/documents/verify-url.ts";
import { withdrawDocument, WithdrawDocumentSchema } from "../../features/documents/withdraw-document.ts";
import { findOrgs } from "../../features/orgs/find-orgs.ts";
import { findRegister, RegisterQuerySchema, type Register } from "../../features/register/find-register.ts";
import { renderRegisterXlsx } from "../../features/register/render-register-xlsx.ts";
import { vietnamYear } from "../../domain/document-number.ts";
import { contentDisposition } from "../../http/content-disposition.ts";
import { parseId } from "../../http/params.ts";
import { templatesJson } from "../../http/routes/templates.routes.ts";
import { signingFromConfig } from "../../signing/signing-from-config.ts";
import { formString, toFieldErrors } from "../form-errors.ts";
import { formToData } from "../schema-form.ts";
import { documentNewPage, documentPage, documentsListPage, registerPage } from "../pages/documents-pages.ts";
import { pageContext } from "../web-context.ts";
import { requireWebRole, requireWebUser } from "../web-guards.ts";

const DRAFTERS: AuthUser["role"][] = ["ADMIN", "OFFICER", "CLERK"];
const CLERKS: AuthUser["role"][] = ["ADMIN", "CLERK"];
const MEDIA = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

/** Organisations that may issue documents for the user: their own office and the offices below it (schools included). */
async function issuersOf(deps: Pick<AppDeps, "db">, user: AuthUser) {
  const orgs = await findOrgs(deps.db, user, {});
  // The user's own office first.
  return orgs.sort((a, b) => Number(b.id === user.organizationId) - Number(a.id === user.organizationId));
}

/** Documents (drafts from templates, preview, issue, files, withdraw) and the outgoing register. */
export function documentsWebRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(["/documents", "/register", "/register.xlsx"], requireWebUser);
  const draft = requireWebRole(...DRAFTERS);
  const clerk = requireWebRole(...CLERKS);
  const signing = signingFromConfig(config);
  const urlOf = (code: string) => verifyUrl(config, code);
  const templates = () => templatesJson();

  async function showDocument(
    req: Request,
    res: Response,
    id: number,
    extra: { errors?: Record<string, string>; message?: string | undefined; notice?: string | undefined; data?: unknown } = {},
    status = 200,
  ) {
    const doc = toDocumentJson(await getAccessibleDocument(db, req.user!, id), urlOf);
    if (extra.data !== undefined) doc.data = extra.data;
    const template = templates().find((t) => t.name === doc.template) ?? null;
    res
      .status(status)
      .type("html")
      .send(
        documentPage(pageContext(req, res), {
          doc,
          template,
          canDraft: DRAFTERS.includes(req.user!.role),
          canIssue: CLERKS.includes(req.user!.role),
          errors: extra.errors ?? {},
          message: extra.message,
          notice: extra.notice,
        }),
      );
  }

  router.get("/documents", async (req, res) => {
    const asked = typeof req.query.status === "string" ? req.query.status : "";
    const status = asked === "draft" || asked === "issued" || asked === "withdrawn" ? asked : undefined;
    const rows = await findDocuments(db, req.user!, { status, limit: 200 }, urlOf);
    res.type("html").send(documentsListPage(pageContext(req, res), { rows, status: status ?? "", canDraft: DRAFTERS.includes(req.user!.role), templates: templates() }));
  });

  router.get("/documents/new", draft, async (req, res) => {
    const template = templates().find((t) => t.name === req.query.template) ?? null;
    const issuers = template ? await issuersOf(deps, req.user!) : [];
    res.type("html").send(documentNewPage(pageContext(req, res), { templates: templates(), template, issuers, issuer: issuers[0]?.code ?? "", data: {}, errors: {} }));
  });

  router.post("/documents", draft, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const template = templates().find((t) => t.name === body.template) ?? null;
    const data = template ? formToData(template.schema, body) : {};
    try {
      const created = await createDocument(db, req.user!, parseWith(CreateDocumentSchema, { template: formString(body.template), issuer: formString(body.issuer), data }));
      res.redirect(303, `/documents/${created.id}`);
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      const issuers = await issuersOf(deps, req.user!);
      res
        .status(422)
        .type("html")
        .send(
          documentNewPage(pageContext(req, res), { templates: templates(), template, issuers, issuer: formString(body.issuer), data, errors: form.errors, message: form.message }),
        );
    }
  });

  for (const format of ["pdf", "docx"] as const) {
    router.get(`/documents/:id.${format}`, async (req, res) => {
      const file = await getDocumentFile(db, req.user!, parseId(req.params.id, "document"), format);
      res.setHeader("Content-Type", MEDIA[format]);
      res.setHeader("Content-Disposition", contentDisposition("attachment", `${file.symbol.replace(/[/\\]/g, "-")}.${format}`));
      res.setHeader("Cache-Control", "private, no-store");
      res.send(Buffer.from(file.bytes));
    });
  }

  router.get("/documents/:id/preview.pdf", async (req, res) => {
    const id = parseId(req.params.id, "document");
    const bytes = await renderDocumentPreview(db, req.user!, id);
    res.setHeader("Content-Type", "application/pdf");
    res.setHeader("Content-Disposition", contentDisposition("inline", `du-thao-${id}.pdf`));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(Buffer.from(bytes));
  });

  router.get("/documents/:id", async (req, res) => {
    await showDocument(req, res, parseId(req.params.id, "document"), { notice: req.query.issued === "1" ? pageContext(req, res).t("documents.issued_notice") : undefined });
  });

  // Saving a draft: a form post (redirect back) or the page's script (JSON, then the preview reloads).
  router.post("/documents/:id", draft, async (req, res) => {
    const id = parseId(req.params.id, "document");
    const doc = await getAccessibleDocument(db, req.user!, id);
    const template = templates().find((t) => t.name === doc.template);
    const data = template ? formToData(template.schema, (req.body ?? {}) as Record<string, unknown>) : {};
    const wantsJson = req.get("accept")?.includes("application/json") === true;
    try {
      await updateDocument(db, req.user!, id, { data });
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      if (wantsJson) return void res.status(422).json({ errors: form.errors, message: form.message });
      return showDocument(req, res, id, { errors: form.errors, message: form.message, data }, 422);
    }
    if (wantsJson) return void res.json({ ok: true });
    res.redirect(303, `/documents/${id}`);
  });

  router.post("/documents/:id/issue", clerk, async (req, res) => {
    const id = parseId(req.params.id, "document");
    try {
      await issueDocument(db, { user: req.user!, documentId: id, input: {}, signing: await signing(), verifyUrl: urlOf });
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      return showDocument(req, res, id, { errors: form.errors, message: form.message }, 422);
    }
    res.redirect(303, `/documents/${id}?issued=1`);
  });

  router.post("/documents/:id/withdraw", clerk, async (req, res) => {
    const id = parseId(req.params.id, "document");
    try {
      await withdrawDocument(db, req.user!, id, parseWith(WithdrawDocumentSchema, { reason: formString((req.body as Record<string, unknown>)?.reason) }));
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      return showDocument(req, res, id, { errors: form.errors, message: form.message }, 422);
    }
    res.redirect(303, `/documents/${id}`);
  });

  async function registerOf(req: Request) {
    const issuers = await issuersOf(deps, req.user!);
    const issuer = typeof req.query.issuer === "string" && req.query.issuer ? req.query.issuer : (issuers[0]?.code ?? "");
    const year = Number(req.query.year) || vietnamYear(new Date());
    const series = typeof req.query.series === "string" ? req.query.series : "";
    const query = parseWith(RegisterQuerySchema, { issuer: issuer || undefined, year, ...(series ? { series } : {}) });
    return { issuers, issuer, year, series, query };
  }

  router.get("/register", async (req, res) => {
    const { issuers, issuer, year, series, query } = await registerOf(req);
    let register: Register | null = null;
    let message: string | undefined;
    try {
      if (issuer) register = await findRegister(db, req.user!, query);
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      message = Object.values(form.errors)[0] ?? form.message;
    }
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "";
    res.type("html").send(registerPage(pageContext(req, res), { register, issuers, issuer, year, series, q, message }));
  });

  router.get("/register.xlsx", async (req, res) => {
    const { query } = await registerOf(req);
    const register = await findRegister(db, req.user!, query);
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `so-dang-ky-van-ban-di-${register.issuer.code}-${register.year}.xlsx`));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(await renderRegisterXlsx(register));
  });
  return router;
}
