/**
 * Embeds the faces a document used as Type0 / CIDFontType2 fonts with Identity-H encoding: glyph ids
 * (CIDs, numbered per process by `Font.cid`) are the character codes, a ToUnicode CMap gives text
 * extraction (pdftotext) the exact characters, and the font program is a per-document subset whose
 * name carries the six-letter subset tag.
 */
import { createHash } from "node:crypto";
import { PDFName, PDFString, type PDFContext, type PDFRef } from "pdf-lib";
import { flateStream } from "./flate-stream.ts";
import { PDFRawValue } from "./pdf-raw-value.ts";
import type { Font, FontStyle } from "./font.ts";
import { subsetFont } from "./font-subset.ts";
import { glyphWidth1000 } from "./text-measure.ts";

/** Glyphs (by CID) and the characters they stand for, that one document used in one face. */
export class GlyphUse {
  readonly chars = new Map<number, string>();
  add(cids: number[], chars: string[]): void {
    for (let i = 0; i < cids.length; i++) if (!this.chars.has(cids[i]!)) this.chars.set(cids[i]!, chars[i]!);
  }
}

/** ABCDEF+ tag: six upper-case letters derived from the glyph set (PDF 32000 9.6.4). */
export function subsetTag(style: FontStyle, cids: number[]): string {
  const h = createHash("md5").update(style).update(Uint16Array.from(cids)).digest();
  let tag = "";
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (h[i]! % 26));
  return tag;
}

function utf16Hex(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, "0");
  return out;
}

export function toUnicodeCMap(chars: Map<number, string>): string {
  const entries = [...chars].sort((a, b) => a[0] - b[0]);
  let body = "";
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n${chunk.map(([g, ch]) => `<${g.toString(16).padStart(4, "0")}> <${utf16Hex(ch)}>`).join("\n")}\nendbfchar\n`;
  }
  return `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n`;
}

/** Writes one face's font objects into `context` and returns the Type0 font's reference. */
export function embedFont(context: PDFContext, style: FontStyle, font: Font, use: GlyphUse): PDFRef {
  const cids = [...use.chars.keys()].sort((a, b) => a - b);
  const name = `${subsetTag(style, cids)}+${font.postscriptName}`;
  const program = subsetFont(font, cids);
  const fontFile = flateStream(context, program, { Length1: program.length });
  const scale = 1000 / font.unitsPerEm;
  const flags = 2 /* serif */ | 32 /* nonsymbolic */ | (font.italicAngle !== 0 ? 64 : 0);
  const descriptor = context.register(
    context.obj({
      Type: "FontDescriptor",
      FontName: name,
      Flags: flags,
      FontBBox: font.bbox.map((v) => Math.round(v * scale)),
      ItalicAngle: font.italicAngle,
      Ascent: Math.round(font.ascent * scale),
      Descent: Math.round(font.descent * scale),
      CapHeight: Math.round(font.capHeight * scale),
      StemV: style === "bold" || style === "boldItalic" ? 140 : 80,
      FontFile2: fontFile,
    }),
  );
  // Runs of consecutive CIDs share one entry: "c [w1 w2 …]".
  let widths = "[";
  for (let i = 0; i < cids.length;) {
    let run = "";
    let j = i;
    do run += `${run ? " " : ""}${Math.round(glyphWidth1000(font, font.glyphOf(cids[j]!)) * 1000) / 1000}`;
    while (++j < cids.length && cids[j] === cids[j - 1]! + 1);
    widths += `${cids[i]} [${run}] `;
    i = j;
  }
  widths += "]";
  const cid = context.register(
    context.obj({
      Type: "Font",
      Subtype: "CIDFontType2",
      BaseFont: name,
      CIDSystemInfo: { Registry: PDFString.of("Adobe"), Ordering: PDFString.of("Identity"), Supplement: 0 },
      FontDescriptor: descriptor,
      W: new PDFRawValue(widths),
      // The subset puts each glyph at its CID's index (see Font.cid).
      CIDToGIDMap: "Identity",
    }),
  );
  const toUnicode = flateStream(context, toUnicodeCMap(use.chars));
  const type0 = context.obj({ Type: "Font", Subtype: "Type0", BaseFont: name, Encoding: "Identity-H", DescendantFonts: [cid], ToUnicode: toUnicode });
  type0.set(PDFName.of("BaseFont"), PDFName.of(name));
  return context.register(type0);
}
