import { parse } from "csv-parse/sync";
import { AppError } from "../../domain/errors.ts";
import type { ImportTable } from "../../domain/org-import.ts";

/** The delimiter used most often outside quotes on the header line: `,`, `;` (Excel in Vietnamese locales) or TAB. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * Decodes UTF-8 (with or without BOM) strictly: a file saved in another encoding would otherwise
 * import Vietnamese names as mojibake.
 * @throws AppError UNSUPPORTED_MEDIA_TYPE when the bytes are not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "CSV is not UTF-8", { messageKey: "errors.import.not_utf8", cause });
  }
}

/**
 * Parses CSV (RFC 4180 quoting) into a table. Each record is one spreadsheet row, so a quoted field
 * spanning lines still counts as one row, and empty lines keep their row numbers.
 * @throws AppError BAD_REQUEST naming the line of a malformed record (e.g. an unclosed quote).
 */
export function readCsvTable(text: string): ImportTable {
  const body = text.replace(/^\uFEFF/, "");
  let lastLine = 0;
  const rowNumbers: number[] = [];
  let records: string[][];
  try {
    records = parse(body, {
      delimiter: detectDelimiter(body),
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (cells, context) => {
        lastLine = context.lines;
        rowNumbers.push(context.records);
        return cells;
      },
    });
  } catch (cause) {
    const e = cause as { code?: string; lines?: number; message?: string };
    // An unclosed quote is only noticed at the end of the file; the user needs the line where it opened.
    const unclosed = e.code === "CSV_QUOTE_NOT_CLOSED";
    const line = unclosed ? lastLine + 1 : (e.lines ?? lastLine + 1);
    const detail = unclosed ? 'unclosed quote (")' : String(e.message ?? e.code).replace(/ at line \d+.*$/s, "");
    throw new AppError("BAD_REQUEST", `malformed CSV: ${e.message}`, { messageKey: "errors.import.malformed_csv", params: { line, detail }, cause });
  }
  const [head, ...rest] = records;
  if (!head) throw new AppError("VALIDATION", "empty CSV", { messageKey: "errors.import.empty" });
  return { header: head, rows: rest.map((cells, i) => ({ row: rowNumbers[i + 1] ?? i + 2, cells })) };
}
