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

/** `pdfimages -list`: one line per image (page, size, type) under a two-line heading. */
export const pdfimagesList = (pdf: Uint8Array) => withFile(pdf, "pdf", async (f) => (await run("pdfimages", ["-list", f])).stdout);

export type Word = { page: number; xMin: number; yMin: number; xMax: number; yMax: number; text: string };

/** Every word with its box (points, origin top-left) from `pdftotext -bbox`. */
export async function pdfWords(pdf: Uint8Array): Promise<Word[]> {
  const html = await pdftotext(pdf, "-bbox");
  const words: Word[] = [];
  let page = -1;
  for (const line of html.split("\n")) {
    if (line.includes("<page ")) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m)
      words.push({
        page,
        xMin: +m[1]!,
        yMin: +m[2]!,
        xMax: +m[3]!,
        yMax: +m[4]!,
        text: m[5]!
          .replace(/&amp;/g, "&")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"'),
      });
  }
  return words;
}

/** Converts a DOCX to PDF with LibreOffice (headless, its own profile) and returns the PDF. */
export async function libreOfficeToPdf(docx: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-lo-"));
  try {
    const file = path.join(dir, "doc.docx");
    await writeFile(file, docx);
    await run("soffice", [`-env:UserInstallation=file://${dir}/profile-${randomBytes(4).toString("hex")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file], {
      timeout: 120_000,
    });
    return new Uint8Array(await readFile(path.join(dir, "doc.pdf")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Converts several DOCX files to PDF with one LibreOffice process (its start-up is most of the
 * cost of a conversion) and returns the PDFs in the same order.
 */
export async function libreOfficeToPdfMany(docxs: Uint8Array[]): Promise<Uint8Array[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-lo-"));
  try {
    const files = docxs.map((_, i) => path.join(dir, `doc-${i}.docx`));
    await Promise.all(docxs.map((d, i) => writeFile(files[i]!, d)));
    await run("soffice", [`-env:UserInstallation=file://${dir}/profile-${randomBytes(4).toString("hex")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, ...files], {
      timeout: 120_000,
    });
    return await Promise.all(docxs.map(async (_, i) => new Uint8Array(await readFile(path.join(dir, `doc-${i}.pdf`)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * pdftotext output without the page numbers: on each page after the first, a line that is exactly
 * that page's number, first or last on the page (LibreOffice's header comes first, ours is drawn
 * last). A body line that happens to be a number elsewhere is kept.
 */
export function withoutPageNumbers(text: string): string {
  return text
    .split("\f")
    .map((page, i) => {
      if (i === 0) return page;
      const lines = page.split("\n");
      const filled = lines.map((l, k) => (l.trim() ? k : -1)).filter((k) => k >= 0);
      for (const k of [filled[0], filled[filled.length - 1]]) {
        if (k !== undefined && lines[k]!.trim() === String(i + 1)) {
          lines.splice(k, 1);
          break;
        }
      }
      return lines.join("\n");
    })
    .join("\f");
}

/** Collapses all whitespace to single spaces (lines wrap differently between renderers). */
export const squash = (s: string) => s.normalize("NFC").replace(/\s+/gu, " ").trim();
