/**
 * The ceremony list (danh sách) of a batch, as a PDF (A4 portrait, a numbered table grouped by unit
 * or class when the batch belongs to an occasion) and as an .xlsx written row by row. Rows are read
 * from the caller in order; neither file is held in memory whole.
 */
import ExcelJS from "exceljs";
import { openSync, writeSync, closeSync } from "node:fs";
import type { FontStyle } from "../../documents/font.ts";
import { breakLines } from "../../documents/layout.ts";
import { CertificatePdfFile } from "../../documents/certificate/certificate-pdf-file.ts";
import { onceLine, Page } from "../../documents/certificate/layout-certificate.ts";
import { safeCell } from "../../domain/spreadsheet-cell.ts";

export type ListRow = { stt: number; symbol: string; recipient: string; group: string | null; reason: string };
export type ListHeading = { issuer: string; title: string; occasion: string | null; decision: string | null; grouped: boolean };

const A4 = { width: 595.28, height: 841.89 };
const M = 40;
/** Column x positions and widths: STT, Số vào sổ, Họ và tên, Đơn vị/Lớp, Nội dung. */
const COLS = [
  { x: M, w: 30 },
  { x: M + 30, w: 78 },
  { x: M + 108, w: 140 },
  { x: M + 248, w: 110 },
  { x: M + 358, w: A4.width - 2 * M - 358 },
];
const SIZE = 10.5;
const LEAD = 13;
const n = (v: number) => (Math.round(v * 100) / 100).toString();

/** Writes list.pdf from `rows` (in ceremony order). */
export async function writeListPdf(path: string, heading: ListHeading, rows: AsyncIterable<ListRow>): Promise<number> {
  const fd = openSync(path, "w");
  const file = new CertificatePdfFile((c) => void writeSync(fd, c), { frame: false, title: heading.title });
  let page = new Page(file.glyphs);
  let y = 0;
  const left = (p: Page, text: string, style: FontStyle, size: number, x: number, w: number, top: number): number => {
    let yy = top;
    for (const l of breakLines([{ text, style }], size, w)) {
      p.line(l, x, yy, l.width);
      yy -= LEAD;
    }
    return yy;
  };
  const header = (first: boolean) => {
    y = A4.height - M;
    if (first) {
      y = page.centred(heading.issuer.toLocaleUpperCase("vi"), "bold", 12, M, A4.width - 2 * M, y - 10);
      y = page.centred(heading.title, "bold", 14, M, A4.width - 2 * M, y - 8);
      if (heading.occasion) y = page.centred(heading.occasion, "italic", 12, M, A4.width - 2 * M, y);
      if (heading.decision) y = page.centred(heading.decision, "italic", 12, M, A4.width - 2 * M, y);
      y -= 8;
    }
    const labels = ["STT", "Số vào sổ", "Họ và tên", "Đơn vị / Lớp", "Nội dung"];
    labels.forEach((t, i) => left(page, t, "bold", SIZE, COLS[i]!.x + 2, COLS[i]!.w - 4, y - SIZE));
    y -= LEAD + 4;
    page.ops.push(`0.5 w ${n(M)} ${n(y + 2)} m ${n(A4.width - M)} ${n(y + 2)} l S`);
    y -= 2;
  };
  const flush = () => file.addContentPage(page.ops.join("\n"), A4);
  // The row number and the register symbol are new words on every row: shaped without the
  // process-wide word cache (10,000 entries for 5,000 rows, the list's share of the peak RSS)
  // unless they must wrap.
  const cellLines = (text: string, i: number) => {
    const w = COLS[i]!.w - 4;
    if (i <= 1 && text) {
      const once = onceLine(text, "regular", SIZE);
      if (once.width <= w) return [once];
    }
    return breakLines([{ text: text || " ", style: "regular" }], SIZE, w);
  };
  header(true);
  let group: string | null | undefined;
  let count = 0;
  for await (const r of rows) {
    const cells = [String(r.stt), r.symbol, r.recipient, r.group ?? "", r.reason];
    const lines = cells.map(cellLines);
    const height = Math.max(...lines.map((l) => l.length)) * LEAD + 4;
    const groupRow = heading.grouped && r.group !== group;
    if (y - height - (groupRow ? LEAD + 4 : 0) < M) {
      flush();
      page = new Page(file.glyphs);
      header(false);
    }
    if (groupRow) {
      group = r.group;
      y = left(page, group ?? "Khác", "bold", SIZE + 0.5, M + 2, A4.width - 2 * M, y - SIZE) - 4;
    }
    let bottom = y;
    cells.forEach((c, i) => {
      if (!c) return;
      let yy = y - SIZE;
      for (const l of lines[i]!) {
        page.line(l, COLS[i]!.x + 2, yy, l.width);
        yy -= LEAD;
      }
      bottom = Math.min(bottom, yy);
    });
    y = Math.min(bottom, y - LEAD) - 4;
    page.ops.push(`0.2 w 0.6 G ${n(M)} ${n(y + 2)} m ${n(A4.width - M)} ${n(y + 2)} l S 0 G`);
    count++;
  }
  flush();
  file.finish();
  closeSync(fd);
  return count;
}

/** Writes list.xlsx row by row (ExcelJS's streaming writer), every text cell neutralised against formulas. */
export async function writeListXlsx(path: string, heading: ListHeading, rows: AsyncIterable<ListRow>): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet("Danh sách");
  sheet.columns = [{ width: 6 }, { width: 16 }, { width: 28 }, { width: 28 }, { width: 60 }];
  sheet.addRow([safeCell(heading.issuer)]).commit();
  sheet.addRow([safeCell(heading.title)]).commit();
  if (heading.occasion) sheet.addRow([safeCell(heading.occasion)]).commit();
  if (heading.decision) sheet.addRow([safeCell(heading.decision)]).commit();
  const head = sheet.addRow(["STT", "Số vào sổ", "Họ và tên", "Đơn vị / Lớp", "Nội dung"]);
  head.font = { bold: true };
  head.commit();
  for await (const r of rows) sheet.addRow([r.stt, safeCell(r.symbol), safeCell(r.recipient), safeCell(r.group ?? ""), safeCell(r.reason)]).commit();
  sheet.commit();
  await book.commit();
}
