/** The real document tools (poppler-utils, qpdf, LibreOffice) as small async helpers for tests. */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Writes `bytes` to a temporary file, runs `fn` on its path, removes it. */
export async function withFile<T>(bytes: Uint8Array, ext: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-doc-"));
  const file = path.join(dir, `doc.${ext}`);
  await writeFile(file, bytes);
  try {
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const pdftotext = (pdf: Uint8Array, ...args: string[]) =>
  withFile(pdf, "pdf", async (f) => (await run("pdftotext", ["-enc", "UTF-8", ...args, f, "-"], { maxBuffer: 32 << 20 })).stdout);
export const pdffonts = (pdf: Uint8Array) => withFile(pdf, "pdf", async (f) => (await run("pdffonts", [f])).stdout);
export const pdfinfo = (pdf: Uint8Array) => withFile(pdf, "pdf", async (f) => (await run("pdfinfo", [f])).stdout);
export const qpdfCheck = (pdf: Uint8Array) =>
  withFile(pdf, "pdf", async (f) => {
    const r = await run("qpdf", ["--check", f]).catch((e: { stdout?: string; code?: number }) => ({ stdout: `${e.stdout ?? ""} (exit ${e.code})` }));
    return r.stdout;
  });
export const pdfsig = (pdf: Uint8Array) =>
  withFile(pdf, "pdf", async (f) => {
    const r = await run("pdfsig", [f]).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: `${e.stdout ?? ""}${e.stderr ?? ""}` }));
    return r.stdout;
  });

export type Word = { page: number; xMin: number; yMin: number; xMax: number; yMax: number; text: string };

/** Every word with its box (points, origin top-left) from `pdftotext -bbox`. */
export async function pdfWords(pdf: Uint8Array): Promise<Word[]> {
  const html = await pdftotext(pdf, "-bbox");
  const words: Word[] = [];
  let page = -1;
  for (const line of html.split("\n")) {
    if (line.includes("<page ")) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) words.push({ page, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]!, text: m[5]!.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"') });
  }
  return words;
}

/** Converts a DOCX to PDF with LibreOffice (headless, its own profile) and returns the PDF. */
export async function libreOfficeToPdf(docx: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-lo-"));
  try {
    const file = path.join(dir, "doc.docx");
    await writeFile(file, docx);
    await run("soffice", [`-env:UserInstallation=file://${dir}/profile-${randomBytes(4).toString("hex")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file], { timeout: 120_000 });
    return new Uint8Array(await readFile(path.join(dir, "doc.pdf")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Collapses all whitespace to single spaces (lines wrap differently between renderers). */
export const squash = (s: string) => s.normalize("NFC").replace(/\s+/gu, " ").trim();
