/** A4 portrait and the decree's default margins (top 20, bottom 20, left 30, right 15 mm), in points. */
export const MM = 72 / 25.4;
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } as const;
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
/** Header and closing columns: issuer / Nơi nhận on the left, motto / signer on the right. */
export const LEFT_COLUMN = TEXT_WIDTH * 0.38;
export const SIGNER_COLUMN_X = MARGIN.left + TEXT_WIDTH * 0.45;

/** Sizes (pt) and faces of each component, from the decree's "Mẫu chữ" table (the illustration's values). */
export const SIZES = {
  parentBody: 12,
  issuer: 12,
  nationalTitle: 12,
  motto: 13,
  symbol: 13,
  date: 13,
  typeName: 14,
  subject: 14,
  congVanSubject: 12,
  recipients: 14,
  body: 14,
  signer: 14,
  distributionLabel: 12,
  distribution: 11,
  drafter: 11,
  pageNumber: 13,
} as const;

/** First-line indent of body paragraphs: 1.27 cm. */
export const FIRST_LINE_INDENT = 36;
/** Paragraph spacing after body paragraphs (≥ 6 pt). */
export const PARAGRAPH_AFTER = 6;
/** Line height as a multiple of the size (single spacing in Word for a Times face is ≈ 1.15–1.2). */
export const LINE_HEIGHT = 1.2;
export const NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
export const MOTTO = "Độc lập - Tự do - Hạnh phúc";

/** Right column of the header (ô 1 and ô 4). */
export const RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN;

/** The rule under the issuer's name: within the decree's 1/3–1/2 of the line (40%), never a stub. */
export const issuerRuleWidth = (issuerLineWidth: number): number => Math.max(40, issuerLineWidth * 0.4);

/** The rule under a trích yếu (ô 5a): about a third of its line. */
export const subjectRuleWidth = (subjectLineWidth: number): number => Math.max(60, Math.min(subjectLineWidth, TEXT_WIDTH) * 0.35);

/** ô 4 at the illustration's 13 pt, or 12 pt when a long place name would not fit the right column on one line. */
export const dateLineSize = (widthAt13: number): number => (widthAt13 > RIGHT_COLUMN ? 12 : SIZES.date);
