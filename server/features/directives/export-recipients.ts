import ExcelJS from "exceljs";
import type { Locale } from "../../i18n.ts";
import { t } from "../../i18n.ts";
import { safeCell } from "../../domain/spreadsheet-cell.ts";
import type { RecipientRow } from "./find-directive-recipients.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import { padNumber } from "../../domain/document-number.ts";

const COLUMNS = ["org_code", "org_name", "person_name", "channel", "status", "sent_at", "acknowledged_at", "acknowledged_via", "last_error", "attempts"] as const;

/** Local time as officers read it: "14:05 22/11/2026" (Vietnamese order: time, then date). */
function vnTime(iso: string | null): string {
  if (!iso) return "";
  const t = vietnamTime(new Date(iso));
  return `${padNumber(t.hour)}:${padNumber(t.minute)} ${padNumber(t.day)}/${padNumber(t.month)}/${t.year}`;
}

/** Every try on one line, in order: "telegram: không liên lạc được → zalo_oa (tin mẫu): đã gửi". */
function attemptsText(r: RecipientRow, locale: Locale): string {
  return r.attempts
    .map((a) => `${a.channel}${a.message_kind === "template" ? ` (${t(locale, "export.template_message")})` : ""}: ${t(locale, `export.attempt_status.${a.status}`)}`)
    .join(" → ");
}

/** The recipients of a directive as an .xlsx workbook, headers in the officer's language, formulas neutralised. */
export async function renderRecipientsXlsx(rows: RecipientRow[], locale: Locale, title: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(t(locale, "export.recipients_sheet"));
  sheet.addRow([safeCell(title)]).font = { bold: true };
  const header = sheet.addRow(COLUMNS.map((c) => t(locale, `export.columns.${c}`)));
  header.font = { bold: true };
  for (const r of rows) {
    sheet.addRow([
      safeCell(r.org_code),
      safeCell(r.org_name),
      safeCell(r.person_name),
      r.channel,
      t(locale, `export.status.${r.acknowledged_at ? "acknowledged" : r.status}`),
      vnTime(r.sent_at),
      vnTime(r.acknowledged_at),
      r.acknowledged_via ?? "",
      safeCell(r.last_error),
      attemptsText(r, locale),
    ]);
  }
  sheet.columns.forEach((col, i) => (col.width = [12, 36, 28, 10, 16, 18, 18, 10, 40, 48][i] ?? 14));
  sheet.views = [{ state: "frozen", ySplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
