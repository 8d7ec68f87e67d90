/**
 * The ND 30/2020 layout of one document as data (Phụ lục I, ô 1–12). Both renderers read only this,
 * so the PDF and the DOCX carry the same text.
 */
import type { FontStyle } from "./font.ts";

/** A piece of text in one face. */
export type Run = { text: string; style: FontStyle };

/** One paragraph of the body (ô 6). */
export type BodyBlock = {
  /** paragraph: plain; item: starts with a numbering or bullet marker; center: an own centred line ("QUYẾT ĐỊNH:"). */
  kind: "paragraph" | "item" | "center";
  runs: Run[];
};

export type DocumentModel = {
  template: string;
  /** Tên loại (ô 5a), upper case; empty for a công văn. */
  typeName: string;
  /** ô 2, first line: the parent body, upper case, or null. */
  parentBody: string | null;
  /** ô 2, second line: the issuer, upper case. */
  issuerName: string;
  /** ô 3: "Số: 15/CT-SGDĐT", or "Số:      /CT-SGDĐT" on a draft. */
  symbolLine: string;
  /** ô 4: "<place>, ngày … tháng … năm …" (blank day and month on a draft). */
  dateLine: string;
  /** Trích yếu: under the type name (ô 5a), or after "V/v" under the number for a công văn (ô 5b). */
  subject: string;
  /** Công văn layout: no type name, "V/v …" in the left column, "Kính gửi:". */
  congVan: boolean;
  /** Quyết định: the issuing authority line, e.g. "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO". */
  authorityLine: string | null;
  /** Căn cứ lines (italic), each ending ";" and the last ".". */
  bases: string[];
  /** "Kính gửi:" (or "Trân trọng kính mời:") and the recipients (ô 9a). */
  recipientsLabel: string;
  recipients: string[];
  /** ô 6, ending with "./.". */
  body: BodyBlock[];
  /** ô 7a–7b. */
  signer: { authority: string | null; title: string; name: string };
  /** ô 9b: the lines under "Nơi nhận:", each starting "- ", the last "- Lưu: VT, …". */
  distribution: string[];
  /** ô 12: drafter initials and copy count, e.g. "PL.(300)". */
  drafterLine: string | null;
  /** Draft: no number and no day yet. */
  draft: boolean;
};

/** The plain text of a list of runs. */
export function runsText(runs: Run[]): string {
  return runs.map((r) => r.text).join("");
}
