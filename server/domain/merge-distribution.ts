/**
 * Nơi nhận (ND 30 ô 9b) as one list without repeats. The engine adds some lines itself — "Như trên"
 * at the top of a công văn that has recipients, "Như Điều 3" on a decision, "Lưu: VT, <unit>" at the
 * end — and officers, used to typing them in Word, often type them in `cc` as well. Rules, in order:
 *
 * 1. Two items are the same when they fold equal: case, diacritics (đ = d), punctuation, a leading
 *    dash and spacing do not count ("- NHƯ TRÊN;" = "Như trên"). The first spelling is kept, so the
 *    engine's own lines keep their canonical form.
 * 2. `lead` comes first, then `cc` in the order typed, each item once.
 * 3. An item "Lưu: …" or "Lưu VT…" (in any case or spelling) is a storage line. There is exactly one, last: the engine's
 *    `storage` with the parts of the officer's storage lines it lacks appended ("Lưu: VT, KTKĐ" and a
 *    typed "Lưu: VT, KTKĐ, 02b" give "Lưu: VT, KTKĐ, 02b").
 * 4. Empty items (nothing left after folding) are dropped.
 *
 * Punctuation (";", ".", the dash) is not added here: the caller lays the list out.
 */
import { foldLabel } from "./org-import.ts";

export type MergeDistributionOptions = {
  /** Lines the engine puts first ("Như trên", "Như Điều 3", or a decision's recipients). */
  lead: string[];
  /** The officer's own lines. */
  cc: string[];
  /** The engine's storage line, e.g. "Lưu: VT, KTKĐ". */
  storage: string;
};

/** "Lưu: …", "Lưu VT…" (any case or spelling of Lưu), but not a name such as "Lưu Văn Thành". */
function isStorageLine(item: string, key: string): boolean {
  return /^luu( vt( |$)|$)/.test(key) || (key.startsWith("luu ") && /^[-–+•]?\s*\p{L}+\s*:/u.test(item.trim()));
}

/** The comparable form of one item: see rule 1. */
export function foldDistributionItem(item: string): string {
  return foldLabel(item);
}

/** The parts of a storage line after "Lưu" and its colon: "Lưu: VT, KTKĐ." → ["VT", "KTKĐ"]. */
function storageParts(line: string): string[] {
  const rest = line
    .trim()
    .replace(/^[-–+•]\s*/u, "")
    .replace(/^\p{L}+\s*:?\s*/u, "");
  return rest
    .split(/[,;]/u)
    .map((p) => p.trim().replace(/[.;,]+$/u, ""))
    .filter((p) => foldLabel(p) !== "");
}

/** Merges the engine's lines and the officer's into one Nơi nhận list (see the rules above). */
export function mergeDistribution({ lead, cc, storage }: MergeDistributionOptions): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const storageLines: string[] = [];
  for (const item of [...lead, ...cc]) {
    const key = foldLabel(item);
    if (!key) continue;
    if (isStorageLine(item, key)) {
      storageLines.push(item);
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item.trim());
  }
  const parts = storageParts(storage);
  const partKeys = new Set(parts.map(foldLabel));
  for (const line of storageLines) {
    for (const p of storageParts(line)) {
      const k = foldLabel(p);
      if (partKeys.has(k)) continue;
      partKeys.add(k);
      parts.push(p);
    }
  }
  const label = storage.trim().match(/^\p{L}+/u)?.[0] ?? "Lưu";
  out.push(parts.length ? `${label}: ${parts.join(", ")}` : label);
  return out;
}
