/**
 * The one ZIP reader for uploads (XLSX today, the certificate batch next). It parses the archive
 * once, strictly, and inflates only the entries the caller keeps, so what was checked is exactly
 * what is inflated and then handed on (RELIABILITY.md §3.5, ASVS 5.2.3; issue 6 hole 2).
 *
 * Why a reader of our own over yauzl or fflate: the refusals that close the bypass are about the
 * bytes around the entries (the end record must end the file, the directory must end at the end
 * record, the local entries must tile the file from byte 0 up to the directory with nothing hidden
 * between them, local and central headers must agree). Neither library checks those, and both would
 * need our own pass over the raw bytes anyway. Inflation itself is Node's zlib, writing into a
 * buffer of the declared size, so a lying entry stops at its declared size, never after.
 *
 * Refused: ZIP64 and multi-disk archives, encryption, methods other than store/deflate, data
 * before, between or after the entries, duplicate names (case-insensitive, as OPC part names are),
 * more entries than `maxEntries`, declared sizes above the caps or beyond `maxRatio` times the
 * packed size, and entries whose bytes do not match their declared size and CRC.
 */
import { createInflateRaw } from "node:zlib";
import { AppError } from "../../domain/errors.ts";
import { crc32 } from "./crc32.ts";

export type ZipLimits = {
  /** Central-directory entries, checked before any entry is read. */
  maxEntries: number;
  /** Declared (and so actual) uncompressed size of any one entry. */
  maxEntryBytes: number;
  /** Sum of the declared uncompressed sizes of all entries; also the budget of bytes inflated. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry above {@link RATIO_GRACE_BYTES}. */
  maxRatio: number;
};

export type ReadSafeZipOptions = ZipLimits & {
  /** Which entries to inflate, by name (a leading "/" removed); the rest are checked, never inflated. */
  keep: (name: string) => boolean;
};

/** Small entries may compress as well as they like (a style sheet of repeated tags); only big ones are bombs. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const DESCRIPTOR_SIG = 0x08074b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_DIRECTORY = 0x2000;
const EXTRA_ZIP64 = 0x0001;
const EXTRA_AES = 0x9901;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;

type Entry = {
  name: string;
  rawName: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  dataStart: number;
};

function malformed(detail: string): AppError {
  return new AppError("VALIDATION", `bad zip: ${detail}`, { messageKey: "errors.import.malformed_xlsx", params: { detail } });
}

function unsupported(feature: string): AppError {
  return new AppError("VALIDATION", `unsupported zip: ${feature}`, { messageKey: "errors.import.zip_unsupported", params: { feature } });
}

function tooLarge(what: string, maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `zip too large: ${what}`, {
    messageKey: "errors.import.zip_too_large",
    params: { max: Math.round(maxBytes / 1024 / 1024) },
  });
}

/** The end-of-central-directory record, which must end the file exactly (no appended bytes). */
function findEnd(buf: Buffer): number {
  if (buf.length < 22) throw malformed("file too short");
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let p = buf.length - 22; p >= stop; p--) {
    if (buf.readUInt32LE(p) !== EOCD_SIG || p + 22 + buf.readUInt16LE(p + 20) !== buf.length) continue;
    // A second record inside the comment would make "the" directory a matter of which reader you ask.
    if (buf.subarray(p + 22).includes(buf.subarray(p, p + 4))) throw malformed("end record repeated in the archive comment");
    return p;
  }
  throw malformed("no end-of-central-directory record at the end of the file");
}

/** Extra fields: ZIP64 sizes and AES encryption are refused; the records must fill the field exactly. */
function checkExtra(buf: Buffer, from: number, to: number, name: string): void {
  let x = from;
  while (x < to) {
    if (x + 4 > to) throw malformed(`bad extra field in ${name}`);
    const id = buf.readUInt16LE(x);
    const size = buf.readUInt16LE(x + 2);
    if (id === EXTRA_ZIP64) throw unsupported("ZIP64");
    if (id === EXTRA_AES) throw unsupported("encryption");
    x += 4 + size;
  }
  if (x !== to) throw malformed(`bad extra field in ${name}`);
}

function decodeName(raw: Buffer, flags: number): string {
  if (raw.length === 0 || raw.includes(0)) throw malformed("empty or NUL in an entry name");
  if (!(flags & FLAG_UTF8)) return raw.toString("latin1");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw malformed("entry name is not UTF-8");
  }
}

/** Reads the central directory and checks every declared figure against the limits. */
function readDirectory(buf: Buffer, limits: ZipLimits): { entries: Entry[]; directoryStart: number } {
  const end = findEnd(buf);
  if (end >= 20 && buf.readUInt32LE(end - 20) === ZIP64_LOCATOR_SIG) throw unsupported("ZIP64");
  const disk = buf.readUInt16LE(end + 4);
  const directoryDisk = buf.readUInt16LE(end + 6);
  const onDisk = buf.readUInt16LE(end + 8);
  const count = buf.readUInt16LE(end + 10);
  const directorySize = buf.readUInt32LE(end + 12);
  const directoryStart = buf.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryStart === 0xffffffff) throw unsupported("ZIP64");
  if (disk !== 0 || directoryDisk !== 0 || onDisk !== count) throw unsupported("multi-disk archive");
  if (count > limits.maxEntries) {
    throw new AppError("VALIDATION", `zip has ${count} entries`, { messageKey: "errors.import.zip_too_many_entries", params: { count, max: limits.maxEntries } });
  }
  // The directory ends where the end record starts: bytes prepended to the archive, or slipped in
  // between, shift this and are refused rather than "corrected" as some readers do.
  if (directoryStart + directorySize !== end) throw malformed("central directory offsets do not match the file");

  const entries: Entry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let p = directoryStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CENTRAL_SIG) throw malformed("truncated central directory");
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const startDisk = buf.readUInt16LE(p + 34);
    const localOffset = buf.readUInt32LE(p + 42);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw malformed("truncated central directory");
    const rawName = buf.subarray(p + 46, p + 46 + nameLength);
    const name = decodeName(rawName, flags);
    checkExtra(buf, p + 46 + nameLength, p + 46 + nameLength + extraLength, name);
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_DIRECTORY) || method === METHOD_AES) throw unsupported("encryption");
    if (method !== METHOD_STORE && method !== METHOD_DEFLATE) throw unsupported(`compression method ${method}`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw unsupported("ZIP64");
    if (startDisk !== 0) throw unsupported("multi-disk archive");
    if (method === METHOD_STORE && compressedSize !== size) throw malformed(`${name}: stored sizes differ`);
    const key = name.replace(/^\//, "").toLowerCase();
    if (seen.has(key)) throw malformed(`duplicate entry ${name}`);
    seen.add(key);
    if (size > limits.maxEntryBytes) throw tooLarge(`${name} declares ${size} bytes`, limits.maxEntryBytes);
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) throw tooLarge(`declared total above ${limits.maxTotalBytes}`, limits.maxTotalBytes);
    if (size > RATIO_GRACE_BYTES && size > compressedSize * limits.maxRatio) {
      throw new AppError("PAYLOAD_TOO_LARGE", `zip entry ${name} ratio ${Math.round(size / compressedSize)}`, {
        messageKey: "errors.import.zip_ratio",
        params: { max: limits.maxRatio },
      });
    }
    entries.push({ name, rawName, flags, method, crc, compressedSize, size, localOffset, dataStart: 0 });
    p = next;
  }
  if (p !== end) throw malformed("central directory size does not match its entries");
  return { entries, directoryStart };
}

/**
 * Walks the local entries in file order: they must start at byte 0, follow each other with nothing
 * in between, agree with the central directory, and end where the directory starts. So no byte of
 * the archive is outside an entry the directory lists: no hidden entry, no overlapping entries.
 */
function checkLocalEntries(buf: Buffer, entries: Entry[], directoryStart: number): void {
  let expected = 0;
  for (const e of [...entries].sort((a, b) => a.localOffset - b.localOffset)) {
    if (e.localOffset !== expected) throw malformed(e.localOffset > expected ? `unlisted data before ${e.name}` : `${e.name} overlaps another entry`);
    const at = e.localOffset;
    if (at + 30 > directoryStart || buf.readUInt32LE(at) !== LOCAL_SIG) throw malformed(`bad local header for ${e.name}`);
    const flags = buf.readUInt16LE(at + 6);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const dataStart = at + 30 + nameLength + extraLength;
    if (dataStart > directoryStart || !buf.subarray(at + 30, at + 30 + nameLength).equals(e.rawName)) throw malformed(`local name differs for ${e.name}`);
    if (buf.readUInt16LE(at + 8) !== e.method || (flags & FLAG_DESCRIPTOR) !== (e.flags & FLAG_DESCRIPTOR)) throw malformed(`local header differs for ${e.name}`);
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) throw unsupported("encryption");
    checkExtra(buf, at + 30 + nameLength, dataStart, e.name);
    const local = [buf.readUInt32LE(at + 14), buf.readUInt32LE(at + 18), buf.readUInt32LE(at + 22)];
    const central = [e.crc, e.compressedSize, e.size];
    // With a data descriptor the local fields may be zero (written before the data was known).
    const agrees = local.every((v, i) => v === central[i] || (flags & FLAG_DESCRIPTOR && v === 0));
    if (!agrees) throw malformed(`local sizes differ from the directory for ${e.name}`);
    let next = dataStart + e.compressedSize;
    if (next > directoryStart) throw malformed(`truncated entry ${e.name}`);
    if (flags & FLAG_DESCRIPTOR) next = descriptorEnd(buf, next, e, directoryStart);
    e.dataStart = dataStart;
    expected = next;
  }
  if (expected !== directoryStart) throw malformed("unlisted data before the central directory");
}

/** The data descriptor after an entry (signature optional), which must repeat the directory's figures. */
function descriptorEnd(buf: Buffer, at: number, e: Entry, limit: number): number {
  const matches = (q: number) => q + 12 <= limit && buf.readUInt32LE(q) === e.crc && buf.readUInt32LE(q + 4) === e.compressedSize && buf.readUInt32LE(q + 8) === e.size;
  if (at + 4 <= limit && buf.readUInt32LE(at) === DESCRIPTOR_SIG && matches(at + 4)) return at + 16;
  if (matches(at)) return at + 12;
  throw malformed(`bad data descriptor for ${e.name}`);
}

/**
 * Inflates with zlib writing straight into one buffer of the declared size plus one byte, so the
 * output is never copied and a lying entry is stopped at its declared size plus one byte.
 */
function inflateBounded(data: Buffer, size: number, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let filled = 0;
    let done = false;
    const fail = (err: AppError) => {
      if (done) return;
      done = true;
      inflater.destroy();
      reject(err);
    };
    // zlib pushes slices of its output buffer and only allocates another when this one is full.
    const inflater = createInflateRaw({ chunkSize: Math.max(64, size + 1) });
    inflater.on("data", (piece: Buffer) => {
      filled += piece.length;
      if (filled > size) return fail(malformed(`${name} inflates beyond its declared ${size} bytes`));
      pieces.push(piece);
    });
    inflater.on("error", (cause: Error) => fail(malformed(`${name}: ${cause.message}`)));
    inflater.on("end", () => {
      if (filled !== size) return fail(malformed(`${name} inflates to ${filled} bytes, declared ${size}`));
      if (inflater.bytesWritten !== data.length) return fail(malformed(`${name} has data after its deflate stream`));
      done = true;
      resolve(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size));
    });
    inflater.end(data);
  });
}

/**
 * Checks a whole ZIP archive and returns the kept entries' bytes by name.
 * @throws AppError PAYLOAD_TOO_LARGE when a declared size, the declared total or a ratio is beyond
 * the limits; VALIDATION for too many entries, an unsupported feature (ZIP64, multi-disk,
 * encryption) or a malformed, ambiguous or lying archive.
 */
export async function readSafeZip(bytes: Buffer, options: ReadSafeZipOptions): Promise<Map<string, Buffer>> {
  const { entries, directoryStart } = readDirectory(bytes, options);
  checkLocalEntries(bytes, entries, directoryStart);
  const kept = new Map<string, Buffer>();
  let inflated = 0;
  for (const e of entries) {
    const name = e.name.replace(/^\//, "");
    if (name.endsWith("/") || !options.keep(name)) continue;
    inflated += e.size;
    if (inflated > options.maxTotalBytes) throw tooLarge("inflation budget", options.maxTotalBytes);
    const data = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
    const out = e.method === METHOD_STORE ? Buffer.from(data) : await inflateBounded(data, e.size, e.name);
    if (crc32(out) !== e.crc) throw malformed(`checksum mismatch in ${e.name}`);
    kept.set(name, out);
  }
  return kept;
}
