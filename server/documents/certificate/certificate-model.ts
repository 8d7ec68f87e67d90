/**
 * One certificate as data: what every certificate kind prints (Quốc hiệu and Tiêu ngữ, the awarding
 * authority, the title, the recipient, the lines that say what for, the date and signer, the decision
 * and register number). Templates build it; the layout draws only this, so the text a test extracts
 * from the PDF is {@link certificateLines} exactly.
 */
import type { FontStyle } from "../font.ts";

export type CertificateLine = { text: string; style: FontStyle; size: number };

export type CertificateModel = {
  /** "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", upper case. */
  authority: string;
  /** A line above the title ("TẶNG"), or null. */
  preTitle: string | null;
  /** "GIẤY KHEN", "CHỨNG NHẬN", "BẰNG CÔNG NHẬN". */
  title: string;
  /** Printed before the name ("Ông (Bà):", "Tập thể:"), or null. */
  recipientLabel: string | null;
  recipient: string;
  /** What the certificate states, centred under the name. */
  lines: CertificateLine[];
  /** "Thành phố Hồ Chí Minh, ngày 20 tháng 11 năm 2026". */
  dateLine: string;
  signer: { authority: string | null; title: string; name: string };
  /** Bottom left: the decision that grants the award, the register number. */
  footer: string[];
  /** A draft: "DỰ THẢO" across the page, no number. */
  draft: boolean;
};

export const NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
export const MOTTO = "Độc lập - Tự do - Hạnh phúc";

/**
 * The certificate's text line by line, in the order the page draws it (`pdftotext -raw` reads it
 * back in this order), with the verification lines when a code is given.
 */
export function certificateLines(m: CertificateModel, verify?: { code: string; url: string }): string[] {
  return [
    NATIONAL_TITLE,
    MOTTO,
    m.authority,
    ...(m.preTitle ? [m.preTitle] : []),
    m.title,
    m.recipientLabel ? `${m.recipientLabel} ${m.recipient}` : m.recipient,
    ...m.lines.map((l) => l.text),
    m.dateLine,
    ...(m.signer.authority ? [m.signer.authority] : []),
    m.signer.title,
    m.signer.name,
    ...m.footer,
    ...(verify ? [`Mã xác thực: ${verify.code}`, verify.url] : []),
  ];
}
