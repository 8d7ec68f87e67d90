/**
 * Words as glyphs: each distinct (face, word) is turned into glyph ids, their PDF hex string and
 * its width once per process; layout and drawing both reuse it.
 */
import { serifFonts, type Font, type FontStyle } from "./font.ts";

export type ShapedWord = {
  /** The glyphs as the face's process-wide CIDs (see `Font.cid`). */
  cids: number[];
  /** The CIDs as the hex string of an Identity-H `Tj` operand. */
  hex: string;
  /**
   * The same operand as a literal string, "(…)", two bytes per glyph as latin1 characters: half
   * the bytes of hex, and a letter's content stream is what zlib spends most of its time on.
   */
  literal: string;
  /** Advance width in thousandths of an em. */
  w1000: number;
  /** The characters behind each glyph (for ToUnicode). */
  chars: string[];
};

// One map per face, keyed by the word itself: no key string to build for every lookup.
const cache: Record<FontStyle, Map<string, ShapedWord>> = { regular: new Map(), bold: new Map(), italic: new Map(), boldItalic: new Map() };
const MAX_CACHE = 100_000;

/** Width of a glyph in thousandths of an em (what the PDF's W array says). */
export function glyphWidth1000(font: Font, gid: number): number {
  return (font.advance(gid) * 1000) / font.unitsPerEm;
}

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

/** One byte of a literal string: the delimiters, the escape and line ends escaped (PDF 32000 7.3.4.2). */
function literalByte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
  if (b === 0x0a) return "\\n";
  if (b === 0x0d) return "\\r";
  return String.fromCharCode(b);
}

/** Shapes `text` (no line breaks) in `style`. */
export function shape(style: FontStyle, text: string): ShapedWord {
  const words = cache[style];
  let w = words.get(text);
  if (w) return w;
  w = shapeUncached(style, text);
  if (words.size > MAX_CACHE) words.clear();
  words.set(text, w);
  return w;
}

/**
 * Shapes `text` without keeping it: for strings drawn once (a verification code or URL, a register
 * number), which would otherwise fill the cache with words never seen again.
 */
export function shapeUncached(style: FontStyle, text: string): ShapedWord {
  const font = serifFonts()[style];
  const cids: number[] = [];
  const chars: string[] = [];
  let hex = "";
  let literal = "(";
  let w1000 = 0;
  for (const ch of text) {
    const gid = font.glyph(ch.codePointAt(0)!);
    const cid = font.cid(gid);
    cids.push(cid);
    chars.push(ch);
    hex += hex4(cid);
    literal += literalByte(cid >> 8) + literalByte(cid & 0xff);
    w1000 += glyphWidth1000(font, gid);
  }
  return { cids, hex, literal: `${literal})`, w1000, chars };
}

/** Width of `text` in points at `size`. */
export function textWidth(style: FontStyle, text: string, size: number): number {
  return (shape(style, text).w1000 * size) / 1000;
}
