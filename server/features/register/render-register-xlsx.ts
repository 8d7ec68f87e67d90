/**
 * The register as the decree's paper form (ND 30 Phụ lục IV, sổ đăng ký văn bản đi): the ten
 * columns with their Vietnamese headings, whatever the reader's language, because the printed and
 * bound register is an official record (Điều 16). Columns the office fills by hand (ngày chuyển,
 * ký nhận) stay empty. Every text cell is neutralised against formula injection.
 */
import ExcelJS from "exceljs";
import { formatDocumentDate, padNumber } from "../../domain/document-number.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import { safeCell } from "../../domain/spreadsheet-cell.ts";
import type { Register, RegisterRow } from "./find-register.ts";

export const REGISTER_COLUMNS = [
  "Số, ký hiệu văn bản",
  "Ngày tháng văn bản",
  "Tên loại và trích yếu nội dung văn bản",
  "Người ký",
  "Nơi nhận văn bản",
  "Đơn vị, người nhận bản lưu",
  "Số lượng bản",
  "Ngày chuyển",
  "Ký nhận",
  "Ghi chú",
] as const;

const WIDTHS = [18, 12, 48, 22, 36, 18, 8, 12, 12, 30];

/** "05/01/2026", as registers write dates. */
function shortDate(iso: string): string {
  const { day, month, year } = vietnamTime(new Date(iso));
  return `${padNumber(day)}/${padNumber(month)}/${year}`;
}

function note(r: RegisterRow): string {
  const parts: string[] = [];
  if (r.status === "withdrawn") {
    parts.push(`Đã thu hồi${r.withdrawn_at ? ` ${formatDocumentDate(new Date(r.withdrawn_at))}` : ""}${r.withdrawn_reason ? `: ${r.withdrawn_reason}` : ""}`);
  }
  if (r.note) parts.push(r.note);
  return parts.join(". ");
}

/** Renders the register as an .xlsx workbook. */
export async function renderRegisterXlsx(register: Register): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(`Năm ${register.year}`);
  sheet.addRow(["SỔ ĐĂNG KÝ VĂN BẢN ĐI"]).font = { bold: true, size: 14 };
  sheet.addRow([safeCell(`${register.issuer.name} — năm ${register.year}`)]).font = { bold: true };
  const header = sheet.addRow([...REGISTER_COLUMNS]);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
  sheet.addRow(REGISTER_COLUMNS.map((_, i) => `(${i + 1})`)).alignment = { horizontal: "center" };
  for (const r of register.rows) {
    const row = sheet.addRow([
      safeCell(r.symbol),
      shortDate(r.issued_at),
      safeCell(`${r.document_type} ${r.subject}`),
      safeCell(r.signer),
      safeCell(r.recipients),
      safeCell(`VT${r.drafting_unit ? `, ${r.drafting_unit}` : ""}`),
      r.copies ?? "",
      "",
      "",
      safeCell(note(r)),
    ]);
    row.alignment = { wrapText: true, vertical: "top" };
    if (r.status === "withdrawn") row.font = { strike: true };
  }
  sheet.columns.forEach((col, i) => (col.width = WIDTHS[i] ?? 14));
  sheet.views = [{ state: "frozen", ySplit: 4 }];
  sheet.pageSetup = { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  return Buffer.from(await book.xlsx.writeBuffer());
}
