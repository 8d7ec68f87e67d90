/**
 * Splitting a long message for a platform with a per-message limit: pure, shared by the channels.
 */

/**
 * Splits plain text into pieces of at most `first` characters for the first piece and `rest` for the
 * others (UTF-16 code units, which is never fewer than the platform's count), breaking at a
 * paragraph, else a line, else a space; a word longer than a whole piece is cut, never between the
 * two halves of a surrogate pair. Pieces are trimmed at the break; no text is lost.
 */
export function splitText(text: string, first: number, rest: number = first): string[] {
  if (first < 1 || rest < 1) throw new RangeError("split limits must be positive");
  const out: string[] = [];
  let remaining = text;
  let budget = first;
  while (remaining.length > budget) {
    const window = remaining.slice(0, budget + 1);
    let cut = -1;
    for (const sep of ["\n\n", "\n", " "]) {
      const at = window.lastIndexOf(sep);
      // A break so early that the piece would be mostly empty is worse than cutting a word.
      if (at > budget / 3) {
        cut = at;
        break;
      }
    }
    if (cut > 0) out.push(remaining.slice(0, cut).trimEnd());
    else {
      cut = budget;
      const code = remaining.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
      out.push(remaining.slice(0, cut));
    }
    remaining = remaining.slice(cut).replace(/^\s+/, "");
    budget = rest;
  }
  if (remaining.length || !out.length) out.push(remaining);
  return out;
}
