/**
 * A ZIP written entry by entry to a file: each entry's bytes go to disk as they are added and only
 * the central directory (a few dozen bytes per entry) stays in memory. Entries are stored, not
 * compressed (PDFs are compressed already). No ZIP64: under 65,535 entries and 4 GiB.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { crc32 } from "../spreadsheets/crc32.ts";

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
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0x0021, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(rawName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0x0021, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(rawName.length, 28);
    central.writeUInt32LE(this.offset, 42);
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
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(this.offset - directoryAt, 12);
    end.writeUInt32LE(directoryAt, 16);
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
