/**
 * Reads the first worksheet of an .xlsx as text cells by scanning its XML, without ExcelJS: a
 * certificate batch needs cell text only, and ExcelJS builds a whole object model (a 60,000-row
 * workbook cost it 9 s and 450 MB). The archive goes through {@link readSafeZip} with the same
 * limits as every upload; then one pass over the shared strings and one over the sheet.
 *
 * Cells come out as the officer typed them: shared and inline strings, numbers as written in the
 * file (a date typed in Excel is its serial day number, which date fields accept), booleans as
 * true/false, formulas by their cached result, errors as empty.
 */
import { AppError } from "../../domain/errors.ts";
import type { ImportTable } from "../../domain/org-import.ts";
import { XLSX_ZIP_LIMITS } from "./load-xlsx-workbook.ts";
import { readSafeZip } from "./read-safe-zip.ts";

const MAX_COLUMNS = 64;
const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML text with its entities decoded. */
function unescapeXml(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : ENTITY[e]!,
  );
}

/** The text of every <t> of a string item (rich text runs joined; phonetic runs skipped). */
function itemText(xml: string): string {
  let out = "";
  for (const m of xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "").matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += m[1] ?? "";
  return unescapeXml(out);
}

/** "AB12" → 27 (0-based column of a cell reference). */
function columnOf(ref: string): number {
  let col = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col - 1;
}

function malformed(detail: string): AppError {
  return new AppError("VALIDATION", `bad xlsx: ${detail}`, { messageKey: "errors.import.malformed_xlsx", params: { detail } });
}

/**
 * The first worksheet of `bytes` as a table; the header is the first non-empty row.
 * @throws AppError from {@link readSafeZip}; VALIDATION when the workbook has no sheet or no data.
 */
export async function scanXlsxTable(bytes: Buffer): Promise<ImportTable> {
  const parts = await readSafeZip(bytes, {
    ...XLSX_ZIP_LIMITS,
    keep: (n) => /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|worksheets\/sheet\d+\.xml)$/.test(n),
  });
  const text = (name: string) => parts.get(name)?.toString("utf8");
  const workbook = text("xl/workbook.xml");
  const rels = text("xl/_rels/workbook.xml.rels");
  if (!workbook || !rels) throw malformed("no workbook");
  const firstSheet = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1] ?? /<sheet\b[^>]*\bid="([^"]+)"/.exec(workbook)?.[1];
  const target = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${firstSheet}"`));
  const targetPath = target ? /Target="([^"]+)"/.exec(target)?.[1] : undefined;
  if (!targetPath) throw new AppError("VALIDATION", "no worksheet", { messageKey: "errors.import.empty" });
  const sheetName = targetPath.startsWith("/") ? targetPath.slice(1) : `xl/${targetPath}`;
  const sheet = text(sheetName);
  if (!sheet) throw malformed(`missing ${sheetName}`);
  const shared: string[] = [];
  for (const m of (text("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(m[1] ? itemText(m[1]) : "");

  const rows: { row: number; cells: string[] }[] = [];
  let implicitRow = 0;
  for (const rm of sheet.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = /\br="(\d+)"/.exec(rm[1]!);
    const rowNumber = r ? Number(r[1]) : implicitRow + 1;
    implicitRow = rowNumber;
    const cells: string[] = [];
    let col = 0;
    for (const cm of (rm[2] ?? "").matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1]!;
      const ref = /\br="([A-Z]+)\d*"/.exec(attrs);
      col = ref ? columnOf(ref[1]!) : col;
      if (col >= MAX_COLUMNS) break;
      const type = /\bt="(\w+)"/.exec(attrs)?.[1] ?? "n";
      const body = cm[2] ?? "";
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = "";
      if (type === "s") value = v !== undefined ? (shared[Number(v)] ?? "") : "";
      else if (type === "inlineStr") value = itemText(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? "");
      else if (type === "b") value = v === "1" ? "true" : "false";
      else if (type === "e") value = "";
      else value = v !== undefined ? unescapeXml(v) : "";
      while (cells.length < col) cells.push("");
      cells[col] = value;
      col++;
    }
    rows.push({ row: rowNumber, cells });
  }
  const headAt = rows.findIndex((r) => r.cells.some((c) => c.trim() !== ""));
  if (headAt < 0) throw new AppError("VALIDATION", "empty sheet", { messageKey: "errors.import.empty" });
  return { header: rows[headAt]!.cells, rows: rows.slice(headAt + 1) };
}
