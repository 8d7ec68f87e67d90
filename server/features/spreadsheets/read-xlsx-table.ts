import type ExcelJS from "exceljs";
import { AppError } from "../../domain/errors.ts";
import type { ImportTable } from "../../domain/org-import.ts";
import { loadXlsxWorkbook } from "./load-xlsx-workbook.ts";

const MAX_COLUMNS = 64;

/** Whole numbers without exponent or float noise ("903123456", not "9.03123456e8"). */
function numberText(n: number, numFmt: string | undefined): string {
  const s = Number.isInteger(n) ? BigInt(n).toString() : String(n);
  // A "0000000000" format shows leading zeros that the stored number lost (a phone typed as 0903…).
  const zeros = numFmt && /^0+$/.test(numFmt) ? numFmt.length : 0;
  return s.padStart(zeros, "0");
}

/** A cell as the text the officer sees: numbers without losing digits, rich text joined, formulas by result. */
export function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return numberText(v, cell.numFmt);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join("");
    if (typeof o.text === "string") return o.text;
    if ("result" in o) return scalarText(o.result, cell.numFmt);
    if (o.error) return "";
  }
  return scalarText(v, cell.numFmt);
}

/** A formula's result or any other scalar as text; anything else (an unknown object) is empty. */
function scalarText(v: unknown, numFmt: string | undefined): string {
  if (typeof v === "number") return numberText(v, numFmt);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return "";
}

/**
 * Reads the first worksheet of an .xlsx into a table; the header is the first non-empty row and row
 * numbers are the sheet's own.
 * @throws AppError from {@link loadXlsxWorkbook}, or VALIDATION when the workbook has no data.
 */
export async function readXlsxTable(bytes: Buffer): Promise<ImportTable> {
  const book = await loadXlsxWorkbook(bytes);
  const sheet = book.worksheets[0];
  if (!sheet) throw new AppError("VALIDATION", "no worksheet", { messageKey: "errors.import.empty" });
  const rows: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const width = Math.min(r.cellCount, MAX_COLUMNS);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(r.getCell(c)));
    rows.push({ row: rowNumber, cells });
  });
  const headAt = rows.findIndex((r) => r.cells.some((c) => c.trim() !== ""));
  if (headAt < 0) throw new AppError("VALIDATION", "empty sheet", { messageKey: "errors.import.empty" });
  return { header: rows[headAt]!.cells, rows: rows.slice(headAt + 1) };
}
