import express, { Router } from "express";
import type { AppDeps } from "../deps.ts";
import type { RowIssue } from "../../domain/org-import.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { findOrgs, FindOrgsQuerySchema } from "../../features/orgs/find-orgs.ts";
import { getOrg } from "../../features/orgs/get-org.ts";
import { importOrgs } from "../../features/orgs/import-orgs.ts";
import { decodeUtf8, readCsvTable } from "../../features/orgs/read-csv-table.ts";
import { readXlsxTable } from "../../features/spreadsheets/read-xlsx-table.ts";
import { updateOrg, UpdateOrgSchema } from "../../features/orgs/update-org.ts";
import { t, type Locale } from "../../i18n.ts";
import { readUpload } from "../body/read-upload.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseOrgCode } from "../params.ts";

/** One entry per bad row, its problems joined, in the request's language. */
function rowErrors(issues: RowIssue[], locale: Locale): { row: number; message: string }[] {
  const byRow = new Map<number, string[]>();
  for (const i of issues) byRow.set(i.row, [...(byRow.get(i.row) ?? []), t(locale, i.messageKey, i.params)]);
  return [...byRow].sort(([a], [b]) => a - b).map(([row, messages]) => ({ row, message: messages.join("; ") }));
}

/** Organisations: list, read, edit the document-header fields, and import schools and principals from CSV/XLSX. */
export function orgsRoutes({ db, config }: Pick<AppDeps, "db" | "config">): Router {
  const router = Router();
  const write = requireRole("ADMIN", "OFFICER");
  // The api router only parses JSON; an import is CSV text, an .xlsx or a multipart form, read whole
  // under the same size limit (413 beyond it) and classified by readUpload.
  const uploadBody = express.raw({ type: () => true, limit: config.MAX_BODY_BYTES });

  router.post("/orgs/import", write, uploadBody, async (req, res) => {
    const upload = readUpload(req);
    const table = upload.format === "csv" ? readCsvTable(decodeUtf8(upload.bytes)) : await readXlsxTable(upload.bytes);
    const result = await importOrgs(db, currentUser(req), table, upload.format);
    res.json({ created: result.created, updated: result.updated, errors: rowErrors(result.errors, req.locale) });
  });

  router.get("/orgs", async (req, res) => {
    res.json(await findOrgs(db, currentUser(req), parseWith(FindOrgsQuerySchema, req.query)));
  });

  router.get("/orgs/:code", async (req, res) => {
    res.json(await getOrg(db, currentUser(req), parseOrgCode(req.params.code)));
  });

  router.patch("/orgs/:code", write, async (req, res) => {
    const input = parseWith(UpdateOrgSchema, req.body ?? {});
    res.json(await updateOrg(db, currentUser(req), parseOrgCode(req.params.code), input));
  });
  return router;
}
