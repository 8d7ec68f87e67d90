/**
 * Run as its own process (`node --import tsx tests/helpers/xlsx-bomb-memory.ts`) so that its peak
 * RSS is the bombs' alone: loads each crafted workbook with loadXlsxWorkbook and prints one JSON
 * line per bomb ({name, outcome, ms, peakMiB}) and a last one with the process's peak RSS growth.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { isAppError } from "../../server/domain/errors.ts";
import { loadXlsxWorkbook } from "../../server/features/spreadsheets/load-xlsx-workbook.ts";
import { craftZip, deflatedZeros, twoDirectoryZip, type CraftedEntry } from "./crafted-zip.ts";

const MiB = 1024 * 1024;
const SHEET = "xl/worksheets/sheet1.xml";

const book = new ExcelJS.Workbook();
book.addWorksheet("Trường").addRow(["code", "name"]);
const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
const parts: CraftedEntry[] = await Promise.all(
  Object.values(zip.files)
    .filter((f) => !f.dir)
    .map(async (f) => ({ name: f.name, data: await f.async("nodebuffer") })),
);
const without = (name: string) => parts.filter((p) => p.name !== name);
const zeros400 = deflatedZeros(400 * MiB);

const bombs: [string, Buffer][] = [
  [
    "two directories (the demonstrated bypass)",
    twoDirectoryZip([...parts, { name: "xl/media/image1.png", data: Buffer.from("png") }], [...parts, { name: "xl/media/image1.png", packed: zeros400, size: 400 * MiB }]),
  ],
  ["honest 400 MiB sheet", craftZip([...without(SHEET), { name: SHEET, packed: zeros400, size: 400 * MiB }])],
  ["sizes lie: 400 MiB declared 1,000 B", craftZip([...without(SHEET), { name: SHEET, packed: zeros400, size: 400 * MiB, declare: 1000 }])],
  ["sizes lie at the cap: 1 GiB declared 39 MiB", craftZip([...without(SHEET), { name: SHEET, packed: deflatedZeros(1024 * MiB), size: 1024 * MiB, declare: 39 * MiB }])],
  [
    "hidden 400 MiB entry, bytes prepended",
    craftZip([...parts, { name: "xl/worksheets/sheet2.xml", packed: zeros400, size: 400 * MiB, hidden: true }], { prepend: Buffer.alloc(4096, 0x20), shiftOffsets: true }),
  ],
  ["hidden 400 MiB entry, no prepend", craftZip([...parts, { name: "xl/worksheets/sheet2.xml", packed: zeros400, size: 400 * MiB, hidden: true }])],
  ["ZIP64-marked 400 MiB sheet", craftZip([...without(SHEET), { name: SHEET, packed: zeros400, size: 400 * MiB, declare: 1000 }], { zip64Locator: true })],
  ["nested 400 MiB bomb in xl/embeddings", craftZip([...parts, { name: "xl/embeddings/oleObject1.bin", data: craftZip([{ name: SHEET, packed: zeros400, size: 400 * MiB }]) }])],
];

global.gc?.();
const baseline = process.memoryUsage.rss();
for (const [name, bytes] of bombs) {
  global.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  const started = performance.now();
  let outcome: string;
  try {
    const loaded = await loadXlsxWorkbook(bytes);
    outcome = `read (${loaded.worksheets.length} sheet)`;
  } catch (err) {
    outcome = isAppError(err) ? `${err.status} ${err.messageKey}: ${err.message}` : `crash: ${String(err)}`;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  console.log(JSON.stringify({ name, size: bytes.length, outcome, ms: Math.round(ms), peakMiB: +((peak - before) / MiB).toFixed(1) }));
}
// maxRSS is the process's high-water mark (KiB): the bombs' growth, measured against the RSS before them.
console.log(JSON.stringify({ peakGrowthMiB: +((process.resourceUsage().maxRSS * 1024 - baseline) / MiB).toFixed(1) }));
