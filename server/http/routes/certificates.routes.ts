import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import express, { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { AppError } from "../../domain/errors.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { BATCH_OUTPUTS, batchDir, certificatesDir, type BatchOutput } from "../../features/certificates/certificate-batch-files.ts";
import { createCertificateBatch, CreateBatchQuerySchema } from "../../features/certificates/create-certificate-batch.ts";
import { getCertificateBatch } from "../../features/certificates/get-certificate-batch.ts";
import { createOccasion, CreateOccasionSchema, findOccasions, FindOccasionsQuerySchema } from "../../features/certificates/occasions.ts";
import { saveEmblem } from "../../features/certificates/save-emblem.ts";
import { decodeUtf8, readCsvTable } from "../../features/orgs/read-csv-table.ts";
import { scanXlsxTable } from "../../features/spreadsheets/scan-xlsx-table.ts";
import { t } from "../../i18n.ts";
import { readUpload } from "../body/read-upload.ts";
import { contentDisposition } from "../content-disposition.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseId, parseOrgCode } from "../params.ts";

/**
 * Certificates in batches: a CSV or XLSX of certificates checked whole (every bad row and field in
 * one 422), then numbered and rendered by a background job whose progress and files are read here;
 * occasions (ceremonies) batches belong to; an office's emblem. Access is the issuer's subtree, as
 * for documents.
 */
export function certificatesRoutes({ db, config, certificates }: Pick<AppDeps, "db" | "config" | "certificates">): Router {
  const router = Router();
  const draft = requireRole("ADMIN", "OFFICER", "CLERK");
  const upload = express.raw({ type: () => true, limit: config.MAX_BODY_BYTES });
  const root = certificatesDir(config);

  router.post("/certificates/batches", draft, upload, async (req, res) => {
    const q = parseWith(CreateBatchQuerySchema, req.query);
    const file = readUpload(req);
    const table = file.format === "csv" ? readCsvTable(decodeUtf8(file.bytes)) : await scanXlsxTable(file.bytes);
    const result = await createCertificateBatch(db, currentUser(req), q, table);
    if (result.kind === "invalid") {
      const errors = result.errors.map((e) => ({
        row: e.row,
        field: e.field,
        message: e.messageKey === "errors.field.invalid" && e.message ? e.message : t(req.locale, e.messageKey, e.params ?? {}),
      }));
      return void res.status(422).json({ error: { code: "VALIDATION", message: t(req.locale, "certificates.errors.bad_rows", { count: errors.length }) }, errors });
    }
    // The batch is committed: should the queue be unreachable now, the workers' sweep picks it up.
    await certificates?.enqueue(result.id).catch(() => {});
    res.status(202).json({ id: result.id, total: result.total, status: "queued" });
  });

  router.get("/certificates/batches/:id", async (req, res) => {
    res.json(await getCertificateBatch(db, currentUser(req), parseId(req.params.id, "document")));
  });

  for (const name of Object.keys(BATCH_OUTPUTS) as BatchOutput[]) {
    router.get(`/certificates/batches/:id/${name}`, async (req, res) => {
      const id = parseId(req.params.id, "document");
      const batch = await getCertificateBatch(db, currentUser(req), id);
      if (batch.status !== "done")
        throw new AppError("CONFLICT", "batch not done", { messageKey: "certificates.errors.not_done", params: { status: batch.status, done: batch.done, total: batch.total } });
      const file = path.join(batchDir(root, id), name);
      const info = await stat(file).catch(() => null);
      if (!info) throw new AppError("NOT_FOUND", "batch file missing", { messageKey: "certificates.errors.file_missing", params: { name } });
      res.setHeader("Content-Type", BATCH_OUTPUTS[name]);
      res.setHeader("Content-Length", String(info.size));
      res.setHeader("Content-Disposition", contentDisposition("attachment", `lo-${id}-${name}`));
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Cache-Control", "private, no-store");
      // Streamed from disk: a ZIP of thousands of certificates never sits in memory.
      createReadStream(file).pipe(res);
    });
  }

  router.post("/occasions", draft, async (req, res) => {
    res.status(201).json(await createOccasion(db, currentUser(req), parseWith(CreateOccasionSchema, req.body ?? {})));
  });

  router.get("/occasions", async (req, res) => {
    res.json(await findOccasions(db, currentUser(req), parseWith(FindOccasionsQuerySchema, req.query)));
  });

  // The emblem: a PNG or JPEG sent raw (image/png, image/jpeg) or as the `file` of a form, at most EMBLEM_MAX_BYTES.
  const image = express.raw({ type: () => true, limit: Math.max(config.EMBLEM_MAX_BYTES + 64 * 1024, 1024) });
  router.put("/orgs/:code/emblem", draft, image, async (req, res) => {
    const code = parseOrgCode(req.params.code);
    const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    let bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (type === "multipart/form-data") {
      const { multipartBoundary, parseMultipart } = await import("../body/parse-multipart.ts");
      bytes = parseMultipart(bytes, multipartBoundary(req.get("content-type") ?? "")).find((p) => p.name === "file")?.data ?? Buffer.alloc(0);
    } else if (type !== "image/png" && type !== "image/jpeg" && type !== "application/octet-stream") {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", `emblem ${type}`, {
        messageKey: "errors.unsupported_media_type",
        params: { type: type || "(none)", expected: "image/png, image/jpeg" },
      });
    }
    res.json(await saveEmblem(db, currentUser(req), code, bytes, config.EMBLEM_MAX_BYTES));
  });
  return router;
}
