import { describe, expect, it } from "vitest";
import { isAppError } from "../../server/domain/errors.ts";
import { mapColumns, parseImportRows, parseOrgKindLabel, parseSchoolLevelLabel, type ImportTable, type OrgImportRow } from "../../server/domain/org-import.ts";
import { detectDelimiter, readCsvTable } from "../../server/features/orgs/read-csv-table.ts";
import { findCycles, resolveImportGraph, type ExistingLinks } from "../../server/features/orgs/resolve-import-graph.ts";

const HEADER = ["code", "name", "kind", "level", "parent_code", "principal_name", "principal_phone"];
const table = (...rows: string[][]): ImportTable => ({ header: HEADER, rows: rows.map((cells, i) => ({ row: i + 2, cells })) });

describe("kind and level labels", () => {
  it.each([
    ["school", "school"],
    ["SCHOOL", "school"],
    ["Trường", "school"],
    ["truong", "school"],
    ["Xã", "commune"],
    ["Phường", "commune"],
    ["Sở GD&ĐT", "department"],
    ["so gd dt", "department"],
    ["District_Office", "district_office"],
    ["Phòng GD&ĐT", "district_office"],
    ["Trung tâm", "center"],
    ["Bộ", "ministry"],
  ])("kind %j → %s", (label, kind) => expect(parseOrgKindLabel(label)).toBe(kind));
  it.each([
    ["Mầm non", "mam_non"],
    ["mam non", "mam_non"],
    ["MAM_NON", "mam_non"],
    ["Tiểu học", "tieu_hoc"],
    ["THCS", "thcs"],
    ["Trung học phổ thông", "thpt"],
    ["TH&THCS", "nhieu_cap"],
    ["GDNN-GDTX", "gdtx"],
  ])("level %j → %s", (label, level) => expect(parseSchoolLevelLabel(label)).toBe(level));
  it("returns null for unknown labels", () => {
    expect(parseOrgKindLabel("đại học")).toBeNull();
    expect(parseSchoolLevelLabel("cao đẳng")).toBeNull();
  });
});

describe("columns", () => {
  it("matches headers case-insensitively, trimmed, ignoring unknown columns", () => {
    const m = mapColumns(["\uFEFF Code ", "NAME", "ghi chú", "Kind", "Parent Code"]);
    expect([m.get("code"), m.get("name"), m.get("kind"), m.get("parent_code")]).toEqual([0, 1, 3, 4]);
  });
  it("names every missing required column", () => {
    try {
      mapColumns(["code", "level"]);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, "VALIDATION")).toBe(true);
      expect((err as { params: object }).params).toEqual({ columns: "name, kind" });
    }
  });
});

describe("parseImportRows", () => {
  it("returns typed rows with normalised phones and NFC text", () => {
    const { rows, issues } = parseImportRows(table(["A1", "Trường Tiểu học".normalize("NFD"), "Trường", "Tiểu học", "X", "Nguyễn Văn A", "0903 123 456"]));
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({
      row: 2,
      code: "A1",
      name: "Trường Tiểu học".normalize("NFC"),
      kind: "school",
      level: "tieu_hoc",
      parentCode: "X",
      principal: { name: "Nguyễn Văn A", phone: "+84903123456" },
    });
  });
  it("reports each problem with its row and skips empty rows without renumbering", () => {
    const { rows, issues } = parseImportRows(
      table(["", "", "", "", "", "", ""], ["B1", "", "school", "", "", "", ""], ["B2", "Xã", "commune", "thpt", "", "", ""], ["B 3", "Tên", "lạ", "", "", "", "abc"]),
    );
    expect(rows).toEqual([]);
    expect(issues).toEqual([
      { row: 3, messageKey: "errors.import.missing_field", params: { field: "name" } },
      { row: 4, messageKey: "errors.import.level_not_allowed" },
      { row: 5, messageKey: "errors.import.bad_code", params: { value: "B 3" } },
      { row: 5, messageKey: "errors.import.bad_kind", params: { value: "lạ" } },
      { row: 5, messageKey: "errors.import.bad_phone", params: { value: "abc" } },
      { row: 5, messageKey: "errors.import.phone_without_name" },
    ]);
  });
  it("rejects a file without data rows", () => {
    expect(() => parseImportRows(table(["", "", "", "", "", "", ""]))).toThrow(/no data rows/);
  });
});

const row = (code: string, parentCode: string | null, n: number): OrgImportRow => ({
  row: n,
  code,
  name: code,
  kind: "school",
  level: null,
  parentCode,
  principal: null,
  symbol: undefined,
  place: undefined,
  governingBody: undefined,
  registerPerType: undefined,
});

describe("resolveImportGraph", () => {
  const existing: ExistingLinks = new Map([
    ["ROOT", { parentCode: null }],
    ["A", { parentCode: "ROOT" }],
    ["B", { parentCode: "A" }],
    ["OTHER", { parentCode: null }],
  ]);
  it("accepts parents that come after their children and parents in the database", () => {
    const r = resolveImportGraph({ rows: [row("C2", "C1", 2), row("C1", "B", 3)], existing, scopeCode: null });
    expect(r.issues).toEqual([]);
    expect(r.accepted.map((x) => x.code)).toEqual(["C2", "C1"]);
  });
  it("finds a cycle closed through database links and rejects its rows only", () => {
    // A's parent becomes B, whose current parent is A.
    const r = resolveImportGraph({ rows: [row("A", "B", 2), row("D", "ROOT", 3)], existing, scopeCode: null });
    expect(r.issues).toEqual([{ row: 2, messageKey: "errors.import.cycle", params: { path: "A → B → A" } }]);
    expect(r.accepted.map((x) => x.code)).toEqual(["D"]);
  });
  it("orphans children of rejected new rows", () => {
    const r = resolveImportGraph({ rows: [row("N1", "N1", 2), row("N2", "N1", 3), row("N3", "N2", 4)], existing, scopeCode: null });
    expect(r.issues.map((i) => [i.row, i.messageKey])).toEqual([
      [2, "errors.import.cycle"],
      [3, "errors.import.unknown_parent"],
      [4, "errors.import.unknown_parent"],
    ]);
  });
  it("keeps a scoped officer inside their subtree", () => {
    const r = resolveImportGraph({ rows: [row("S1", "A", 2), row("S2", "OTHER", 3), row("OTHER", "A", 4), row("S3", null, 5), row("A", null, 6)], existing, scopeCode: "A" });
    expect(r.accepted.map((x) => x.code)).toEqual(["S1"]);
    expect(r.issues.every((i) => i.messageKey === "errors.import.outside_scope")).toBe(true);
  });
  it("findCycles is linear on a 50,000-long chain", () => {
    const parents = new Map(Array.from({ length: 50_000 }, (_, i) => [`n${i}`, i === 0 ? null : `n${i - 1}`]));
    expect(findCycles([...parents.keys()].reverse(), (c) => parents.get(c) ?? null)).toEqual([]);
  });
});

describe("CSV reading", () => {
  it("detects ; and , delimiters from the header line", () => {
    expect(detectDelimiter('code;name;"a,b,c"\n1,2,3')).toBe(";");
    expect(detectDelimiter("code,name;x\n")).toBe(",");
  });
  it("numbers rows as a spreadsheet does (a quoted multi-line field is one row)", () => {
    const t = readCsvTable('\uFEFFcode,name\r\nA,"two\nlines"\r\n\r\nB,b\r\n');
    expect(t.rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(t.rows[2]!.cells).toEqual(["B", "b"]);
  });
  it("names the line where an unclosed quote opened", () => {
    expect(() => readCsvTable('code,name\nA,a\nB,"b\nC,c\n')).toThrow(expect.objectContaining({ code: "BAD_REQUEST", params: expect.objectContaining({ line: 3 }) }));
  });
});
