/**
 * npm run bench:documents — one-page ND 30 letters per second rendered to PDF by chidao's engine,
 * and, in the same run, the same letter's DOCX converted to PDF by LibreOffice (one process per
 * letter, as a server would call it, and one process for a batch).
 *
 * Environment: BENCH_SECONDS (5), BENCH_LO_BATCH (50).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildDocumentModel, documentText, renderDocx, renderPdf } from "../server/documents/index.ts";
import { getTemplate } from "../templates/index.ts";
import { SAMPLES, SGD } from "../tests/fixtures/document-samples.ts";

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LO_BATCH = Number(process.env.BENCH_LO_BATCH ?? 50);

const template = getTemplate("cong_van")!;
let number = 1;
const modelOf = (data: unknown) => buildDocumentModel({ template, data, issuer: SGD, number: { symbol: `${number++}/SGDĐT-KTKĐ`, issuedAt: new Date() } });

/**
 * The fullest one-page công văn: the sample letter's paragraphs, repeated and cut at a word, as long
 * as the whole letter (header, body, signer, Nơi nhận) still fits one A4 page at the decree's 14 pt.
 */
async function fullestOnePageLetter(): Promise<{ data: unknown; words: number }> {
  const body = SAMPLES.cong_van?.body;
  if (typeof body !== "string") throw new Error("the sample công văn has no body");
  const words = body.split(" ");
  const source = [...words, ...words, ...words];
  const dataWith = (n: number) => template.schema.parse({ ...SAMPLES.cong_van, body: source.slice(0, n).join(" ") });
  let lo = 1;
  let hi = source.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await renderPdf(modelOf(dataWith(mid)))).pages === 1) lo = mid;
    else hi = mid - 1;
  }
  const data = dataWith(lo);
  return { data, words: documentText(modelOf(data)).split(/\s+/u).filter(Boolean).length };
}

const letter = await fullestOnePageLetter();
/** A fresh model per letter (its own number), as issuing would build it. */
const nextModel = () => modelOf(letter.data);

async function ours() {
  // Warm-up: fonts parsed, words shaped, code optimised.
  for (let i = 0; i < 100; i++) await renderPdf(nextModel());
  let count = 0;
  let bytes = 0;
  let pages = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - start < SECONDS * 1000) {
    const r = await renderPdf(nextModel(), { verify: { code: "7KQ2M9XD", url: "https://chidao.example.vn/verify/7KQ2M9XD" }, signatureFields: true });
    count++;
    bytes += r.bytes.length;
    pages = r.pages;
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { count, wall, perSecond: count / wall, perCpuSecond: count / cpuSeconds, kb: bytes / count / 1024, pages };
}

async function libreOffice(files: number) {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-bench-lo-"));
  try {
    const docx = await renderDocx(nextModel());
    const names: string[] = [];
    for (let i = 0; i < files; i++) {
      const f = path.join(dir, `letter-${i}.docx`);
      await writeFile(f, docx);
      names.push(f);
    }
    const start = performance.now();
    await run("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "pdf", "--outdir", dir, ...names], { timeout: 600_000 });
    return (performance.now() - start) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const o = await ours();
console.log(`chidao (pdf-lib + own layout, Liberation Serif subset), one process, one core:`);
console.log(`  the letter: a công văn of ${letter.words} words on ${o.pages} page, with verification QR and empty signature fields`);
console.log(`  ${o.count} letters (${o.kb.toFixed(1)} KB each) in ${o.wall.toFixed(2)} s`);
console.log(
  `  ==> ${o.perSecond.toFixed(0)} letters/s wall, ${o.perCpuSecond.toFixed(0)} letters per CPU-second (goal ≥ 200 per core); ${(1000 / o.perSecond).toFixed(2)} ms a letter`,
);

// LibreOffice as a server would use it: one conversion per request (its start-up dominates).
await libreOffice(1); // first start creates the profile
const singles: number[] = [];
for (let i = 0; i < 3; i++) singles.push(await libreOffice(1));
const single = singles.reduce((a, b) => a + b, 0) / singles.length;
const batch = await libreOffice(LO_BATCH);
console.log(`LibreOffice ${(await run("soffice", ["--version"])).stdout.trim().split("\n")[0]} (soffice --headless --convert-to pdf of the same letter's DOCX):`);
console.log(`  one process per letter: ${single.toFixed(2)} s a letter = ${(1 / single).toFixed(2)} letters/s`);
console.log(`  one process for ${LO_BATCH} letters: ${batch.toFixed(2)} s = ${(LO_BATCH / batch).toFixed(1)} letters/s`);
console.log(
  `==> chidao is ${(o.perSecond * single).toFixed(0)}× LibreOffice one-per-letter and ${(o.perSecond / (LO_BATCH / batch)).toFixed(0)}× LibreOffice batched (goal ≥ 100×)`,
);
