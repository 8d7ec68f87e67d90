/**
 * The parent links of an import, checked against the tree the import would leave behind: the file's
 * rows over the database's current links. Pure: the caller loads the database links it needs.
 */
import type { OrgImportRow, RowIssue } from "../../domain/org-import.ts";

export type ExistingLinks = Map<string, { parentCode: string | null }>;

export type ResolveImportGraphOptions = {
  rows: OrgImportRow[];
  /** Current parent of every existing organisation the import touches or reaches by going up. */
  existing: ExistingLinks;
  /** Code of the importing officer's organisation; null for a system-wide administrator. */
  scopeCode: string | null;
};

const MAX_CYCLE_SHOWN = 12;

/**
 * Rejects rows whose parent is neither a valid row of the file nor an existing organisation, every
 * row of a parent cycle (in the file or closed through existing links; an own code as parent is a
 * cycle), and, for a scoped officer, rows that leave or come from outside the officer's subtree.
 * Rejecting a row can orphan its children, so checks repeat until nothing changes.
 */
export function resolveImportGraph({ rows, existing, scopeCode }: ResolveImportGraphOptions): { accepted: OrgImportRow[]; issues: RowIssue[] } {
  const valid = new Map(rows.map((r) => [r.code, r]));
  const issues: RowIssue[] = [];
  const reject = (r: OrgImportRow, messageKey: string, params: Record<string, unknown>) => {
    issues.push({ row: r.row, messageKey, params });
    valid.delete(r.code);
  };
  const exists = (code: string) => valid.has(code) || existing.has(code);
  const parentOf = (code: string): string | null => {
    const r = valid.get(code);
    if (r && r.parentCode !== undefined) return r.parentCode;
    return existing.get(code)?.parentCode ?? null;
  };

  for (let changed = true; changed;) {
    changed = false;
    for (const r of [...valid.values()]) {
      const p = r.parentCode;
      if (p && !exists(p)) {
        reject(r, "errors.import.unknown_parent", { code: p });
        changed = true;
      }
    }
    if (changed) continue;
    for (const cycle of findCycles([...valid.keys()], parentOf)) {
      const path = cycle.length > MAX_CYCLE_SHOWN ? [...cycle.slice(0, MAX_CYCLE_SHOWN), "…"] : [...cycle, cycle[0]];
      for (const code of cycle) {
        const r = valid.get(code);
        if (r) reject(r, "errors.import.cycle", { path: path.join(" → ") });
      }
      changed = true;
    }
    if (changed || scopeCode === null) continue;
    const inFinal = reachesScope(scopeCode, parentOf);
    const inExisting = reachesScope(scopeCode, (c) => existing.get(c)?.parentCode ?? null);
    for (const r of [...valid.values()]) {
      const movesOwnOrg = r.code === scopeCode && r.parentCode !== undefined && r.parentCode !== parentOfExisting(existing, r.code);
      const below = r.code !== scopeCode && inFinal(r.code) && (!existing.has(r.code) || inExisting(r.code));
      if (movesOwnOrg || (r.code !== scopeCode && !below)) {
        reject(r, "errors.import.outside_scope", { code: r.code });
        changed = true;
      }
    }
  }
  return { accepted: rows.filter((r) => valid.get(r.code) === r), issues };
}

function parentOfExisting(existing: ExistingLinks, code: string): string | null {
  return existing.get(code)?.parentCode ?? null;
}

/** Every cycle reachable by walking up from `starts`, each as its list of codes; O(nodes). */
export function findCycles(starts: string[], parentOf: (code: string) => string | null): string[][] {
  const state = new Map<string, 1 | 2>(); // 1: on the current walk, 2: finished
  const cycles: string[][] = [];
  for (const start of starts) {
    const walk: string[] = [];
    let c: string | null = start;
    while (c !== null && !state.has(c)) {
      state.set(c, 1);
      walk.push(c);
      c = parentOf(c);
    }
    if (c !== null && state.get(c) === 1) cycles.push(walk.slice(walk.indexOf(c)));
    for (const w of walk) state.set(w, 2);
  }
  return cycles;
}

/** A memoised "is this code strictly below `scopeCode`?" over the given parent links. */
function reachesScope(scopeCode: string, parentOf: (code: string) => string | null): (code: string) => boolean {
  const memo = new Map<string, boolean>([[scopeCode, true]]);
  return (code) => {
    const walk: string[] = [];
    let c: string | null = code === scopeCode ? parentOf(code) : code;
    let answer = false;
    while (c !== null) {
      const known = memo.get(c);
      if (known !== undefined) {
        answer = known;
        break;
      }
      if (walk.length > 10_000) break; // a cycle left in the database: treat as outside
      walk.push(c);
      c = parentOf(c);
    }
    for (const w of walk) memo.set(w, answer);
    return answer;
  };
}
