/**
 * The body's plain-text syntax: one paragraph per line; numbering and bullets at the start of a line
 * ("1.", "2.1.", "a)", "đ)", "-", "+", "•") mark an item; `**bold**` and `*italic*` mark runs when they
 * are closed on the same line. Nothing else is markup: what a user types is text.
 */
import type { BodyBlock, Run } from "./document-model.ts";
import type { FontStyle } from "./font.ts";

const ITEM = /^(?:\d{1,3}(?:\.\d{1,3})*\.|[a-zđ]\)|[IVXLC]{1,6}\.|[-+•–])\s/u;

function styleOf(bold: boolean, italic: boolean, base: FontStyle): FontStyle {
  const b = bold || base === "bold" || base === "boldItalic";
  const i = italic || base === "italic" || base === "boldItalic";
  return b && i ? "boldItalic" : b ? "bold" : i ? "italic" : "regular";
}

/**
 * Splits one line into runs. A `**` or `*` is a marker only when a matching one follows on the same
 * line and the span between them is not empty; otherwise it is text.
 */
export function parseRuns(line: string, base: FontStyle = "regular"): Run[] {
  const runs: Run[] = [];
  let bold = false;
  let italic = false;
  let text = "";
  const flush = () => {
    if (!text) return;
    const style = styleOf(bold, italic, base);
    const last = runs[runs.length - 1];
    if (last && last.style === style) last.text += text;
    else runs.push({ text, style });
    text = "";
  };
  let i = 0;
  while (i < line.length) {
    if (line.startsWith("**", i)) {
      const closes = bold || line.indexOf("**", i + 3) > i + 2;
      if (closes) {
        flush();
        bold = !bold;
      } else text += "**";
      i += 2;
      continue;
    } else if (line[i] === "*") {
      const close = line.indexOf("*", i + 2);
      const closes = italic || (close > i + 1 && line[close + 1] !== "*");
      if (closes) {
        flush();
        italic = !italic;
        i += 1;
        continue;
      }
    }
    text += line[i];
    i++;
  }
  flush();
  return runs;
}

/** Parses a body into blocks; blank lines only separate. */
export function parseBody(body: string): BodyBlock[] {
  const blocks: BodyBlock[] = [];
  for (const raw of body.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.replace(/\t/g, " ").replace(/\s+$/u, "").replace(/^\s+/u, "");
    if (!line) continue;
    const runs = parseRuns(line);
    if (!runs.length) continue;
    blocks.push({ kind: ITEM.test(line) ? "item" : "paragraph", runs });
  }
  return blocks;
}

/** Ends the body with "./." as the decree's models do (not doubled when the author typed it). */
export function endWithClosingMark(blocks: BodyBlock[]): BodyBlock[] {
  const last = blocks[blocks.length - 1];
  if (!last) return [{ kind: "paragraph", runs: [{ text: "./.", style: "regular" }] }];
  const text = last.runs
    .map((r) => r.text)
    .join("")
    .trimEnd();
  if (text.endsWith("./.")) return blocks;
  const runs = [...last.runs];
  const tail = runs[runs.length - 1]!;
  const trimmed = tail.text.replace(/[.;:,]+$/u, "");
  runs[runs.length - 1] = { ...tail, text: trimmed };
  runs.push({ text: "./.", style: "regular" });
  return [...blocks.slice(0, -1), { ...last, runs: runs.filter((r) => r.text) }];
}
