/** The ND 30/2020 document engine: the contract templates/ implement → layout model → PDF and DOCX. Pure: no database, no HTTP. */
export { buildDocumentModel, type BuildInput, type IssuerInfo } from "./build-document-model.ts";
export type { BodyBlock, DocumentModel, Run } from "./document-model.ts";
export { documentBlocks, documentText } from "./document-text.ts";
export { renderDocx, type RenderDocxOptions } from "./render-docx.ts";
export { renderPdf, type Box, type RenderedPdf, type RenderPdfOptions } from "./render-pdf.ts";
export type { DocumentTemplate, TemplateParts } from "./document-template.ts";
