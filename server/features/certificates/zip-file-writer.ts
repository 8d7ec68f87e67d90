/**
 * A ZIP written entry by entry to a file: each entry's bytes go to disk as they are added and only
 * the central directory (a few dozen bytes per entry) stays in memory. Entries are stored, not
 * compressed (PDFs are compressed already). No ZIP64: under 65,535 entries and 4 GiB.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { endOfCentralDirectory, storedEntryRecords } from "../spreadsheets/stored-zip-records.ts";

export class ZipFileWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  private write(b: Buffer): void {
    writeSync(this.fd, b);
    this.offset += b.length;
  }

  /** Adds `data` as `name` (UTF-8). */
  add(name: string, data: Uint8Array): void {
    if (this.count >= 0xffff || this.offset + data.length > 0xfffffff0) throw new Error("ZIP too large without ZIP64");
    const rawName = Buffer.from(name, "utf8");
    const { local, central } = storedEntryRecords(rawName, data, this.offset);
    this.central.push(central, rawName);
    this.write(local);
    this.write(rawName);
    this.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.count++;
  }

  /** Writes the central directory and closes the file. */
  finish(): void {
    const directoryAt = this.offset;
    for (const b of this.central) this.write(b);
    const end = endOfCentralDirectory(this.count, this.offset - directoryAt, directoryAt);
    this.write(end);
    closeSync(this.fd);
  }
}

/** "Nguyễn Văn An" → "Nguyen-Van-An": file names every unzip tool and every system reads alike. */
export function asciiSlug(s: string, max = 60): string {
  return (
    s
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, max) || "x"
  );
}
