/**
 * The records of a store-only ZIP (no compression, UTF-8 names, no ZIP64), written once for the
 * two places that make one: {@link writeStoredZip} in memory and the certificates' ZIP written to
 * disk entry by entry.
 */
import { crc32 } from "./crc32.ts";

/** One entry's local header (to write before its name and data) and central-directory record (to keep until the end). */
export function storedEntryRecords(rawName: Buffer, data: Uint8Array, offset: number): { local: Buffer; central: Buffer } {
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed: 1.0, stored
  local.writeUInt16LE(0x0800, 6); // names are UTF-8
  local.writeUInt16LE(0x0021, 12); // 1980-01-01: no time is better than a made-up one
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
  central.writeUInt32LE(offset, 42);
  return { local, central };
}

/** The end-of-central-directory record for `count` entries whose directory of `directoryLength` bytes starts at `directoryAt`. */
export function endOfCentralDirectory(count: number, directoryLength: number, directoryAt: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directoryLength, 12);
  end.writeUInt32LE(directoryAt, 16);
  return end;
}
