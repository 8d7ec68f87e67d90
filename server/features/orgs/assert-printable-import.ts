import { unprintableChars } from "../../documents/unprintable-chars.ts";
import { AppError, type FieldIssue } from "../../domain/errors.ts";
import { mapColumns, type ImportTable } from "../../domain/org-import.ts";

/** The columns an organisation's documents print in their header (ô 2, ô 3, ô 4). */
const PRINTED_COLUMNS = ["name", "symbol", "place", "governing_body"] as const;

/** Most cells named in one answer: enough to fix a file, small enough to read. */
const MAX_SHOWN = 200;

/**
 * Refuses an import in which a printed cell holds a character the document font lacks. Unlike the
 * row problems an import reports and skips, this refuses the whole file (422, nothing written),
 * naming every such cell by row and column: a name that imports "fine" and then prints a box in
 * every letter of that office is worse than no import, and such characters tend to come by the
 * column (a symbol font, a pasted emoji set), so the officer fixes the file and imports it again.
 * @throws AppError VALIDATION listing `{row, column, characters}` of each cell (at most 200).
 */
export function assertPrintableImport(table: ImportTable): void {
  const columns = mapColumns(table.header);
  const issues: FieldIssue[] = [];
  for (const r of table.rows) {
    for (const column of PRINTED_COLUMNS) {
      const at = columns.get(column);
      const cell = at === undefined ? undefined : r.cells[at];
      if (!cell) continue;
      const chars = unprintableChars(cell.normalize("NFC").trim());
      if (chars.length && issues.length < MAX_SHOWN)
        issues.push({ path: column, messageKey: "errors.import.unprintable_cell", params: { row: r.row, field: column, chars: chars.join(" ") } });
    }
  }
  if (issues.length) throw new AppError("VALIDATION", `${issues.length} cells with characters the font lacks`, { messageKey: "errors.import.unprintable", issues });
}
