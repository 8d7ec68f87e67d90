import { deflateSync } from "node:zlib";
import { PDFName, PDFNumber, PDFRawStream, type PDFContext, type PDFRef } from "pdf-lib";

/**
 * A FlateDecode stream compressed by Node's native zlib. pdf-lib's own `flateStream` runs pako in
 * JavaScript, which was most of a letter's rendering time.
 *
 * Most of a letter's streams are small (ToUnicode maps, CIDToGIDMaps, font subsets of 1–10 KB), and
 * for them zlib's set-up — allocating and clearing a 32 KB window and its hash tables — cost more
 * than compressing: a 1 KB stream took 60 µs with the default window and 25 µs with one sized to
 * the data. The window never needs to be larger than the data, so the output is the same size.
 */
export function flateStream(context: PDFContext, data: Uint8Array | string, extra: Record<string, number> = {}, level = 6): PDFRef {
  const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  const compressed = deflateSync(bytes, { level, windowBits: windowBitsFor(bytes.length) });
  const dict = context.obj({ Filter: "FlateDecode" });
  for (const [k, v] of Object.entries(extra)) dict.set(PDFName.of(k), PDFNumber.of(v));
  return context.register(PDFRawStream.of(dict, compressed));
}

/** The smallest zlib window (2^9 … 2^15 bytes) that holds `length` bytes plus zlib's look-ahead. */
function windowBitsFor(length: number): number {
  let bits = 9;
  while (bits < 15 && 1 << bits < length + 262) bits++;
  return bits;
}
