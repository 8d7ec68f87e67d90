import type { DocumentModel } from "./document-model.ts";
import { recipientLines } from "./document-text.ts";
import { FIRST_LINE_INDENT, SIZES, TEXT_WIDTH } from "./page-geometry.ts";
import { textWidth } from "./text-measure.ts";

/**
 * Where "Kính gửi:" sits (ô 9a): the label and its recipients form one block centred on the text
 * width, with each recipient under the first one. Shared by the PDF and DOCX renderers.
 */
export function recipientsLayout(m: DocumentModel): { items: string[]; offset: number; labelWidth: number } {
  const size = SIZES.recipients;
  const items = recipientLines(m);
  const labelWidth = textWidth("regular", `${m.recipientsLabel} `, size);
  const widest = Math.max(0, ...items.map((t) => textWidth("regular", t, size)));
  const blockW = Math.min(TEXT_WIDTH - FIRST_LINE_INDENT, labelWidth + widest);
  const offset = Math.max(FIRST_LINE_INDENT, (TEXT_WIDTH - blockW) / 2);
  return { items, offset, labelWidth };
}
