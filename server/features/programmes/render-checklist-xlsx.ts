import ExcelJS from "exceljs";
import { padNumber } from "../../domain/document-number.ts";
import { safeCell } from "../../domain/spreadsheet-cell.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import { t, type Locale } from "../../i18n.ts";
import type { ChecklistView } from "./find-directive-checklist.ts";

function vnDate(iso: string | null): string {
  if (!iso) return "";
  const v = vietnamTime(new Date(iso));
  return `${padNumber(v.day)}/${padNumber(v.month)}/${v.year}`;
}

/**
 * The checklist as an .xlsx workbook: one row per school, one column per step (its status, "quá
 * hạn" when overdue, and the note), headers in the officer's language, every text cell neutralised
 * against formulas.
 */
export async function renderChecklistXlsx(view: ChecklistView, locale: Locale): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(t(locale, "programmes.checklist_sheet"));
  sheet.addRow([safeCell(view.directive.title)]).font = { bold: true };
  const header = sheet.addRow([
    t(locale, "export.columns.org_code"),
    t(locale, "export.columns.org_name"),
    ...view.steps.map((s) => safeCell(`${s.n}. ${s.title}${s.due ? ` (${vnDate(s.due)})` : ""}`)),
  ]);
  header.font = { bold: true };
  for (const school of view.schools) {
    sheet.addRow([
      safeCell(school.org_code),
      safeCell(school.org_name),
      ...school.steps.map((s) => {
        const status = t(locale, `programmes.status.${s.status}`) + (s.overdue ? ` — ${t(locale, "programmes.overdue")}` : "");
        return safeCell(s.note ? `${status}: ${s.note}` : status);
      }),
    ]);
  }
  sheet.columns.forEach((col, i) => (col.width = i === 0 ? 12 : i === 1 ? 36 : 28));
  sheet.views = [{ state: "frozen", ySplit: 2, xSplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
