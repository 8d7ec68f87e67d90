/**
 * Per-document TrueType subsetting. Content streams are written during layout with each glyph's
 * process-wide CID (`Font.cid`: glyphs numbered densely in order of first use), so a word's encoding
 * is cached once per process; the subset puts glyph `cid` at index `cid` and leaves the indexes of
 * glyphs this document does not use empty. Those indexes run to a few hundred, where the face's own
 * glyph ids for Vietnamese letters run past 2000: loca and hmtx stay small, and the PDF needs no
 * CIDToGIDMap stream.
 *
 * Hinting is dropped: glyph instructions, fpgm, prep and cvt. PDF viewers and printers rasterise
 * without the font's own hinting (or with their auto-hinter), and the instructions were about a
 * third of every glyph's bytes — bytes that were then compressed for each letter.
 */
import type { Font } from "./font.ts";

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;
const WE_HAVE_INSTRUCTIONS = 0x0100;

/** A glyph's outline without instructions, and where composite glyphs name their components. */
type CleanGlyph = { data: Buffer; components: number[]; componentAt: number[] };

const EMPTY: CleanGlyph = { data: Buffer.alloc(0), components: [], componentAt: [] };
const cleaned = new WeakMap<Font, Map<number, CleanGlyph>>();

/** The glyph `gid` of `font` without hinting instructions (cached per process: glyphs repeat across letters). */
function cleanGlyph(font: Font, gid: number): CleanGlyph {
  let cache = cleaned.get(font);
  if (!cache) cleaned.set(font, (cache = new Map<number, CleanGlyph>()));
  const hit = cache.get(gid);
  if (hit) return hit;
  const glyph = readCleanGlyph(font, gid);
  cache.set(gid, glyph);
  return glyph;
}

function readCleanGlyph(font: Font, gid: number): CleanGlyph {
  if (gid < 0 || gid >= font.numGlyphs) return EMPTY;
  const b = font.bytes;
  const start = font.table("glyf").offset + font.loca[gid]!;
  const length = font.loca[gid + 1]! - font.loca[gid]!;
  if (length < 10) return EMPTY;
  const end = start + length;
  const contours = b.readInt16BE(start);
  if (contours >= 0) {
    // header, endPtsOfContours, instructionLength, instructions, flags and coordinates
    const lenAt = start + 10 + contours * 2;
    const instructions = b.readUInt16BE(lenAt);
    const data = Buffer.alloc(length - instructions);
    b.copy(data, 0, start, lenAt);
    data.writeUInt16BE(0, lenAt - start);
    b.copy(data, lenAt - start + 2, lenAt + 2 + instructions, end);
    return { data, components: [], componentAt: [] };
  }
  const components: number[] = [];
  const componentAt: number[] = [];
  let p = start + 10;
  let lastFlagsAt = p;
  for (;;) {
    const flags = b.readUInt16BE(p);
    lastFlagsAt = p;
    components.push(b.readUInt16BE(p + 2));
    componentAt.push(p + 2 - start);
    p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) p += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
    if (!(flags & MORE_COMPONENTS)) break;
  }
  // Drop the composite's trailing instructions and the flag that announces them.
  const data = Buffer.from(b.subarray(start, p));
  const flagsAt = lastFlagsAt - start;
  data.writeUInt16BE(data.readUInt16BE(flagsAt) & ~WE_HAVE_INSTRUCTIONS, flagsAt);
  return { data, components, componentAt };
}

function checksum(buf: Buffer): number {
  let sum = 0;
  const whole = buf.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + buf.readUInt32BE(i)) >>> 0;
  if (whole < buf.length) {
    let last = 0;
    for (let i = whole; i < whole + 4; i++) last = (last << 8) | (i < buf.length ? buf[i]! : 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

/** A TrueType program holding the glyphs of `cids` (and .notdef and the components of composites) at their CIDs. */
export function subsetFont(font: Font, cids: Iterable<number>): Buffer {
  // CIDs this document draws, and the components their composites need (which get CIDs of their own).
  const used = new Set<number>([0]);
  for (const c of cids) used.add(c);
  const queue = [...used];
  while (queue.length) {
    for (const component of cleanGlyph(font, font.glyphOf(queue.pop()!)).components) {
      const c = font.cid(component);
      if (!used.has(c)) {
        used.add(c);
        queue.push(c);
      }
    }
  }
  let count = 0;
  for (const c of used) count = Math.max(count, c + 1);

  const b = font.bytes;
  const hmtx = font.table("hmtx");
  const longMetrics = b.readUInt16BE(font.table("hhea").offset + 34);
  let size = 0;
  for (const c of used) size += (cleanGlyph(font, font.glyphOf(c)).data.length + 3) & ~3;
  const glyf = Buffer.alloc(size);
  const loca = Buffer.alloc((count + 1) * 4);
  // Unused indexes are empty glyphs with zero metrics (the PDF's W array gives the widths anyway).
  const metrics = Buffer.alloc(count * 4);
  let at = 0;
  for (let c = 0; c < count; c++) {
    loca.writeUInt32BE(at, c * 4);
    if (!used.has(c)) continue;
    const g = font.glyphOf(c);
    const clean = cleanGlyph(font, g);
    clean.data.copy(glyf, at);
    clean.components.forEach((component, k) => glyf.writeUInt16BE(font.cid(component), at + clean.componentAt[k]!));
    at += (clean.data.length + 3) & ~3;
    metrics.writeUInt16BE(font.advance(g), c * 4);
    const lsbAt = g < longMetrics ? hmtx.offset + g * 4 + 2 : hmtx.offset + longMetrics * 4 + (g - longMetrics) * 2;
    metrics.writeInt16BE(b.readInt16BE(lsbAt), c * 4 + 2);
  }
  loca.writeUInt32BE(at, count * 4);

  const copy = (tag: string) => {
    const t = font.table(tag);
    return Buffer.from(b.subarray(t.offset, t.offset + t.length));
  };
  const head = copy("head");
  head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  head.writeInt16BE(1, 50); // long loca offsets
  const hhea = copy("hhea");
  hhea.writeUInt16BE(count, 34);
  const maxp = copy("maxp");
  maxp.writeUInt16BE(count, 4);
  // Sorted by tag, as the table directory requires.
  const tables: [string, Buffer][] = [
    ["glyf", glyf],
    ["head", head],
    ["hhea", hhea],
    ["hmtx", metrics],
    ["loca", loca],
    ["maxp", maxp],
  ];

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
  const program = Buffer.concat(parts);
  program.writeUInt32BE((0xb1b0afba - checksum(program)) >>> 0, headOffset + 8);
  return program;
}
