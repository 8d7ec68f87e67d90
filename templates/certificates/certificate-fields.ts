/**
 * Field types of the certificate templates. Spreadsheet cells arrive as text, so an empty cell is an
 * absent field, numbers are read from text, and dates are accepted as dd/mm/yyyy, yyyy-mm-dd or an
 * Excel date serial; every text passes the documents' checks (NFC, printable by the face).
 */
import { z } from "zod";
import { AUTHORITY, docText } from "../../server/documents/core-fields.ts";
import { formatDocumentDate, padNumber } from "../../server/domain/document-number.ts";
import type { IssuerInfo } from "../../server/documents/build-document-model.ts";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Required text of at most `max` characters. */
export const text = (max: number) => z.preprocess(emptyToUndefined, docText({ max }));
/** Optional text: an empty cell is no value. */
export const optionalText = (max: number) => z.preprocess(emptyToUndefined, docText({ max }).optional());

/** An Excel serial day (1900 system) as yyyy-mm-dd. */
function fromSerial(serial: number): string {
  const d = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** A calendar date, stored as "yyyy-mm-dd". */
export const dateField = () =>
  z.preprocess(
    (v) => {
      if (typeof v === "number") return fromSerial(v);
      if (typeof v !== "string") return v;
      const s = v.trim();
      let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      if (m) return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
      m = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(s);
      if (m) return `${m[1]}-${m[2]}-${m[3]}`;
      if (/^\d{5}$/.test(s)) return fromSerial(Number(s));
      return s === "" ? undefined : s;
    },
    z.iso.date({ message: "a date (dd/mm/yyyy)" }).refine((s) => {
      const y = Number(s.slice(0, 4));
      return y >= 1945 && y <= 2200;
    }, "a date between 1945 and 2200"),
  );

/** A whole number from `min` to `max`, typed as a number or as text. */
export const levelField = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v), z.number().int().min(min).max(max));

/** Số/ký hiệu of the decision that grants the award, e.g. "125/QĐ-SGDĐT". */
export const decisionNumber = () =>
  z.preprocess(
    emptyToUndefined,
    docText({ max: 40 }).refine((s) => /^\d{1,6}\/[\p{Lu}\p{N}Đđ-]{1,30}$/u.test(s), { message: "like 125/QĐ-SGDĐT" }),
  );

export const signerFields = {
  /** Override of the awarding authority line ("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO …"). */
  authority: optionalText(200),
  signer_authority: z.preprocess(
    emptyToUndefined,
    docText({ max: 120 })
      .refine((s) => AUTHORITY.test(s.toUpperCase()), { message: "must start with TM., Q., KT., TL. or TUQ." })
      .optional(),
  ),
  signer_title: text(120),
  signer_name: text(80),
  decision_number: decisionNumber(),
  decision_date: dateField(),
};

export const signerAliases: Record<string, string[]> = {
  authority: ["Thẩm quyền", "Cấp khen", "Người có thẩm quyền"],
  signer_authority: ["Quyền hạn ký", "Ký thay", "Thẩm quyền ký"],
  signer_title: ["Chức vụ người ký", "Chức vụ"],
  signer_name: ["Người ký", "Họ tên người ký", "Họ và tên người ký"],
  decision_number: ["Số quyết định", "Số QĐ", "Quyết định số"],
  decision_date: ["Ngày quyết định", "Ngày QĐ", "Ngày ký"],
};

export type SignerData = {
  authority?: string | undefined;
  signer_authority?: string | undefined;
  signer_title: string;
  signer_name: string;
  decision_number: string;
  decision_date: string;
};

const upper = (s: string) => s.toLocaleUpperCase("vi");

/** Noon in Vietnam on a stored date, so that formatting in Vietnam time gives that day. */
export const dayOf = (iso: string) => new Date(`${iso}T12:00:00+07:00`);

/** "15/11/2026". */
export const shortDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * The awarding authority: the field when given, otherwise the head's title (the signer's, or the
 * one a deputy signs for: "KT. GIÁM ĐỐC" → "GIÁM ĐỐC") and the issuer's name.
 */
export function authorityLine(d: SignerData, issuer: IssuerInfo): string {
  if (d.authority) return upper(d.authority);
  const head = d.signer_authority ? d.signer_authority.replace(/^(TM|Q|KT|TL|TUQ)\.\s*/iu, "") : d.signer_title;
  return upper(`${head} ${issuer.name}`);
}

/** Date line, signer block and footer every certificate shares. */
export function commonParts(d: SignerData, issuer: IssuerInfo, symbol: string | null, abbreviation: string) {
  const day = formatDocumentDate(dayOf(d.decision_date));
  const blank = `Số vào sổ:      /${abbreviation}-${issuer.symbol ?? ""}`;
  return {
    authority: authorityLine(d, issuer),
    dateLine: issuer.place ? `${issuer.place}, ${day}` : day.replace(/^n/u, "N"),
    signer: { authority: d.signer_authority ? upper(d.signer_authority) : null, title: upper(d.signer_title), name: d.signer_name },
    footer: [`Quyết định số ${d.decision_number} ngày ${shortDate(d.decision_date)}`, symbol ? `Số vào sổ: ${symbol}` : blank],
  };
}

/** The date five years after `iso` ("valid five years"), as dd/mm/yyyy. */
export function fiveYearsAfter(iso: string): string {
  const y = Number(iso.slice(0, 4)) + 5;
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${y}`;
}

export { padNumber };
