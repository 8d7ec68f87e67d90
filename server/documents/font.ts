/**
 * A TrueType face parsed once per process: cmap lookups and advance widths for layout, and the raw
 * tables for per-document subsetting. No OpenType shaping: Vietnamese in NFC is all precomposed
 * letters that Times-metric faces carry as glyphs of their own, and Word does not kern by default,
 * so one glyph per character with its advance width is what a letter needs — and is fast.
 */
import { readFileSync } from "node:fs";
import fontkit from "@pdf-lib/fontkit";
import { fontDirOverride } from "../config/env.ts";

export type FontStyle = "regular" | "bold" | "italic" | "boldItalic";

type Table = { offset: number; length: number };

export class Font {
  readonly bytes: Buffer;
  readonly tables: Map<string, Table>;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly italicAngle: number;
  readonly bbox: [number, number, number, number];
  readonly postscriptName: string;
  readonly numGlyphs: number;
  /** Glyph offsets into glyf (numGlyphs + 1 entries). */
  readonly loca: Uint32Array;
  private readonly advances: Uint16Array;
  private readonly glyphOfChar = new Map<number, number>();
  private readonly fk: { glyphForCodePoint(cp: number): { id: number }; hasGlyphForCodePoint(cp: number): boolean };

  constructor(path: string) {
    this.bytes = readFileSync(path);
    const b = this.bytes;
    this.tables = new Map();
    const numTables = b.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const at = 12 + i * 16;
      this.tables.set(b.toString("latin1", at, at + 4), { offset: b.readUInt32BE(at + 8), length: b.readUInt32BE(at + 12) });
    }
    const head = this.table("head");
    this.unitsPerEm = b.readUInt16BE(head.offset + 18);
    const indexToLocFormat = b.readInt16BE(head.offset + 50);
    const maxp = this.table("maxp");
    this.numGlyphs = b.readUInt16BE(maxp.offset + 4);
    const loca = this.table("loca");
    this.loca = new Uint32Array(this.numGlyphs + 1);
    for (let i = 0; i <= this.numGlyphs; i++) this.loca[i] = indexToLocFormat === 0 ? b.readUInt16BE(loca.offset + i * 2) * 2 : b.readUInt32BE(loca.offset + i * 4);
    const hhea = this.table("hhea");
    const numberOfHMetrics = b.readUInt16BE(hhea.offset + 34);
    const hmtx = this.table("hmtx");
    this.advances = new Uint16Array(this.numGlyphs);
    for (let i = 0; i < this.numGlyphs; i++) this.advances[i] = b.readUInt16BE(hmtx.offset + Math.min(i, numberOfHMetrics - 1) * 4);
    const fk = fontkit.create(b) as unknown as {
      ascent: number;
      descent: number;
      capHeight: number;
      italicAngle: number;
      postscriptName: string;
      bbox: { minX: number; minY: number; maxX: number; maxY: number };
      glyphForCodePoint(cp: number): { id: number };
      hasGlyphForCodePoint(cp: number): boolean;
    };
    this.fk = fk;
    this.ascent = fk.ascent;
    this.descent = fk.descent;
    this.capHeight = fk.capHeight;
    this.italicAngle = fk.italicAngle;
    this.postscriptName = fk.postscriptName.replace(/[^\x21-\x7e]/g, "");
    this.bbox = [fk.bbox.minX, fk.bbox.minY, fk.bbox.maxX, fk.bbox.maxY];
  }

  table(tag: string): Table {
    const t = this.tables.get(tag);
    if (!t) throw new Error(`font has no ${tag} table`);
    return t;
  }

  /** Glyph id for a code point (0, .notdef, when the face lacks it). */
  glyph(cp: number): number {
    let g = this.glyphOfChar.get(cp);
    if (g === undefined) {
      g = this.fk.hasGlyphForCodePoint(cp) ? this.fk.glyphForCodePoint(cp).id : 0;
      this.glyphOfChar.set(cp, g);
    }
    return g;
  }

  // Glyph ids numbered densely in order of first use in this process (CIDs). Content streams carry
  // CIDs and each document's subset puts glyph `cid` at index `cid`, so loca, hmtx and the PDF's
  // widths stay as small as the set of glyphs letters actually use (a few hundred, where Liberation
  // Serif's Vietnamese letters sit above glyph 2000), with an Identity CIDToGIDMap. The numbering
  // only grows; a CID keeps its meaning for the life of the process, so encoded words stay cached.
  private readonly cidOfGlyph = new Map<number, number>([[0, 0]]);
  private readonly glyphOfCid: number[] = [0];

  /** The process-wide CID of glyph `gid` (assigned on first use; .notdef is 0). */
  cid(gid: number): number {
    let c = this.cidOfGlyph.get(gid);
    if (c === undefined) {
      c = this.glyphOfCid.length;
      this.glyphOfCid.push(gid);
      this.cidOfGlyph.set(gid, c);
    }
    return c;
  }

  /** The glyph id behind a CID. */
  glyphOf(cid: number): number {
    return this.glyphOfCid[cid] ?? 0;
  }

  /** True when every character of `text` has a glyph (tabs and line breaks aside). */
  covers(text: string): boolean {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 9 || cp === 10) continue;
      if (this.glyph(cp) === 0) return false;
    }
    return true;
  }

  /** Advance width of a glyph in font units. */
  advance(gid: number): number {
    return this.advances[gid] ?? 0;
  }
}

const FONT_DIRS = ["/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation"];
const FILES: Record<FontStyle, string> = {
  regular: "LiberationSerif-Regular.ttf",
  bold: "LiberationSerif-Bold.ttf",
  italic: "LiberationSerif-Italic.ttf",
  boldItalic: "LiberationSerif-BoldItalic.ttf",
};

let loaded: Record<FontStyle, Font> | null = null;

/**
 * Characters whose glyphs get the first CIDs, in this order, when a face is loaded: printable ASCII,
 * Vietnamese letters and the punctuation letters use. Ordinary letters then draw from CIDs below
 * ~300 whatever a process rendered before (a document in Greek or Cyrillic cannot push them up and
 * make later subsets larger), and their CIDs are the same in every process.
 */
const FIRST_CIDS =
  Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("") +
  "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" +
  "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ" +
  "“”‘’–—…•₫°§№\u00A0";

function primeCids(font: Font): Font {
  for (const ch of FIRST_CIDS) font.cid(font.glyph(ch.codePointAt(0)!));
  return font;
}

/**
 * The four Liberation Serif faces (Times New Roman metrics, full Vietnamese, SIL OFL so embedding is
 * allowed), read from Debian's fonts-liberation2 once per process. CHIDAO_FONT_DIR overrides the folder.
 */
export function serifFonts(): Record<FontStyle, Font> {
  if (loaded) return loaded;
  const override = fontDirOverride();
  const dirs = override ? [override, ...FONT_DIRS] : FONT_DIRS;
  const open = (file: string) => {
    for (const dir of dirs) {
      try {
        return new Font(`${dir}/${file}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
    throw new Error(`font ${file} not found in ${dirs.join(", ")} (install Debian's fonts-liberation2)`);
  };
  loaded = {
    regular: primeCids(open(FILES.regular)),
    bold: primeCids(open(FILES.bold)),
    italic: primeCids(open(FILES.italic)),
    boldItalic: primeCids(open(FILES.boldItalic)),
  };
  return loaded;
}
