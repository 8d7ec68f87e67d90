/**
 * Signs a PDF in one of its existing empty signature fields (the renderer puts "signer" over ô 7c
 * and "seal" over ô 8), or in a new invisible field when the named one is missing. The signature
 * is PAdES baseline B-B: SubFilter ETSI.CAdES.detached with a CAdES signature from the transport.
 *
 * The byte-range work is the usual one (as @signpdf does it): write the signature dictionary with a
 * zero-filled /Contents and a placeholder /ByteRange, fix the range once the file's layout is known,
 * sign everything but /Contents, and put the hex signature in place without moving a byte.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFRef } from "pdf-lib";
import type { SigningTransport } from "./signing-transport.ts";

/** Room for the CMS: a 4096-bit RSA signer with a three-certificate chain fits in well under 16 KiB. */
const SIGNATURE_BYTES = 16_384;
const RANGE_PLACEHOLDER = "**********";

export type SignPdfOptions = {
  transport: SigningTransport;
  /** Name (/T) of the empty signature field to fill; "seal" is the organisation's (ô 8). */
  field?: string;
  reason?: string;
  location?: string;
  signingTime?: Date;
};

/** The signature field called `name`, or a new invisible one on page 1. */
function signatureField(doc: PDFDocument, name: string): PDFDict {
  const ctx = doc.context;
  let form = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  if (!form) {
    form = ctx.obj({ Fields: [] });
    doc.catalog.set(PDFName.of("AcroForm"), form);
  }
  const fields = form.lookupMaybe(PDFName.of("Fields"), PDFArray) ?? ctx.obj([]);
  form.set(PDFName.of("Fields"), fields);
  form.set(PDFName.of("SigFlags"), PDFNumber.of(3));
  for (let i = 0; i < fields.size(); i++) {
    const field = fields.lookupMaybe(i, PDFDict);
    const t = field?.lookupMaybe(PDFName.of("T"), PDFString, PDFHexString);
    if (field && t?.decodeText() === name && field.get(PDFName.of("V")) === undefined) return field;
  }
  const page = doc.getPage(0);
  const field = ctx.obj({ FT: "Sig", T: PDFString.of(name), Type: "Annot", Subtype: "Widget", F: 4, Rect: [0, 0, 0, 0], P: page.ref });
  const ref: PDFRef = ctx.register(field);
  fields.push(ref);
  const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
  if (annots) annots.push(ref);
  else page.node.set(PDFName.of("Annots"), ctx.obj([ref]));
  return field;
}

/** Writes the document with an unsigned signature dictionary in the field. */
async function withPlaceholder(pdf: Uint8Array, o: SignPdfOptions): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const ctx = doc.context;
  const byteRange = ctx.obj([0, PDFName.of(RANGE_PLACEHOLDER), PDFName.of(RANGE_PLACEHOLDER), PDFName.of(RANGE_PLACEHOLDER)]);
  const sig = ctx.obj({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: "ETSI.CAdES.detached",
    ByteRange: byteRange,
    Contents: PDFHexString.of("00".repeat(SIGNATURE_BYTES)),
    M: PDFString.fromDate(o.signingTime ?? new Date()),
    Name: PDFHexString.fromText(o.transport.signerName),
    ...(o.reason ? { Reason: PDFHexString.fromText(o.reason) } : {}),
    ...(o.location ? { Location: PDFHexString.fromText(o.location) } : {}),
  });
  signatureField(doc, o.field ?? "seal").set(PDFName.of("V"), ctx.register(sig));
  // Without object streams the signature dictionary is written as plain text we can patch.
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}

/**
 * Signs `pdf` and returns the signed file.
 * @throws Error when the transport fails or returns a signature larger than the reserved space.
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const file = await withPlaceholder(pdf, options);
  const rangeMatch = /\/ByteRange\s*\[\s*0\s+\/\*{10}\s+\/\*{10}\s+\/\*{10}\s*\]/.exec(file.toString("latin1"));
  if (!rangeMatch) throw new Error("signature placeholder not found");
  const contentsAt = file.indexOf("/Contents", rangeMatch.index + rangeMatch[0].length, "latin1");
  const holeStart = file.indexOf("<", contentsAt, "latin1");
  const holeEnd = file.indexOf(">", holeStart, "latin1") + 1;
  if (contentsAt < 0 || holeStart < 0 || holeEnd - holeStart !== SIGNATURE_BYTES * 2 + 2) throw new Error("signature /Contents not found after /ByteRange");

  const range = `/ByteRange [0 ${holeStart} ${holeEnd} ${file.length - holeEnd}]`;
  if (range.length > rangeMatch[0].length) throw new Error("byte range does not fit its placeholder");
  file.write(range.padEnd(rangeMatch[0].length, " "), rangeMatch.index, "latin1");

  const signature = await options.transport.signDetached(Buffer.concat([file.subarray(0, holeStart), file.subarray(holeEnd)]));
  if (signature.length > SIGNATURE_BYTES) throw new Error(`signature of ${signature.length} bytes exceeds the ${SIGNATURE_BYTES} reserved`);
  file.write(Buffer.from(signature).toString("hex").padEnd(SIGNATURE_BYTES * 2, "0"), holeStart + 1, "latin1");
  return new Uint8Array(file);
}
