import { serifFonts } from "./font.ts";

/** Code points every face has (true) or one of them lacks (false), learnt once per process. */
const printable = new Map<number, boolean>();

/**
 * The distinct characters of `text` that any of the four document faces has no glyph for (in the
 * font's own cmap, as fontkit reads it), in order of first appearance; tabs and line feeds aside.
 * Such a character prints as an empty box, so text that reaches every header (an organisation's
 * name, symbol, place) is checked with this where it is typed, not when a letter is issued.
 * Printable ASCII is taken as read (the faces carry it); anything else is looked up once per
 * process, so an import of tens of thousands of names costs a few map reads per character.
 * @example unprintableChars("Trường 🏫 THPT") // ["🏫"]
 */
export function unprintableChars(text: string): string[] {
  let missing: string[] | null = null;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x20 && cp < 0x7f) || cp === 9 || cp === 10) continue;
    let ok = printable.get(cp);
    if (ok === undefined) {
      ok = Object.values(serifFonts()).every((f) => f.covers(ch));
      printable.set(cp, ok);
    }
    if (!ok && !(missing ??= []).includes(ch)) missing.push(ch);
  }
  return missing ?? [];
}
