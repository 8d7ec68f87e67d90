/**
 * Pure rules of the organisation import: which columns a file must have, how a cell becomes a
 * kind, level, phone or text, and which rows are wrong on their own (before the database is asked).
 * Kinds and levels accept the API spelling and the Vietnamese labels officers write in Excel.
 */
import { AppError } from "./errors.ts";
import { kindHasLevel, ORG_CODE_PATTERN, ORG_KINDS, SCHOOL_LEVELS, type OrgKindName, type SchoolLevelName } from "./org.ts";
import { normalizePhone } from "./phone.ts";
import { hasControlChars } from "./text.ts";

/** A sheet as read from CSV or XLSX: cells as text, each row with its spreadsheet row number. */
export type ImportTable = { header: string[]; rows: { row: number; cells: string[] }[] };

/** One problem of one row; `row` is the spreadsheet row number (header = 1). */
export type RowIssue = { row: number; messageKey: string; params?: Record<string, unknown> };

export const REQUIRED_COLUMNS = ["code", "name", "kind"] as const;
export const OPTIONAL_COLUMNS = ["level", "parent_code", "principal_name", "principal_phone", "symbol", "place", "governing_body", "register_per_type"] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Most rows one import accepts (a province has at most a few thousand schools; the nation ~54,000). */
export const MAX_IMPORT_ROWS = 60_000;

/**
 * One valid row. An optional field is `undefined` when its column is absent from the file (the
 * existing value stays) and `null` when the cell is empty (the value is cleared).
 */
export type OrgImportRow = {
  row: number;
  code: string;
  name: string;
  kind: OrgKindName;
  level: SchoolLevelName | null | undefined;
  parentCode: string | null | undefined;
  principal: { name: string; phone: string | null | undefined } | null;
  symbol: string | null | undefined;
  place: string | null | undefined;
  governingBody: string | null | undefined;
  registerPerType: boolean | undefined;
};

/** Lower case, no diacritics (đ → d), every run of other characters one space: "Mầm-non" → "mam non". */
export function foldLabel(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function aliasMap<T extends string>(names: readonly T[], aliases: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const n of names) {
    map.set(foldLabel(n), n);
    for (const a of aliases[n]) map.set(foldLabel(a), n);
  }
  return map;
}

const KIND_LABELS = aliasMap(ORG_KINDS, {
  ministry: ["Bộ", "Bộ GD&ĐT", "Bộ GDĐT", "Bộ Giáo dục", "Bộ Giáo dục và Đào tạo"],
  department: ["Sở", "Sở GD&ĐT", "Sở GDĐT", "Sở Giáo dục", "Sở Giáo dục và Đào tạo"],
  commune: ["Xã", "Phường", "Đặc khu", "Xã/Phường", "UBND xã", "UBND phường", "Ủy ban nhân dân xã", "Ủy ban nhân dân phường"],
  district_office: ["Phòng", "Phòng GD&ĐT", "Phòng GDĐT", "Phòng Giáo dục", "Phòng Giáo dục và Đào tạo", "Phòng VH-XH", "Phòng Văn hóa - Xã hội"],
  school: ["Trường", "Trường học", "Nhà trường"],
  center: ["Trung tâm", "TT", "Centre"],
});

const LEVEL_LABELS = aliasMap(SCHOOL_LEVELS, {
  mam_non: ["Mầm non", "MN", "Mẫu giáo", "Nhà trẻ", "Mầm non - Mẫu giáo"],
  tieu_hoc: ["Tiểu học", "TH", "Cấp 1", "Cấp I"],
  thcs: ["THCS", "Trung học cơ sở", "Cấp 2", "Cấp II"],
  thpt: ["THPT", "Trung học phổ thông", "Cấp 3", "Cấp III"],
  nhieu_cap: ["Nhiều cấp", "Nhiều cấp học", "Phổ thông nhiều cấp", "Liên cấp", "TH-THCS", "TH&THCS", "THCS-THPT", "THCS&THPT", "TH-THCS-THPT"],
  gdtx: ["GDTX", "Giáo dục thường xuyên", "GDNN-GDTX", "Trung tâm GDTX", "Trung tâm GDNN-GDTX"],
});

/** "Trường", "truong", "SCHOOL" → "school"; null when unknown. */
export function parseOrgKindLabel(s: string): OrgKindName | null {
  return KIND_LABELS.get(foldLabel(s)) ?? null;
}

/** "Mầm non", "mam non", "MAM_NON", "MN" → "mam_non"; null when unknown. */
export function parseSchoolLevelLabel(s: string): SchoolLevelName | null {
  return LEVEL_LABELS.get(foldLabel(s)) ?? null;
}

const TRUE_WORDS = new Set(["true", "1", "yes", "y", "x", "co", "dung"]);
const FALSE_WORDS = new Set(["false", "0", "no", "n", "khong", "sai"]);

/**
 * Maps header cells (case-insensitive, trimmed; spaces count as underscores) to column indexes.
 * Unknown columns are ignored.
 * @throws AppError VALIDATION naming the missing required columns.
 */
export function mapColumns(header: string[]): Map<Column, number> {
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const map = new Map<Column, number>();
  header.forEach((h, i) => {
    const name = h
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    if (known.has(name) && !map.has(name as Column)) map.set(name as Column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !map.has(c));
  if (missing.length > 0) {
    throw new AppError("VALIDATION", `missing columns ${missing.join(",")}`, {
      messageKey: "errors.import.missing_columns",
      params: { columns: missing.join(", ") },
      issues: missing.map((c) => ({ path: c, messageKey: "errors.import.missing_field", params: { field: c } })),
    });
  }
  return map;
}

type CellReader = { issues: RowIssue[]; row: number; get(c: Column): string | undefined };

/** A text cell: NFC, trimmed; undefined when the column is absent, null when empty. */
function text(r: CellReader, c: Column, max: number): string | null | undefined {
  const raw = r.get(c);
  if (raw === undefined) return undefined;
  const v = raw.normalize("NFC").trim();
  if (v === "") return null;
  if (hasControlChars(v) || v.includes("\n")) r.issues.push({ row: r.row, messageKey: "errors.import.control_chars", params: { field: c } });
  else if (v.length > max) r.issues.push({ row: r.row, messageKey: "errors.import.too_long", params: { field: c, max } });
  else return v;
  return null;
}

function required(r: CellReader, c: Column, max: number): string | null {
  const v = text(r, c, max);
  if (v === null || v === undefined) {
    if (!r.issues.some((i) => i.params?.field === c)) r.issues.push({ row: r.row, messageKey: "errors.import.missing_field", params: { field: c } });
    return null;
  }
  return v;
}

const SYMBOL_PATTERN = /^[\p{L}\p{N}&.-]+$/u;

/** Checks one data row; returns the row or null, adding its problems to `issues`. */
function parseRow(cells: string[], row: number, columns: Map<Column, number>, issues: RowIssue[]): OrgImportRow | null {
  const before = issues.length;
  const r: CellReader = { issues, row, get: (c) => (columns.has(c) ? (cells[columns.get(c)!] ?? "") : undefined) };
  const code = required(r, "code", 64);
  if (code && !ORG_CODE_PATTERN.test(code)) issues.push({ row, messageKey: "errors.import.bad_code", params: { value: code } });
  const name = required(r, "name", 300);
  const kindText = required(r, "kind", 60);
  const kind = kindText ? parseOrgKindLabel(kindText) : null;
  if (kindText && !kind) issues.push({ row, messageKey: "errors.import.bad_kind", params: { value: kindText } });
  const levelText = text(r, "level", 60);
  let level: SchoolLevelName | null | undefined = levelText === undefined ? undefined : null;
  if (levelText) {
    level = parseSchoolLevelLabel(levelText);
    if (!level) issues.push({ row, messageKey: "errors.import.bad_level", params: { value: levelText } });
    else if (kind && !kindHasLevel(kind)) issues.push({ row, messageKey: "errors.import.level_not_allowed" });
  }
  const parentCode = text(r, "parent_code", 64);
  const principalName = text(r, "principal_name", 200);
  const phoneText = text(r, "principal_phone", 40);
  const phone = phoneText ? normalizePhone(phoneText) : phoneText;
  if (phoneText && !phone) issues.push({ row, messageKey: "errors.import.bad_phone", params: { value: phoneText } });
  if (phoneText && !principalName) issues.push({ row, messageKey: "errors.import.phone_without_name" });
  const symbol = text(r, "symbol", 30);
  if (symbol && !SYMBOL_PATTERN.test(symbol)) issues.push({ row, messageKey: "errors.import.bad_symbol", params: { value: symbol } });
  const place = text(r, "place", 100);
  const governingBody = text(r, "governing_body", 200);
  const flag = text(r, "register_per_type", 10);
  let registerPerType: boolean | undefined;
  if (flag !== undefined && flag !== null) {
    const f = foldLabel(flag);
    registerPerType = TRUE_WORDS.has(f) ? true : FALSE_WORDS.has(f) ? false : undefined;
    if (registerPerType === undefined) issues.push({ row, messageKey: "errors.import.bad_boolean", params: { field: "register_per_type", value: flag } });
  } else if (flag === null) registerPerType = false;
  if (issues.length > before || !code || !name || !kind) return null;
  return {
    row,
    code,
    name,
    kind,
    // A kind without levels clears a level left over from an earlier kind.
    level: kindHasLevel(kind) ? level : null,
    parentCode,
    principal: principalName ? { name: principalName, phone } : null,
    symbol,
    place,
    governingBody,
    registerPerType,
  };
}

/**
 * Validates every data row of `table` on its own. Empty rows are skipped; a code that appears on
 * several rows is an error on each of them (which one is meant cannot be guessed).
 * @throws AppError VALIDATION for missing required columns, no data rows, or too many rows.
 */
export function parseImportRows(table: ImportTable): { rows: OrgImportRow[]; issues: RowIssue[] } {
  const columns = mapColumns(table.header);
  const data = table.rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (data.length === 0) throw new AppError("VALIDATION", "no data rows", { messageKey: "errors.import.empty" });
  if (data.length > MAX_IMPORT_ROWS) {
    throw new AppError("PAYLOAD_TOO_LARGE", "too many rows", { messageKey: "errors.import.too_many_rows", params: { max: MAX_IMPORT_ROWS } });
  }
  const issues: RowIssue[] = [];
  // Counted on the raw cells so that a bad row still makes its twin ambiguous.
  const codeAt = columns.get("code")!;
  const seen = new Map<string, number>();
  for (const r of data) {
    const code = (r.cells[codeAt] ?? "").normalize("NFC").trim();
    if (code) seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  const rows: OrgImportRow[] = [];
  for (const r of data) {
    const parsed = parseRow(r.cells, r.row, columns, issues);
    const code = (r.cells[codeAt] ?? "").normalize("NFC").trim();
    if ((seen.get(code) ?? 0) > 1) issues.push({ row: r.row, messageKey: "errors.import.duplicate_code", params: { code } });
    else if (parsed) rows.push(parsed);
  }
  return { rows, issues };
}
