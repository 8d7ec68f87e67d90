import { Router, type Request } from "express";
import type { AppDeps } from "../../http/deps.ts";
import type { RowIssue } from "../../domain/org-import.ts";
import type { AuthUser } from "../../features/auth/find-user-by-token.ts";
import { importOrgs } from "../../features/orgs/import-orgs.ts";
import { findOrgs } from "../../features/orgs/find-orgs.ts";
import { decodeUtf8, readCsvTable } from "../../features/orgs/read-csv-table.ts";
import { createLinkCode } from "../../features/people/create-link-code.ts";
import { findPeople } from "../../features/people/find-people.ts";
import { renderLinkSheet, type LinkCard } from "../../features/people/render-link-sheet.ts";
import { readXlsxTable } from "../../features/spreadsheets/read-xlsx-table.ts";
import { readUpload, type Upload } from "../../http/body/read-upload.ts";
import { contentDisposition } from "../../http/content-disposition.ts";
import { t, type Locale } from "../../i18n.ts";
import { formString, toFieldErrors } from "../form-errors.ts";
import { importPage, orgsPage, type ImportReport } from "../pages/orgs-pages.ts";
import { pageContext } from "../web-context.ts";
import { requireWebRole, requireWebUser } from "../web-guards.ts";

const WRITERS: AuthUser["role"][] = ["ADMIN", "OFFICER"];

function report(result: { created: number; updated: number; errors: RowIssue[] }, locale: Locale): ImportReport {
  const byRow = new Map<number, string[]>();
  for (const i of result.errors) byRow.set(i.row, [...(byRow.get(i.row) ?? []), t(locale, i.messageKey, i.params)]);
  return { created: result.created, updated: result.updated, errors: [...byRow].sort(([a], [b]) => a - b).map(([row, m]) => ({ row, message: m.join("; ") })) };
}

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/** Schools and principals: the tree with link status, import with a report before writing, link-code sheets. */
export function orgsWebRoutes(deps: AppDeps): Router {
  const { db, channels = [] } = deps;
  const router = Router();
  router.use("/orgs", requireWebUser);
  const write = requireWebRole(...WRITERS);

  const tableOf = async (upload: Upload) => (upload.format === "csv" ? readCsvTable(decodeUtf8(upload.bytes)) : await readXlsxTable(upload.bytes));

  router.get("/orgs", async (req, res) => {
    const [orgs, people] = await Promise.all([findOrgs(db, req.user!, {}), findPeople(db, req.user!, { limit: 5000 })]);
    res.type("html").send(orgsPage(pageContext(req, res), { orgs, people, canWrite: WRITERS.includes(req.user!.role), channels: channels.map((c) => c.kind) }));
  });

  router.get("/orgs/import", write, (req, res) => {
    res.type("html").send(importPage(pageContext(req, res), {}));
  });

  // Step 1: the whole import runs and is rolled back, so the report is exactly what step 2 will do.
  router.post("/orgs/import/check", write, async (req: Request, res) => {
    const ctx = pageContext(req, res);
    try {
      const upload = readUpload(req);
      const name = req.parts?.find((p) => p.name === "file")?.filename ?? `import.${upload.format}`;
      const result = await importOrgs(db, req.user!, await tableOf(upload), upload.format, { dryRun: true });
      res.type("html").send(importPage(ctx, { report: report(result, req.locale), file: { name, base64: upload.bytes.toString("base64") } }));
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form && !(err instanceof Error && "code" in err && ["UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"].includes(String(err.code)))) throw err;
      const message = form?.message ?? t(req.locale, (err as { messageKey?: string }).messageKey ?? "errors.bad_request", (err as { params?: Record<string, unknown> }).params);
      res.status(422).type("html").send(importPage(ctx, { message }));
    }
  });

  // Step 2: the same file, confirmed, is written.
  router.post("/orgs/import", write, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bytes = Buffer.from(formString(body.file_base64), "base64");
    const name = formString(body.file_name);
    const upload: Upload = /\.xlsx$/i.test(name) || isZip(bytes) ? { format: "xlsx", bytes } : { format: "csv", bytes };
    const result = await importOrgs(db, req.user!, await tableOf(upload), upload.format);
    res.type("html").send(importPage(pageContext(req, res), { done: report(result, req.locale) }));
  });

  // A POST: each card takes a fresh single-use code (older unused codes of that principal stop working).
  router.post("/orgs/link-sheet.pdf", write, async (req, res) => {
    const all = (req.body as Record<string, unknown>)?.all === "1";
    const [orgs, people] = await Promise.all([findOrgs(db, req.user!, {}), findPeople(db, req.user!, { limit: 5000 })]);
    const orgByCode = new Map(orgs.map((o) => [o.code, o]));
    const cards: LinkCard[] = [];
    for (const p of people) {
      if (!all && p.channels.length) continue;
      const org = orgByCode.get(p.org_code);
      if (!org || (org.kind !== "school" && org.kind !== "center")) continue;
      cards.push({ orgName: org.name, orgCode: org.code, personName: p.name, link: await createLinkCode(db, { personId: p.id, user: req.user!, channels }) });
    }
    const pdf = await renderLinkSheet(
      cards,
      channels.map((c) => c.kind),
      req.locale,
    );
    res.setHeader("Content-Type", "application/pdf");
    res.setHeader("Content-Disposition", contentDisposition("attachment", "link-codes.pdf"));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(Buffer.from(pdf));
  });
  return router;
}
