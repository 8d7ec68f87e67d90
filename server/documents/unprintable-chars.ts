import { serifFonts } from "./font.ts";

/**
 * The distinct characters of `text` that any of the four document faces has no glyph for (in the
 * font's own cmap, as fontkit reads it), in order of first appearance; tabs and line feeds aside.
 * Such a character prints as an empty box, so text that reaches every header (an organisation's
 * name, symbol, place) is checked with this where it is typed, not when a letter is issued.
 * @example unprintableChars("Trường 🏫 THPT") // ["🏫"]
 */
export function unprintableChars(text: string): string[] {
  const faces = Object.values(serifFonts());
  const missing: string[] = [];
  for (const ch of new Set(text)) {
    if (ch === "\t" || ch === "\n") continue;
    if (faces.some((f) => !f.covers(ch))) missing.push(ch);
  }
  return missing;
}
