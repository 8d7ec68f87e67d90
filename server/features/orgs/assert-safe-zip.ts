/**
 * Zip-bomb guard for .xlsx uploads (RELIABILITY.md §3.5, ASVS 5.2.3): the central directory is read
 * and the declared entry count and total uncompressed size are bounded BEFORE anything is inflated;
 * then each entry is inflated with an output cap equal to its declared size, so an archive that lies
 * about its sizes is caught without ever producing more than the declared bytes.
 */
import { inflateRawSync } from "node:zlib";
import { AppError } from "../../domain/errors.ts";

export const ZIP_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;
export const ZIP_MAX_ENTRIES = 1_000;

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export type ZipEntry = { name: string; method: number; compressedSize: number; uncompressedSize: number; localOffset: number };

function corrupt(detail: string): AppError {
  return new AppError("VALIDATION", `bad zip: ${detail}`, { messageKey: "errors.import.malformed_xlsx", params: { detail } });
}

function u64(buf: Buffer, at: number): number {
  const n = buf.readBigUInt64LE(at);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt("size out of range");
  return Number(n);
}

/** Finds the end-of-central-directory record (it may be followed by a comment of up to 64 KiB). */
function findEocd(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  throw corrupt("not a zip archive (no central directory)");
}

/** Reads the central directory: entry count, offsets and declared sizes (ZIP64 included). */
export function readZipDirectory(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) throw corrupt("file too short");
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIG) {
    const z = u64(buf, eocd - 20 + 8);
    if (z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD_SIG) throw corrupt("bad ZIP64 directory");
    count = u64(buf, z + 32);
    cdOffset = u64(buf, z + 48);
  }
  if (count > ZIP_MAX_ENTRIES) {
    throw new AppError("VALIDATION", `zip has ${count} entries`, { messageKey: "errors.import.zip_too_many_entries", params: { count, max: ZIP_MAX_ENTRIES } });
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) throw corrupt("truncated central directory");
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    let localOffset = buf.readUInt32LE(p + 42);
    // ZIP64 extended information: the 8-byte values appear only for fields saturated at 0xFFFFFFFF, in this order.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = buf.readUInt16LE(x);
      const size = buf.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (uncompressedSize === 0xffffffff) (uncompressedSize = u64(buf, q)), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(buf, q)), (q += 8);
        if (localOffset === 0xffffffff) localOffset = u64(buf, q);
      }
      x += 4 + size;
    }
    entries.push({ name: buf.toString("utf8", p + 46, p + 46 + nameLen), method: buf.readUInt16LE(p + 10), compressedSize, uncompressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Checks an archive before it is handed to a ZIP library.
 * @throws AppError PAYLOAD_TOO_LARGE when the declared uncompressed total exceeds 50 MB; VALIDATION
 * for more than 1,000 entries, a corrupt archive, or an entry that inflates beyond its declared size.
 */
export function assertSafeZip(buf: Buffer): void {
  const entries = readZipDirectory(buf);
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > ZIP_MAX_UNCOMPRESSED_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `zip declares ${total} bytes`, {
      messageKey: "errors.import.zip_too_large",
      params: { max: Math.round(ZIP_MAX_UNCOMPRESSED_BYTES / 1024 / 1024) },
    });
  }
  for (const e of entries) {
    const at = e.localOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_SIG) throw corrupt(`bad local header for ${e.name}`);
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const data = buf.subarray(start, start + e.compressedSize);
    if (data.length !== e.compressedSize) throw corrupt(`truncated entry ${e.name}`);
    let size: number;
    if (e.method === 0) size = data.length;
    else if (e.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: e.uncompressedSize + 1 }).length;
      } catch (cause) {
        throw new AppError("VALIDATION", `entry ${e.name} does not inflate within its declared size`, {
          messageKey: "errors.import.malformed_xlsx",
          params: { detail: `${e.name}: ${(cause as Error).message}` },
          cause,
        });
      }
    } else throw corrupt(`unsupported compression method ${e.method} in ${e.name}`);
    if (size !== e.uncompressedSize) throw corrupt(`${e.name} is ${size} bytes, declared ${e.uncompressedSize}`);
  }
}
