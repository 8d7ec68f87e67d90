/**
 * Signs a PDF in one of its existing empty signature fields (the renderer puts "signer" over ô 7c
 * and "seal" over ô 8), or in a new invisible field when the named one is missing. The signature
 * is PAdES baseline B-B: SubFilter ETSI.CAdES.detached with a CAdES signature from the transport.
 *
 * Like desktop signing tools, it appends an incremental update (the field with its /V and the
 * signature dictionary, a new xref section, a trailer with /Prev), so the rendered bytes stay an
 * exact prefix of the signed file and a later signature by the person (USB token) appends the same
 * way. Files this cannot read that simply (xref streams, no such field) are rewritten with pdf-lib.
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

/** PDF date string, e.g. "D:20261123144500+07'00'" (in UTC: "…Z"). */
function pdfDate(d: Date): string {
  return `D:${d.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

/** A text string as UTF-16BE hex with its byte-order mark, safe for any Vietnamese text. */
function hexText(text: string): string {
  const bytes = [0xfe, 0xff];
  for (const unit of text) {
    const code = unit.codePointAt(0)!;
    const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
    for (const u of units) bytes.push(u >> 8, u & 0xff);
  }
  return `<${Buffer.from(bytes).toString("hex")}>`;
}

/**
 * Appends the signature dictionary and the field's new revision as an incremental update, or
 * returns null when the file is not the simple kind (classic xref table, field found by name).
 */
function withPlaceholderIncremental(pdf: Uint8Array, o: SignPdfOptions): Buffer | null {
  const text = Buffer.from(pdf).toString("latin1");
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  const trailerAt = text.lastIndexOf("trailer");
  if (!startxref || trailerAt < 0 || text.slice(Number(startxref[1]), Number(startxref[1]) + 4) !== "xref") return null;
  const trailer = text.slice(trailerAt, startxref.index);
  const size = /\/Size\s+(\d+)/.exec(trailer)?.[1];
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  if (!size || !root) return null;
  const info = /\/Info\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  const id = /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1];
  const name = (o.field ?? "seal").replace(/[()\\]/g, "");
  // The field's latest revision is its last definition in the file.
  const field = [...text.matchAll(new RegExp(`(\\d+) 0 obj\\s*<<((?:(?!endobj)[\\s\\S])*?/T \\(${name}\\)(?:(?!endobj)[\\s\\S])*?)>>\\s*endobj`, "g"))].pop();
  if (!field || !/\/FT\s*\/Sig/.test(field[2]!)) return null;
  if (/\/V\s/.test(field[2]!)) throw new Error(`signature field "${name}" is already signed`);

  const sigNum = Number(size);
  const fieldNum = Number(field[1]);
  const sig = [
    `${sigNum} 0 obj`,
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached`,
    `/ByteRange [0 /${RANGE_PLACEHOLDER} /${RANGE_PLACEHOLDER} /${RANGE_PLACEHOLDER}]`,
    `/Contents <${"0".repeat(SIGNATURE_BYTES * 2)}>`,
    `/M (${pdfDate(o.signingTime ?? new Date())}) /Name ${hexText(o.transport.signerName)}`,
    ...(o.reason ? [`/Reason ${hexText(o.reason)}`] : []),
    ...(o.location ? [`/Location ${hexText(o.location)}`] : []),
    `>>`,
    `endobj`,
  ].join("\n");
  const fieldObj = `${fieldNum} 0 obj\n<< /V ${sigNum} 0 R${field[2]}>>\nendobj`;
  const base = pdf.length + (text.endsWith("\n") ? 0 : 1);
  const body = `${text.endsWith("\n") ? "" : "\n"}${fieldObj}\n${sig}\n`;
  const fieldAt = base;
  const sigAt = base + fieldObj.length + 1;
  const xrefAt = base + body.length - (text.endsWith("\n") ? 0 : 1);
  const entry = (offset: number) => `${String(offset).padStart(10, "0")} 00000 n \n`;
  const sections = [
    [fieldNum, fieldAt],
    [sigNum, sigAt],
  ].sort((a, b) => a[0]! - b[0]!);
  const xref = `xref\n${sections.map(([n, at]) => `${n} 1\n${entry(at!)}`).join("")}`;
  const newTrailer = `trailer\n<< /Size ${sigNum + 1} /Root ${root}${info ? ` /Info ${info}` : ""}${id ? ` /ID ${id}` : ""} /Prev ${startxref[1]} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(pdf), Buffer.from(body + xref + newTrailer, "latin1")]);
}

/** Writes the document with an unsigned signature dictionary in the field. */
async function withPlaceholder(pdf: Uint8Array, o: SignPdfOptions): Promise<Buffer> {
  // Rewriting a file would break any signature it already carries.
  if (Buffer.from(pdf).includes("/ByteRange")) throw new Error("the PDF is already signed and cannot be rewritten; sign an empty signature field");
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
  const file = withPlaceholderIncremental(pdf, options) ?? (await withPlaceholder(pdf, options));
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
  file.write(
    Buffer.from(signature)
      .toString("hex")
      .padEnd(SIGNATURE_BYTES * 2, "0"),
    holeStart + 1,
    "latin1",
  );
  return new Uint8Array(file);
}
