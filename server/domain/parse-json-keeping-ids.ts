/**
 * JSON.parse that keeps integers too large for a double as strings. Zalo's ids (user, message, app,
 * OA) and millisecond timestamps run past 2^53; if a payload ever carries one as a bare number,
 * `JSON.parse` would round it and a reply would go to the wrong user. Every integer literal longer
 * than 15 digits is quoted before parsing (text inside strings is left alone).
 */
export function parseJsonKeepingIds(text: string): unknown {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
      const next = text[j];
      const digits = j - i - (c === 0x2d ? 1 : 0);
      // Only plain integers: fractions and exponents are measurements, not ids.
      if (digits > 15 && next !== "." && next !== "e" && next !== "E") {
        out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}
