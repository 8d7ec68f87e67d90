/**
 * A spreadsheet as certificate data: headings matched to the template's fields (its field names or
 * their Vietnamese headings, compared without case, accents or punctuation), then every row
 * validated by the template's schema. Every problem of the file is collected, none stops the
 * reading, so the officer gets them all at once.
 */
import type { ImportTable } from "../../domain/org-import.ts";
import { toFieldIssue } from "../../domain/zod-issues.ts";
import type { CertificateData, CertificateTemplate } from "../../documents/certificate/certificate-template.ts";

/** One problem: the spreadsheet row (the header is row 1) and the field, or the column heading. */
export type CertificateRowError = { row: number; field: string; messageKey: string; params?: Record<string, unknown>; message?: string };
export type CertificateRow = { row: number; data: CertificateData };

/** Most certificates one batch makes (a ZIP of them stays far below 4 GiB and 65,535 entries). */
export const MAX_BATCH_ROWS = 60_000;

/** Columns any list may carry that mean nothing to a certificate (the row number). */
const IGNORED = new Set(["stt", "tt", "so_tt", "so_thu_tu"]);

/** "Họ và tên" → "ho_va_ten": the form headings are compared in. */
export function headingKey(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Field names in the template's schema, required ones marked. */
function templateFields(template: CertificateTemplate): { name: string; required: boolean }[] {
  const shape = (template.schema as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape ?? {};
  return Object.entries(shape).map(([name, schema]) => ({ name, required: !schema.safeParse(undefined).success }));
}

/** Which field each column holds (null: ignored), and the heading problems. */
export function mapColumns(template: CertificateTemplate, header: string[]): { columns: (string | null)[]; errors: CertificateRowError[] } {
  const fields = templateFields(template);
  const byKey = new Map<string, string>();
  for (const f of fields) {
    byKey.set(headingKey(f.name), f.name);
    for (const alias of template.aliases[f.name] ?? []) byKey.set(headingKey(alias), f.name);
  }
  const errors: CertificateRowError[] = [];
  const seen = new Set<string>();
  const columns = header.map((cell) => {
    const key = headingKey(cell);
    if (!key || IGNORED.has(key)) return null;
    const field = byKey.get(key);
    if (!field) {
      errors.push({ row: 1, field: cell, messageKey: "certificates.errors.unknown_column", params: { column: cell, fields: fields.map((f) => f.name).join(", ") } });
      return null;
    }
    if (seen.has(field)) {
      errors.push({ row: 1, field, messageKey: "certificates.errors.duplicate_column", params: { column: cell } });
      return null;
    }
    seen.add(field);
    return field;
  });
  for (const f of fields) if (f.required && !seen.has(f.name)) errors.push({ row: 1, field: f.name, messageKey: "certificates.errors.missing_column", params: { field: f.name } });
  return { columns, errors };
}

/** Validates every row of `table`; rows with every cell empty are skipped. */
export function readCertificateRows(template: CertificateTemplate, table: ImportTable): { rows: CertificateRow[]; errors: CertificateRowError[] } {
  const { columns, errors } = mapColumns(template, table.header);
  const missing = new Set(errors.filter((e) => e.messageKey === "certificates.errors.missing_column").map((e) => e.field));
  const rows: CertificateRow[] = [];
  const filled = table.rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (filled.length === 0) errors.push({ row: 2, field: "(file)", messageKey: "errors.import.empty" });
  if (filled.length > MAX_BATCH_ROWS) {
    errors.push({ row: filled[MAX_BATCH_ROWS]!.row, field: "(file)", messageKey: "errors.import.too_many_rows", params: { max: MAX_BATCH_ROWS } });
    return { rows: [], errors };
  }
  for (const r of filled) {
    const input: Record<string, string> = {};
    columns.forEach((field, i) => {
      if (field) input[field] = r.cells[i] ?? "";
    });
    const parsed = template.schema.safeParse(input);
    if (parsed.success) {
      rows.push({ row: r.row, data: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      const fi = toFieldIssue(issue);
      // A column the file lacks is reported once, on the heading, not on every row.
      if (missing.has(fi.path)) continue;
      errors.push({
        row: r.row,
        field: fi.path,
        messageKey: fi.messageKey ?? "errors.field.invalid",
        ...(fi.params ? { params: fi.params } : {}),
        ...(fi.message ? { message: fi.message } : {}),
      });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors };
}
