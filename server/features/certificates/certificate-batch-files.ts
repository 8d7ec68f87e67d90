/** Where a batch's files live: one folder per batch under CERTIFICATES_DIR (default DATA_DIR/certificates). */
import path from "node:path";
import type { Config } from "../../config/env.ts";

export const BATCH_OUTPUTS = {
  "print.pdf": "application/pdf",
  "certificates.zip": "application/zip",
  "list.pdf": "application/pdf",
  "list.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
export type BatchOutput = keyof typeof BATCH_OUTPUTS;

/** The folder that holds every batch's files. */
export function certificatesDir(config: Pick<Config, "CERTIFICATES_DIR" | "DATA_DIR">): string {
  return path.resolve(config.CERTIFICATES_DIR ?? path.join(config.DATA_DIR, "certificates"));
}

/** The folder of batch `id`. */
export function batchDir(root: string, id: number): string {
  return path.join(root, `batch-${id}`);
}
