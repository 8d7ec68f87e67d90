/**
 * A PDF written front to back, object by object, into a sink (a file or memory): nothing of a page
 * stays in memory once it is written, so a print file of any length costs the memory of one page
 * plus one offset per object. Objects that are known only at the end (fonts subset over every page,
 * the page tree) get their numbers reserved up front and are written last.
 */
import { deflateSync } from "node:zlib";

/** Receives the file's bytes in order. */
export type PdfSink = (chunk: Buffer) => void;

export class PdfWriter {
  private offset = 0;
  private readonly offsets: number[] = [0];
  private next = 1;

  constructor(private readonly sink: PdfSink) {
    // A binary comment line tells transfer tools the file is binary (PDF 32000 7.5.2).
    this.emit(Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"));
  }

  private emit(chunk: Buffer): void {
    this.sink(chunk);
    this.offset += chunk.length;
  }

  /** A new object number, to be written later with {@link object} or {@link stream}. */
  reserve(): number {
    return this.next++;
  }

  /** Writes object `num` with `body` (PDF syntax, latin1). */
  object(num: number, body: string): void {
    this.offsets[num] = this.offset;
    this.emit(Buffer.from(`${num} 0 obj\n${body}\nendobj\n`, "latin1"));
  }

  /**
   * Writes a stream object. `dict` holds the entries without /Length (and without /Filter when
   * `deflate` is true, which adds it and compresses `data`).
   */
  stream(num: number, dict: string, data: Buffer | string, { deflate = true, level = 6 } = {}): void {
    const raw = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    const bytes = deflate ? deflateStream(raw, level) : raw;
    this.offsets[num] = this.offset;
    this.emit(Buffer.from(`${num} 0 obj\n<< ${dict}${deflate ? " /Filter /FlateDecode" : ""} /Length ${bytes.length} >>\nstream\n`, "latin1"));
    this.emit(bytes);
    this.emit(Buffer.from("\nendstream\nendobj\n", "latin1"));
  }

  /** Writes the cross-reference table and trailer; every reserved object must have been written. */
  finish(root: number, info?: number): void {
    const xrefAt = this.offset;
    const lines = [`xref\n0 ${this.next}\n0000000000 65535 f \n`];
    for (let i = 1; i < this.next; i++) {
      const at = this.offsets[i];
      if (at === undefined) throw new Error(`PDF object ${i} reserved but never written`);
      lines.push(`${String(at).padStart(10, "0")} 00000 n \n`);
    }
    this.emit(Buffer.from(lines.join(""), "latin1"));
    this.emit(Buffer.from(`trailer\n<< /Size ${this.next} /Root ${root} 0 R${info ? ` /Info ${info} 0 R` : ""} >>\nstartxref\n${xrefAt}\n%%EOF\n`, "latin1"));
  }
}

/** `data` compressed as a /FlateDecode stream's bytes, as {@link PdfWriter.stream} does it. */
export function deflateStream(data: Buffer | string, level = 6): Buffer {
  const raw = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  return deflateSync(raw, { level, windowBits: windowBitsFor(raw.length), memLevel: 8 });
}

/**
 * The smallest zlib window (2^9 … 2^15 bytes) that holds `length` bytes and zlib's look-ahead: the
 * output is the same, and zlib's set-up for a few KB stops costing more than the compression (and
 * the process's native heap stops growing by full 32 KB windows thousands of times over).
 */
function windowBitsFor(length: number): number {
  let bits = 9;
  while (bits < 15 && 1 << bits < length + 262) bits++;
  return bits;
}

/** A PDF text string in UTF-16BE with BOM, as hex (safe for any text). */
export function pdfTextString(s: string): string {
  let hex = "FEFF";
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, "0");
  return `<${hex}>`;
}
