/**
 * Line breaking for the PDF: runs become atoms (words in one face), atoms become lines that fit a
 * width, breaking only at spaces — or inside a word longer than a whole line, which is cut where it
 * must. Widths come from the shaped-word cache, so a letter's layout is mostly map lookups.
 */
import type { Run } from "./document-model.ts";
import type { FontStyle } from "./font.ts";
import { shape, type ShapedWord } from "./text-measure.ts";

export type Atom = {
  style: FontStyle;
  word: ShapedWord;
  text: string;
  /** A breakable space follows. */
  space: boolean;
  /** A line may break after this atom without a space (a cut inside an over-long word). */
  cut?: boolean;
};
export type Line = { atoms: Atom[]; size: number; /** natural width with single spaces */ width: number; gaps: number; last: boolean };

/** Splits runs into atoms at spaces; a word that changes face mid-way becomes several atoms without spaces between. */
export function toAtoms(runs: Run[]): Atom[] {
  const atoms: Atom[] = [];
  for (const run of runs) {
    const parts = run.text.split(/( +)/u);
    for (const part of parts) {
      if (!part) continue;
      if (/^ +$/u.test(part)) {
        const prev = atoms[atoms.length - 1];
        if (prev) prev.space = true;
        continue;
      }
      atoms.push({ style: run.style, word: shape(run.style, part), text: part, space: false });
    }
  }
  const last = atoms[atoms.length - 1];
  if (last) last.space = false;
  return atoms;
}

const spaceW = (style: FontStyle, size: number) => (shape(style, " ").w1000 * size) / 1000;
const atomW = (a: Atom, size: number) => (a.word.w1000 * size) / 1000;

/** Cuts an atom wider than `max` into pieces that fit (never between a surrogate pair). */
function cutAtom(a: Atom, size: number, max: number): Atom[] {
  const pieces: Atom[] = [];
  let text = "";
  for (const ch of a.text) {
    if (text && (shape(a.style, text + ch).w1000 * size) / 1000 > max) {
      pieces.push({ style: a.style, word: shape(a.style, text), text, space: false, cut: true });
      text = "";
    }
    text += ch;
  }
  pieces.push({ style: a.style, word: shape(a.style, text), text, space: a.space });
  return pieces;
}

/**
 * Breaks runs into lines of at most `width` points (the first line `firstWidth`), at `size` points.
 */
export function breakLines(runs: Run[], size: number, width: number, firstWidth = width): Line[] {
  const atoms = toAtoms(runs).flatMap((a) => (atomW(a, size) > Math.min(width, firstWidth) ? cutAtom(a, size, Math.min(width, firstWidth)) : [a]));
  const lines: Line[] = [];
  let current: Atom[] = [];
  let w = 0;
  let gaps = 0;
  // Width of the atoms since the last break opportunity (a word glued across faces).
  let i = 0;
  while (i < atoms.length) {
    // A group is atoms up to and including the next one followed by a space.
    let j = i;
    let groupW = 0;
    while (j < atoms.length) {
      groupW += atomW(atoms[j]!, size);
      if (atoms[j]!.space || atoms[j]!.cut) break;
      j++;
    }
    const group = atoms.slice(i, Math.min(j + 1, atoms.length));
    const limit = lines.length === 0 ? firstWidth : width;
    const prev = current[current.length - 1];
    const gap = prev?.space ? spaceW(prev.style, size) : 0;
    if (current.length && w + gap + groupW > limit + 0.01) {
      lines.push({ atoms: current, size, width: w, gaps, last: false });
      current = [];
      w = 0;
      gaps = 0;
    }
    const before = current[current.length - 1];
    if (before?.space) {
      w += spaceW(before.style, size);
      gaps++;
    }
    current.push(...group);
    w += groupW;
    i = j + 1;
  }
  if (current.length) lines.push({ atoms: current, size, width: w, gaps, last: true });
  else if (!lines.length) lines.push({ atoms: [], size, width: 0, gaps: 0, last: true });
  else lines[lines.length - 1]!.last = true;
  return lines;
}
