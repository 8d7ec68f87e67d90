/**
 * A spreadsheet file to finished certificates in this process: what the command line and the
 * benchmark run, through the same functions as the API and the job (validation, batch rows,
 * numbering, rendering, assembly).
 */
import type { Db } from "../../db/prisma.ts";
import type { ImportTable } from "../../domain/org-import.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { decodeUtf8, readCsvTable } from "../orgs/read-csv-table.ts";
import { scanXlsxTable } from "../spreadsheets/scan-xlsx-table.ts";
import { createCertificateBatch, type CreateBatchQuery } from "./create-certificate-batch.ts";
import { processCertificateBatch, type ProcessBatchOptions } from "./process-certificate-batch.ts";
import type { CertificateRowError } from "./read-certificate-rows.ts";

/** CSV or XLSX (told apart by the bytes: an .xlsx is a ZIP) as a table. */
export async function readSpreadsheet(bytes: Buffer): Promise<ImportTable> {
  const isZip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  return isZip ? scanXlsxTable(bytes) : readCsvTable(decodeUtf8(bytes));
}

export type RunFileResult = { kind: "done"; id: number; total: number } | { kind: "invalid"; errors: CertificateRowError[] };

/** Validates `bytes` as a batch and, when valid, renders it to the end. */
export async function runCertificateFile(
  db: Db,
  o: { user: AuthUser; bytes: Buffer; query: CreateBatchQuery; process: ProcessBatchOptions; onPhase?: (phase: "read" | "validated" | "done", ms: number) => void },
): Promise<RunFileResult> {
  const started = performance.now();
  const table = await readSpreadsheet(o.bytes);
  o.onPhase?.("read", performance.now() - started);
  const created = await createCertificateBatch(db, o.user, o.query, table);
  o.onPhase?.("validated", performance.now() - started);
  if (created.kind === "invalid") return created;
  await processCertificateBatch(db, created.id, o.process);
  o.onPhase?.("done", performance.now() - started);
  return { kind: "done", id: created.id, total: created.total };
}
