/**
 * The document's text in reading order, one entry per block, exactly as both renderers print it.
 * Tests compare what pdftotext and LibreOffice read back against it.
 */
import { runsText, type DocumentModel } from "./document-model.ts";
import { MOTTO, NATIONAL_TITLE } from "./page-geometry.ts";
import { punctuateList } from "./punctuate-list.ts";

/** The recipients as printed after "Kính gửi:". */
export function recipientLines(m: DocumentModel): string[] {
  // One recipient stands on the label's line without a dash.
  return punctuateList(m.recipients, { dash: m.recipients.length > 1 });
}

/** Each block of text the document prints, in reading order. */
export function documentBlocks(m: DocumentModel): string[] {
  return [
    ...(m.parentBody ? [m.parentBody] : []),
    m.issuerName,
    NATIONAL_TITLE,
    MOTTO,
    m.symbolLine,
    m.dateLine,
    ...(m.congVan ? [`V/v ${m.subject}`] : [m.typeName, m.subject]),
    ...(m.authorityLine ? [m.authorityLine] : []),
    ...(m.recipients.length ? [m.recipientsLabel, ...recipientLines(m)] : []),
    ...m.bases,
    ...m.body.map((b) => runsText(b.runs)),
    ...(m.signer.authority ? [m.signer.authority] : []),
    m.signer.title,
    m.signer.name,
    "Nơi nhận:",
    ...m.distribution,
    ...(m.drafterLine ? [m.drafterLine] : []),
  ];
}

/** The document's text, blocks separated by line breaks. */
export function documentText(m: DocumentModel): string {
  return documentBlocks(m).join("\n");
}
