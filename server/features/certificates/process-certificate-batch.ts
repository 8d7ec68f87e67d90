/**
 * The background work of a batch, resumable at every step from what the database holds:
 *
 * 1. number: every row's register number, symbol and verification code, in one transaction (a
 *    batch numbered before is left alone);
 * 2. render: each certificate not yet rendered becomes its own PDF in the batch folder (written
 *    under a temporary name, then renamed) and is marked rendered with its SHA-256, a chunk at a
 *    time; a crash loses at most the chunk in hand, and the next run starts after the last mark;
 * 3. assemble: the print PDF (every certificate in order, fonts subset once, the frame shared), the
 *    ZIP of the individual PDFs and the ceremony list are written from the rows and files, each to a
 *    temporary name renamed when complete; run again after a crash, they are simply written again.
 *
 * Memory stays at a chunk of rows and one page whatever the batch size.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { openSync, writeSync, closeSync } from "node:fs";
import type { Db } from "../../db/prisma.ts";
import { CertificatePdfFile, certificatePdfFromLayout, type FontCache } from "../../documents/certificate/certificate-pdf-file.ts";
import { layoutCertificate, newGlyphUses } from "../../documents/certificate/layout-certificate.ts";
import { deflateStream } from "../../documents/certificate/pdf-writer.ts";
import type { CertificateData } from "../../documents/certificate/certificate-template.ts";
import { formatDocumentDate } from "../../domain/document-number.ts";
import { issuerInfo } from "../documents/issuer-info.ts";
import { batchDir } from "./certificate-batch-files.ts";
import { getCertificateTemplate } from "./get-certificate-template.ts";
import { loadEmblem } from "./load-emblem.ts";
import { numberCertificateBatch } from "./number-certificate-batch.ts";
import { writeListPdf, writeListXlsx, type ListRow } from "./render-ceremony-list.ts";
import { asciiSlug, ZipFileWriter } from "./zip-file-writer.ts";

export type ProcessBatchOptions = {
  /** Folder of every batch's files. */
  root: string;
  verifyUrl: (code: string) => string;
  /** Rows rendered per transaction (progress is written per chunk). */
  chunk?: number;
  /** Test hooks: a failure thrown here is a crash at that point. */
  hooks?: { afterRenderChunk?: (done: number) => Promise<void>; beforeNumberCommit?: () => Promise<void> };
  /** Called with the rows rendered so far (the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
};

const ITEM_SELECT = { id: true, seq: true, data: true, symbol: true, verifyCode: true, recipient: true, groupKey: true, number: true, subject: true } as const;

/**
 * The individual PDFs of the part files, by seq. Parts are read one at a time, in order, as the
 * assembly asks for seqs in order: memory holds one part (a chunk of PDFs), not the batch.
 */
async function openParts(dir: string): Promise<{ get(seq: number): Promise<Buffer> }> {
  const index = new Map<number, { file: string; at: number; length: number }>();
  for (const name of (await readdir(dir)).filter((n) => /^part-\d+\.bin$/.test(n)).sort()) {
    const file = path.join(dir, name);
    // Only the 8-byte heads are read here; the PDFs are read when assembled.
    const handle = await open(file, "r");
    try {
      const size = (await handle.stat()).size;
      const head = Buffer.alloc(8);
      for (let at = 0; at + 8 <= size;) {
        await handle.read(head, 0, 8, at);
        const length = head.readUInt32LE(4);
        index.set(head.readUInt32LE(0), { file, at: at + 8, length });
        at += 8 + length;
      }
    } finally {
      await handle.close();
    }
  }
  // One buffer, grown to the largest part, is read into again and again: a fresh buffer per part
  // left megabytes of garbage outside the JS heap per part, that the GC freed late (peak RSS).
  let buffer = Buffer.alloc(0);
  let current: string | null = null;
  return {
    async get(seq) {
      const where = index.get(seq);
      if (!where) throw new Error(`certificate ${seq} was marked rendered but its PDF is missing`);
      if (current !== where.file) {
        const handle = await open(where.file, "r");
        try {
          const size = (await handle.stat()).size;
          if (buffer.length < size) buffer = Buffer.alloc(size);
          await handle.read(buffer, 0, size, 0);
        } finally {
          await handle.close();
        }
        current = where.file;
      }
      return buffer.subarray(where.at, where.at + where.length);
    },
  };
}

/** Runs (or resumes) batch `id` to the end. Returns false when there was nothing to do (already done or failed). */
export async function processCertificateBatch(db: Db, id: number, o: ProcessBatchOptions): Promise<boolean> {
  const head = await db.certificateBatch.findUnique({ where: { id }, select: { status: true } });
  if (!head || head.status === "DONE" || head.status === "FAILED") return false;
  await numberCertificateBatch(db, id, { beforeCommit: o.hooks?.beforeNumberCommit });
  const batch = await db.certificateBatch.findUniqueOrThrow({
    where: { id },
    include: { issuerOrg: true, occasion: true },
  });
  const template = getCertificateTemplate(batch.template);
  const issuer = issuerInfo(batch.issuerOrg);
  const emblem = await loadEmblem(db, batch.issuerOrgId);
  const dir = batchDir(o.root, id);
  const itemsDir = path.join(dir, "items");
  await mkdir(itemsDir, { recursive: true });
  const chunk = o.chunk ?? 100;

  // 2. render what is not rendered yet, a chunk at a time into one part file (seq, length, PDF…),
  // written under a temporary name and renamed, then marked in the database.
  let done = await db.certificateItem.count({ where: { batchId: id, renderedAt: { not: null } } });
  // A batch rendered from its first row writes the print PDF's pages as it renders them, from the
  // same layout as the individual PDFs (each certificate is laid out once). A resumed batch lays
  // its pages out again at assembly: the layout's CIDs belong to the process that made them.
  const printTmp = path.join(dir, "print.pdf.tmp");
  let printFd: number | null = done === 0 ? openSync(printTmp, "w") : null;
  const printTitle = `${template.label} — lô ${id}`;
  const print = printFd === null ? null : new CertificatePdfFile((c) => void writeSync(printFd!, c), { emblem, title: printTitle });
  try {
    for (;;) {
      const items = await db.certificateItem.findMany({ where: { batchId: id, renderedAt: null }, orderBy: { seq: "asc" }, take: chunk, select: ITEM_SELECT });
      if (!items.length) break;
      // Each page is laid out once; the chunk's PDFs are subset over the chunk's glyphs, so each
      // face is subset and compressed once per chunk, not once per certificate.
      const glyphs = newGlyphUses();
      // Kept compressed: the same bytes go into both files, and a chunk of laid-out pages held as
      // strings (ropes of thousands of pieces) outlived the young generation and grew the heap.
      const pages = items.map((item) =>
        deflateStream(
          layoutCertificate(template.build(item.data as CertificateData, { issuer, symbol: item.symbol }), glyphs, {
            verify: { code: item.verifyCode!, url: o.verifyUrl(item.verifyCode!) },
            emblem,
          }),
        ),
      );
      const fontCache: FontCache = new Map();
      const shas: string[] = [];
      const parts: Buffer[] = [];
      for (const [k, item] of items.entries()) {
        const pdf = certificatePdfFromLayout(pages[k]!, { emblem, title: `${template.label} ${item.symbol}`, fontLevel: 1, fontGlyphs: glyphs, fontCache });
        print?.addLaidOutPage(pages[k]!, glyphs);
        const head = Buffer.alloc(8);
        head.writeUInt32LE(item.seq, 0);
        head.writeUInt32LE(pdf.length, 4);
        parts.push(head, pdf);
        shas.push(createHash("sha256").update(pdf).digest("hex"));
      }
      const part = path.join(itemsDir, `part-${String(items[0]!.seq).padStart(7, "0")}.bin`);
      const out = await open(`${part}.tmp`, "w");
      try {
        await out.writev(parts);
      } finally {
        await out.close();
      }
      await rename(`${part}.tmp`, part);
      const ids = items.map((i) => i.id);
      done += items.length;
      await db.$transaction([
        db.$executeRaw`UPDATE "CertificateItem" AS i SET "renderedAt" = now(), "pdfSha256" = u.sha FROM unnest(${ids}::int[], ${shas}::text[]) AS u(id, sha) WHERE i.id = u.id`,
        db.certificateBatch.update({ where: { id }, data: { done, status: "RENDERING" } }),
      ]);
      o.onProgress?.(done, batch.total);
      await o.hooks?.afterRenderChunk?.(done);
    }
    print?.finish();
  } finally {
    if (printFd !== null) closeSync(printFd);
    printFd = null;
  }
  const individual = await openParts(itemsDir);

  // 3. assemble the files from the rows, in ceremony order.
  await db.certificateBatch.update({ where: { id }, data: { status: "ASSEMBLING" } });
  async function* ordered() {
    for (let from = 0; from < batch.total; from += chunk) {
      const items = await db.certificateItem.findMany({ where: { batchId: id, seq: { gte: from, lt: from + chunk } }, orderBy: { seq: "asc" }, select: ITEM_SELECT });
      yield* items;
    }
  }
  const fd = print ? null : openSync(printTmp, "w");
  const relaid = fd === null ? null : new CertificatePdfFile((c) => void writeSync(fd, c), { emblem, title: printTitle });
  const zip = new ZipFileWriter(path.join(dir, "certificates.zip.tmp"));
  for await (const item of ordered()) {
    relaid?.addPage(template.build(item.data as CertificateData, { issuer, symbol: item.symbol }), { code: item.verifyCode!, url: o.verifyUrl(item.verifyCode!) });
    // Five digits keep the names in number order in any file list.
    zip.add(`${String(item.number).padStart(5, "0")}_${asciiSlug(item.recipient)}.pdf`, await individual.get(item.seq));
  }
  relaid?.finish();
  if (fd !== null) closeSync(fd);
  zip.finish();

  const first = (await db.certificateItem.findFirst({ where: { batchId: id }, orderBy: { seq: "asc" }, select: { data: true } }))?.data as
    { decision_number?: string; decision_date?: string } | undefined;
  const heading = {
    issuer: batch.issuerOrg.name,
    title: `DANH SÁCH ${template.typeName === "GIẤY KHEN" ? "KHEN THƯỞNG" : `CẤP ${template.typeName}`}`,
    occasion: batch.occasion ? `${batch.occasion.name}, ${formatDocumentDate(new Date(`${batch.occasion.date.toISOString().slice(0, 10)}T12:00:00+07:00`))}` : null,
    decision: first?.decision_number
      ? `(Kèm theo Quyết định số ${first.decision_number}${first.decision_date ? ` ngày ${first.decision_date.split("-").reverse().join("/")}` : ""})`
      : null,
    grouped: batch.occasionId !== null,
  };
  async function* listRows(): AsyncIterable<ListRow> {
    let stt = 0;
    for await (const item of ordered()) {
      yield { stt: ++stt, symbol: item.symbol ?? "", recipient: item.recipient, group: item.groupKey, reason: template.reason(item.data as CertificateData) };
    }
  }
  await writeListPdf(path.join(dir, "list.pdf.tmp"), heading, listRows());
  await writeListXlsx(path.join(dir, "list.xlsx.tmp"), heading, listRows());
  for (const name of ["print.pdf", "certificates.zip", "list.pdf", "list.xlsx"]) await rename(path.join(dir, `${name}.tmp`), path.join(dir, name));
  await db.certificateBatch.update({ where: { id }, data: { status: "DONE", done: batch.total, finishedAt: new Date() } });
  // The individual files live on in the ZIP.
  if (existsSync(itemsDir)) await rm(itemsDir, { recursive: true, force: true });
  return true;
}
