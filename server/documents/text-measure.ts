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
  /** Advance width in thousandths of an em. */
  w1000: number;
  /** The characters behind each glyph (for ToUnicode). */
  chars: string[];
};

const cache = new Map<string, ShapedWord>();
const MAX_CACHE = 200_000;

/** Width of a glyph in thousandths of an em (what the PDF's W array says). */
export function glyphWidth1000(font: Font, gid: number): number {
  return (font.advance(gid) * 1000) / font.unitsPerEm;
}

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

/** Shapes `text` (no line breaks) in `style`. */
export function shape(style: FontStyle, text: string): ShapedWord {
  const key = `${style}\u0000${text}`;
  let w = cache.get(key);
  if (w) return w;
  const font = serifFonts()[style];
  const cids: number[] = [];
  const chars: string[] = [];
  let hex = "";
  let w1000 = 0;
  for (const ch of text) {
    const gid = font.glyph(ch.codePointAt(0)!);
    const cid = font.cid(gid);
    cids.push(cid);
    chars.push(ch);
    hex += hex4(cid);
    w1000 += glyphWidth1000(font, gid);
  }
  w = { cids, hex, w1000, chars };
  if (cache.size > MAX_CACHE) cache.clear();
  cache.set(key, w);
  return w;
}

/** Width of `text` in points at `size`. */
export function textWidth(style: FontStyle, text: string, size: number): number {
  return (shape(style, text).w1000 * size) / 1000;
}
