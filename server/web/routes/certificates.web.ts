import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../../http/deps.ts";
import { AppError } from "../../domain/errors.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import type { AuthUser } from "../../features/auth/find-user-by-token.ts";
import { BATCH_OUTPUTS, batchDir, certificatesDir, type BatchOutput } from "../../features/certificates/certificate-batch-files.ts";
import { createCertificateBatch, CreateBatchQuerySchema } from "../../features/certificates/create-certificate-batch.ts";
import { findCertificateBatches } from "../../features/certificates/find-certificate-batches.ts";
import { getCertificateBatch } from "../../features/certificates/get-certificate-batch.ts";
import { createOccasion, CreateOccasionSchema, findOccasions } from "../../features/certificates/occasions.ts";
import { findOrgs } from "../../features/orgs/find-orgs.ts";
import { decodeUtf8, readCsvTable } from "../../features/orgs/read-csv-table.ts";
import { scanXlsxTable } from "../../features/spreadsheets/scan-xlsx-table.ts";
import { readUpload } from "../../http/body/read-upload.ts";
import { contentDisposition } from "../../http/content-disposition.ts";
import { parseId } from "../../http/params.ts";
import { t } from "../../i18n.ts";
import { listCertificateTemplates } from "../../../templates/certificates/index.ts";
import { formString, toFieldErrors } from "../form-errors.ts";
import { batchPage, certificatesPage, occasionsPage, type RowErrorLine } from "../pages/certificates-pages.ts";
import { pageContext } from "../web-context.ts";
import { requireWebRole, requireWebUser } from "../web-guards.ts";

const DRAFTERS: AuthUser["role"][] = ["ADMIN", "OFFICER", "CLERK"];

const templates = () => listCertificateTemplates().map((x) => ({ name: x.name, label: x.label }));

/**
 * Certificates (khen thưởng): the office's batches, an upload checked whole (the row errors shown,
 * nothing made) before a batch is queued, a batch's progress and files, and occasions. The same
 * feature functions as `/api/v1/certificates`, so the same subtree rule: another subtree's batch is
 * the 404 page.
 */
export function certificatesWebRoutes(deps: AppDeps): Router {
  const { db, config, certificates } = deps;
  const router = Router();
  router.use(["/certificates", "/occasions"], requireWebUser);
  const draft = requireWebRole(...DRAFTERS);
  const root = certificatesDir(config);

  async function issuersOf(user: AuthUser) {
    const orgs = await findOrgs(db, user, {});
    return orgs.sort((a, b) => Number(b.id === user.organizationId) - Number(a.id === user.organizationId));
  }

  async function showList(
    req: Request,
    res: Response,
    extra: { form?: { template: string; issuer: string; occasion: string }; message?: string; rowErrors?: RowErrorLine[] } = {},
    status = 200,
  ) {
    const user = req.user!;
    const canUpload = DRAFTERS.includes(user.role);
    const [rows, issuers, occasions] = await Promise.all([findCertificateBatches(db, user), canUpload ? issuersOf(user) : [], canUpload ? findOccasions(db, user, {}) : []]);
    const list = templates();
    const form = extra.form ?? { template: list[0]?.name ?? "", issuer: issuers[0]?.code ?? "", occasion: "" };
    res
      .status(status)
      .type("html")
      .send(certificatesPage(pageContext(req, res), { rows, templates: list, issuers, occasions, canUpload, form, message: extra.message, rowErrors: extra.rowErrors }));
  }

  router.get("/certificates", (req, res) => showList(req, res));

  router.post("/certificates/batches", draft, async (req, res) => {
    const field = (name: string) =>
      req.parts
        ?.find((p) => p.name === name)
        ?.data.toString("utf8")
        .trim() ?? "";
    const form = { template: field("template"), issuer: field("issuer"), occasion: field("occasion") };
    try {
      const q = parseWith(CreateBatchQuerySchema, { template: form.template, issuer: form.issuer, ...(form.occasion ? { occasion: form.occasion } : {}) });
      const file = readUpload(req);
      const table = file.format === "csv" ? readCsvTable(decodeUtf8(file.bytes)) : await scanXlsxTable(file.bytes);
      const result = await createCertificateBatch(db, req.user!, q, table);
      if (result.kind === "invalid") {
        const aliases = listCertificateTemplates().find((x) => x.name === q.template)?.aliases ?? {};
        const rowErrors = result.errors.map((e) => ({
          row: e.row,
          field: e.field,
          // The column as the office's spreadsheet names it ("Họ và tên"), not the API's field name.
          heading: aliases[e.field]?.[0] ?? e.field,
          message: e.messageKey === "errors.field.invalid" && e.message ? e.message : t(req.locale, e.messageKey, e.params ?? {}),
        }));
        return showList(req, res, { form, rowErrors, message: t(req.locale, "certificates.errors.bad_rows", { count: rowErrors.length }) }, 422);
      }
      // Committed: should the queue be unreachable now, the workers' sweep picks the batch up.
      await certificates?.enqueue(result.id).catch(() => {});
      res.redirect(303, `/certificates/batches/${result.id}`);
    } catch (err) {
      const fields = toFieldErrors(err, req.locale);
      const known = err instanceof AppError && ["UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"].includes(err.code);
      if (!fields && !known) throw err;
      const message = fields
        ? [fields.message, ...Object.entries(fields.errors).map(([k, v]) => `${k}: ${v}`)].join(" ")
        : t(req.locale, (err as AppError).messageKey ?? "errors.bad_request", (err as AppError).params);
      return showList(req, res, { form, message }, 422);
    }
  });

  async function batchOf(req: Request) {
    return getCertificateBatch(db, req.user!, parseId(String(req.params.id), "document"));
  }

  router.get("/certificates/batches/:id", async (req, res) => {
    const batch = await batchOf(req);
    const occasion = batch.occasion ? ((await db.occasion.findUnique({ where: { id: batch.occasion }, select: { name: true } }))?.name ?? null) : null;
    const templateLabel = templates().find((x) => x.name === batch.template)?.label ?? batch.template;
    res.type("html").send(batchPage(pageContext(req, res), { batch, templateLabel, occasion }));
  });

  // The page's script polls this (a batch changes every few seconds; no need for a stream).
  router.get("/certificates/batches/:id/progress", async (req, res) => {
    const b = await batchOf(req);
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: b.status, done: b.done, total: b.total });
  });

  for (const name of Object.keys(BATCH_OUTPUTS) as BatchOutput[]) {
    router.get(`/certificates/batches/:id/${name}`, async (req, res) => {
      const batch = await batchOf(req);
      if (batch.status !== "done")
        throw new AppError("CONFLICT", "batch not done", { messageKey: "certificates.errors.not_done", params: { status: batch.status, done: batch.done, total: batch.total } });
      const file = path.join(batchDir(root, batch.id), name);
      const info = await stat(file).catch(() => null);
      if (!info) throw new AppError("NOT_FOUND", "batch file missing", { messageKey: "certificates.errors.file_missing", params: { name } });
      res.setHeader("Content-Type", BATCH_OUTPUTS[name]);
      res.setHeader("Content-Length", String(info.size));
      res.setHeader("Content-Disposition", contentDisposition("attachment", `lo-${batch.id}-${name}`));
      res.setHeader("Cache-Control", "private, no-store");
      createReadStream(file).pipe(res);
    });
  }

  async function showOccasions(req: Request, res: Response, extra: { form?: Record<string, string>; errors?: Record<string, string>; message?: string } = {}, status = 200) {
    const user = req.user!;
    const canCreate = DRAFTERS.includes(user.role);
    const [occasions, issuers] = await Promise.all([findOccasions(db, user, {}), canCreate ? issuersOf(user) : []]);
    res
      .status(status)
      .type("html")
      .send(
        occasionsPage(pageContext(req, res), {
          occasions,
          issuers,
          canCreate,
          form: extra.form ?? { issuer: issuers[0]?.code ?? "" },
          errors: extra.errors ?? {},
          message: extra.message,
        }),
      );
  }

  router.get("/occasions", (req, res) => showOccasions(req, res));

  router.post("/occasions", draft, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = { name: formString(body.name), date: formString(body.date), issuer: formString(body.issuer), semester: formString(body.semester) };
    try {
      await createOccasion(
        db,
        req.user!,
        parseWith(CreateOccasionSchema, { name: form.name, date: form.date, issuer: form.issuer, ...(form.semester ? { semester: Number(form.semester) } : {}) }),
      );
    } catch (err) {
      const fields = toFieldErrors(err, req.locale);
      if (!fields) throw err;
      return showOccasions(req, res, { form, errors: fields.errors, message: fields.message }, 422);
    }
    res.redirect(303, "/occasions");
  });
  return router;
}
