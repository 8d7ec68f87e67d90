import ExcelJS from "exceljs";
import JSZip from "jszip";
import { execFile } from "node:child_process";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../server/domain/errors.ts";
import { loadXlsxWorkbook } from "../../server/features/spreadsheets/load-xlsx-workbook.ts";
import { readSafeZip, type ZipLimits } from "../../server/features/spreadsheets/read-safe-zip.ts";
import { craftZip, deflatedZeros, type CraftedEntry } from "../helpers/crafted-zip.ts";

const run = promisify(execFile);
const MiB = 1024 * 1024;
const SHEET = "xl/worksheets/sheet1.xml";
const LIMITS: ZipLimits = { maxEntries: 1_000, maxEntryBytes: 40 * MiB, maxTotalBytes: 64 * MiB, maxRatio: 100 };
const keepAll = { ...LIMITS, keep: () => true };

/** The parts of a small real workbook, as crafted entries to tamper with. */
async function workbookEntries(): Promise<CraftedEntry[]> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Trường");
  sheet.addRow(["code", "name"]);
  sheet.addRow(["A1", "Trường A"]);
  const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
  const files = Object.values(zip.files).filter((f) => !f.dir);
  return Promise.all(files.map(async (f) => ({ name: f.name, data: await f.async("nodebuffer") })));
}

/** What a promise was refused with: the AppError's code, message key and detail. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; key: string | undefined; detail: string }> {
  try {
    await p;
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { code: err.code, key: err.messageKey, detail: err.message };
  }
  throw new Error("accepted");
}

const firstSheetRows = async (bytes: Buffer) => {
  const book = await loadXlsxWorkbook(bytes);
  return book.worksheets[0]!.getSheetValues()
    .filter(Boolean)
    .map((r) => (r as unknown[]).slice(1));
};

describe("archives that are read", () => {
  it("reads a workbook rebuilt from its parts, and skips an embedded part it never needs, even one that would not inflate", async () => {
    const parts = await workbookEntries();
    expect(await firstSheetRows(craftZip(parts))).toEqual([
      ["code", "name"],
      ["A1", "Trường A"],
    ]);
    // Anything under xl/embeddings (a nested archive, say) is checked against the directory, never
    // inflated: these bytes are not even deflate data, which inflating would find at once.
    const embedding = { name: "xl/embeddings/oleObject1.bin", packed: Buffer.alloc(20_000, 0xff), size: MiB };
    expect((await refusal(readSafeZip(craftZip([...parts, embedding]), keepAll))).detail).toMatch(/oleObject1/);
    expect(await firstSheetRows(craftZip([...parts, embedding]))).toHaveLength(2);
  });

  it("reads entries with data descriptors, as streaming writers (ExcelJS's WorkbookWriter) make them", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const sheet = writer.addWorksheet("Trường");
    for (let i = 0; i < 500; i++) sheet.addRow([`S${i}`, `Trường số ${i}`]).commit();
    sheet.commit();
    await writer.commit();
    const bytes = Buffer.concat(chunks);
    expect(bytes.readUInt16LE(6) & 0x0008, "first entry uses a data descriptor").toBe(8);
    const rows = await firstSheetRows(bytes);
    expect(rows).toHaveLength(500);
    expect(rows[499]).toEqual(["S499", "Trường số 499"]);
  });

  it("removes a leading slash from names and keeps only what `keep` asks for", async () => {
    const zip = craftZip([
      { name: "/a.xml", data: Buffer.from("<a/>") },
      { name: "b.xml", data: Buffer.from("<b/>"), method: 0 },
      { name: "dir/", data: Buffer.alloc(0), method: 0 },
    ]);
    const kept = await readSafeZip(zip, { ...LIMITS, keep: (n) => n !== "b.xml" });
    expect([...kept.keys()]).toEqual(["a.xml"]);
    expect(kept.get("a.xml")!.toString()).toBe("<a/>");
  });
});

describe("archives that are refused", () => {
  const small = { name: SHEET, data: Buffer.from("<worksheet/>") };
  const other = { name: "xl/styles.xml", data: Buffer.from("<styleSheet/>") };
  const bomb400 = deflatedZeros(400 * MiB);
  const cases: [string, () => Buffer, string, string | undefined, RegExp][] = [
    [
      "bytes prepended, offsets as written",
      () => craftZip([small, other], { prepend: Buffer.alloc(1024, 0x20) }),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /offsets do not match/,
    ],
    [
      "bytes prepended, offsets shifted (self-extractor style)",
      () => craftZip([small, other], { prepend: Buffer.alloc(1024, 0x20), shiftOffsets: true }),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /unlisted data before/,
    ],
    [
      "bytes appended after the end record",
      () => craftZip([small], { append: Buffer.from("trailer") }),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /no end-of-central-directory/,
    ],
    ["a second end record in the comment", () => craftZip([small], { comment: Buffer.from("PK\x05\x06") }), "VALIDATION", "errors.import.malformed_xlsx", /end record repeated/],
    [
      "a hidden local entry the directory does not list (the 400 MB exploit)",
      () => craftZip([small, { name: "xl/x.xml", packed: bomb400, size: 400 * MiB, hidden: true }, other]),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /unlisted data/,
    ],
    [
      "a hidden entry at the end, before the directory",
      () => craftZip([small, { name: SHEET, packed: bomb400, size: 400 * MiB, hidden: true }]),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /unlisted data before the central directory/,
    ],
    [
      "central and local sizes lie (1,000 declared, 10 MiB inside)",
      () => craftZip([{ name: SHEET, packed: deflatedZeros(10 * MiB), declare: 1000 }]),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /inflates beyond its declared 1000 bytes/,
    ],
    ["the local size lies", () => craftZip([{ ...small, declareLocal: 5 }]), "VALIDATION", "errors.import.malformed_xlsx", /local sizes differ/],
    ["a checksum that does not match", () => craftZip([{ ...small, crc: 1234 }]), "VALIDATION", "errors.import.malformed_xlsx", /local sizes differ|checksum/],
    ["a ZIP64 locator", () => craftZip([small], { zip64Locator: true }), "VALIDATION", "errors.import.zip_unsupported", /ZIP64/],
    ["a ZIP64 extra field", () => craftZip([{ ...small, extra: Buffer.from([1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }]), "VALIDATION", "errors.import.zip_unsupported", /ZIP64/],
    ["a saturated entry count (ZIP64)", () => craftZip([small], { count: 0xffff }), "VALIDATION", "errors.import.zip_unsupported", /ZIP64/],
    ["a multi-disk archive", () => craftZip([small], { disk: 1 }), "VALIDATION", "errors.import.zip_unsupported", /multi-disk/],
    ["an encrypted entry", () => craftZip([{ ...small, flags: 1 }]), "VALIDATION", "errors.import.zip_unsupported", /encryption/],
    ["an AES entry (method 99)", () => craftZip([{ ...small, method: 99, packed: Buffer.from("x"), size: 1 }]), "VALIDATION", "errors.import.zip_unsupported", /encryption/],
    ["bzip2 compression", () => craftZip([{ ...small, method: 12, packed: Buffer.from("x"), size: 1 }]), "VALIDATION", "errors.import.zip_unsupported", /method 12/],
    [
      "5,000 entries",
      () => craftZip(Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from("x") }))),
      "VALIDATION",
      "errors.import.zip_too_many_entries",
      /5000 entries/,
    ],
    ["the same name twice", () => craftZip([small, small]), "VALIDATION", "errors.import.malformed_xlsx", /duplicate entry/],
    ["the same name in another case", () => craftZip([small, { ...small, name: SHEET.toUpperCase() }]), "VALIDATION", "errors.import.malformed_xlsx", /duplicate entry/],
    ["the same name with a leading slash", () => craftZip([small, { ...small, name: `/${SHEET}` }]), "VALIDATION", "errors.import.malformed_xlsx", /duplicate entry/],
    ["an honest 400 MiB bomb entry", () => craftZip([{ name: SHEET, packed: bomb400, size: 400 * MiB }]), "PAYLOAD_TOO_LARGE", "errors.import.zip_too_large", /declares 419430400/],
    [
      "a 39 MiB entry packed 1,000:1",
      () => craftZip([{ name: SHEET, packed: deflatedZeros(39 * MiB), size: 39 * MiB }]),
      "PAYLOAD_TOO_LARGE",
      "errors.import.zip_ratio",
      /ratio 10\d\d/,
    ],
    [
      "two 35 MiB entries (declared total)",
      () => craftZip([1, 2].map((i) => ({ name: `xl/worksheets/sheet${i}.xml`, packed: Buffer.alloc(1024 * 1024), size: 35 * MiB }))),
      "PAYLOAD_TOO_LARGE",
      "errors.import.zip_too_large",
      /declared total/,
    ],
    [
      "data after the deflate stream",
      () => craftZip([{ name: SHEET, packed: Buffer.concat([deflatedZeros(1 * MiB), Buffer.from("hidden")]), size: MiB }]),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /data after its deflate stream/,
    ],
    [
      "a stored entry whose sizes differ",
      () => craftZip([{ name: SHEET, method: 0, data: Buffer.from("abc"), declare: 2 }]),
      "VALIDATION",
      "errors.import.malformed_xlsx",
      /stored sizes differ/,
    ],
    ["not a zip", () => Buffer.from("code,name,kind\nA,Trường A,school\n"), "VALIDATION", "errors.import.malformed_xlsx", /no end-of-central-directory/],
  ];
  it.each(cases)("%s", async (_label, build, code, key, detail) => {
    const r = await refusal(readSafeZip(build(), keepAll));
    expect(r, r.detail).toMatchObject({ code, key });
    expect(r.detail).toMatch(detail);
  });

  it("refuses a nested archive in a worksheet's place as an unreadable workbook, inflating only the outer bytes", async () => {
    const inner = craftZip([{ name: SHEET, packed: bomb400, size: 400 * MiB }]);
    const parts = (await workbookEntries()).map((e) => (e.name === SHEET ? { name: SHEET, data: inner } : e));
    expect(await refusal(loadXlsxWorkbook(craftZip(parts)))).toMatchObject({ code: "VALIDATION", key: "errors.import.malformed_xlsx" });
  });
});

describe("memory", () => {
  it("refuses or skips every bomb with peak RSS growth under 50 MiB (own process)", async () => {
    const { stdout } = await run(process.execPath, ["--expose-gc", "--import", "tsx", "tests/helpers/xlsx-bomb-memory.ts"], { timeout: 60_000 });
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name?: string; outcome?: string; ms?: number; peakMiB?: number; size?: number; peakGrowthMiB?: number });
    const total = lines.pop()!;
    console.log(
      [
        "bomb | upload | outcome | ms | peak RSS growth MiB",
        ...lines.map((l) => `${l.name} | ${(l.size! / 1024).toFixed(0)} KiB | ${l.outcome!.slice(0, 60)} | ${l.ms} | ${l.peakMiB}`),
        `process peak RSS growth over all bombs: ${total.peakGrowthMiB} MiB`,
      ].join("\n"),
    );
    const outcome = Object.fromEntries(lines.map((l) => [l.name, l.outcome]));
    expect(outcome["two directories (the demonstrated bypass)"]).toMatch(/^422 .*offsets do not match/);
    expect(outcome["honest 400 MiB sheet"]).toMatch(/^413 errors.import.zip_too_large/);
    expect(outcome["sizes lie: 400 MiB declared 1,000 B"]).toMatch(/^422 .*beyond its declared 1000 bytes/);
    expect(outcome["sizes lie at the cap: 1 GiB declared 39 MiB"]).toMatch(/^422 .*beyond its declared 40894464 bytes/);
    expect(outcome["hidden 400 MiB entry, bytes prepended"]).toMatch(/^422 .*unlisted data/);
    expect(outcome["hidden 400 MiB entry, no prepend"]).toMatch(/^422 .*unlisted data/);
    expect(outcome["ZIP64-marked 400 MiB sheet"]).toMatch(/^422 errors.import.zip_unsupported/);
    expect(outcome["nested 400 MiB bomb in xl/embeddings"]).toMatch(/^read/);
    expect(total.peakGrowthMiB).toBeLessThan(50);
  });
});
