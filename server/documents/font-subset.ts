/**
 * Per-document TrueType subsetting that keeps glyph ids: the glyf table holds only the glyphs a
 * document uses (plus the components of composite glyphs), every other loca entry points at an
 * empty glyph. Keeping ids means content streams can be written during layout, before the subset
 * is known, and makes a subset cost a few buffer copies instead of a font re-encoding.
 */
import type { Font } from "./font.ts";

// Tables a PDF TrueType font program needs (PDF 32000 9.9): no cmap, names or layout tables.
const KEEP = ["cvt ", "fpgm", "prep", "head", "hhea", "hmtx", "maxp"];

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Adds the components of composite glyph `gid` (recursively) to `used`. */
function addComponents(font: Font, gid: number, used: Set<number>): void {
  const glyf = font.table("glyf");
  const start = glyf.offset + font.loca[gid]!;
  if (font.loca[gid + 1]! - font.loca[gid]! < 10) return;
  const b = font.bytes;
  if (b.readInt16BE(start) >= 0) return;
  let p = start + 10;
  for (;;) {
    const flags = b.readUInt16BE(p);
    const component = b.readUInt16BE(p + 2);
    if (!used.has(component)) {
      used.add(component);
      addComponents(font, component, used);
    }
    p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) p += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
    if (!(flags & MORE_COMPONENTS)) break;
  }
}

function checksum(buf: Buffer): number {
  let sum = 0;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const whole = buf.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < buf.length) {
    let last = 0;
    for (let i = whole; i < whole + 4; i++) last = (last << 8) | (i < buf.length ? buf[i]! : 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

/** A TrueType font program with only `glyphs` (and .notdef and their components) drawn. */
export function subsetFont(font: Font, glyphs: Iterable<number>): Buffer {
  const used = new Set<number>([0]);
  for (const g of glyphs) used.add(g);
  for (const g of [...used]) addComponents(font, g, used);

  const b = font.bytes;
  const glyf = font.table("glyf");
  const sorted = [...used].filter((g) => g < font.numGlyphs).sort((a, c) => a - c);
  // Glyphs above the highest one used are dropped altogether; below it, unused ones are empty.
  const numGlyphs = sorted[sorted.length - 1]! + 1;
  let size = 0;
  for (const g of sorted) size += (font.loca[g + 1]! - font.loca[g]! + 3) & ~3;
  const newGlyf = Buffer.alloc(size);
  const newLoca = Buffer.alloc((numGlyphs + 1) * 4);
  // Metrics of unused glyphs are zero: the PDF's W array gives widths, and zeros compress to nothing.
  const newHmtx = Buffer.alloc(numGlyphs * 4);
  const hmtx = font.table("hmtx");
  const longMetrics = b.readUInt16BE(font.table("hhea").offset + 34);
  let at = 0;
  let next = 0;
  for (let g = 0; g <= numGlyphs; g++) {
    newLoca.writeUInt32BE(at, g * 4);
    if (g < numGlyphs && sorted[next] === g) {
      const from = glyf.offset + font.loca[g]!;
      const len = font.loca[g + 1]! - font.loca[g]!;
      b.copy(newGlyf, at, from, from + len);
      at += (len + 3) & ~3;
      next++;
      newHmtx.writeUInt16BE(font.advance(g), g * 4);
      const lsbAt = g < longMetrics ? hmtx.offset + g * 4 + 2 : hmtx.offset + longMetrics * 4 + (g - longMetrics) * 2;
      newHmtx.writeInt16BE(b.readInt16BE(lsbAt), g * 4 + 2);
    }
  }

  const tables: [string, Buffer][] = [];
  for (const tag of KEEP) {
    const t = font.tables.get(tag);
    if (!t || tag === "hmtx") continue;
    const data = Buffer.from(b.subarray(t.offset, t.offset + t.length));
    if (tag === "head") {
      data.writeUInt32BE(0, 8); // checkSumAdjustment, recomputed below
      data.writeInt16BE(1, 50); // long loca offsets
    }
    if (tag === "maxp") data.writeUInt16BE(numGlyphs, 4);
    if (tag === "hhea") data.writeUInt16BE(numGlyphs, 34);
    tables.push([tag, data]);
  }
  tables.push(["glyf", newGlyf], ["loca", newLoca], ["hmtx", newHmtx]);
  tables.sort((x, y) => (x[0] < y[0] ? -1 : 1));

  const n = tables.length;
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= n) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + n * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(n * 16 - searchRange, 10);
  let offset = header.length;
  const parts: Buffer[] = [header];
  let headOffset = 0;
  tables.forEach(([tag, data], i) => {
    const rec = 12 + i * 16;
    header.write(tag, rec, 4, "latin1");
    header.writeUInt32BE(checksum(data), rec + 4);
    header.writeUInt32BE(offset, rec + 8);
    header.writeUInt32BE(data.length, rec + 12);
    if (tag === "head") headOffset = offset;
    const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
    parts.push(padded);
    offset += padded.length;
  });
  const out = Buffer.concat(parts);
  out.writeUInt32BE((0xb1b0afba - checksum(out)) >>> 0, headOffset + 8);
  return out;
}
