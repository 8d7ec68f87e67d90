/**
 * A ZIP writer for hostile archives: every field that a reader could trust is a knob (lying sizes,
 * hidden entries, prepended bytes, ZIP64 markers, flags), so tests build their attacks in place.
 */
import { constants, deflateRawSync } from "node:zlib";
import { crc32 } from "../../server/features/spreadsheets/crc32.ts";

export type CraftedEntry = {
  name: string;
  /** Plain bytes, deflated (or stored with `method: 0`). */
  data?: Buffer;
  /** Already-deflated bytes (see {@link deflatedZeros}); `size` is then the true plain size. */
  packed?: Buffer;
  size?: number;
  method?: number;
  /** Uncompressed size written in both headers, when it should differ from the truth. */
  declare?: number;
  /** Uncompressed size in the local header only. */
  declareLocal?: number;
  crc?: number;
  flags?: number;
  /** The same extra field in the local and the central header. */
  extra?: Buffer;
  /** Written as a local entry but left out of the central directory. */
  hidden?: boolean;
};

export type CraftOptions = {
  prepend?: Buffer;
  /** Count offsets from the start of the file, prepended bytes included (as self-extractors do). */
  shiftOffsets?: boolean;
  append?: Buffer;
  /** A ZIP64 end-of-central-directory locator just before the end record. */
  zip64Locator?: boolean;
  /** Entry count written in the end record (default: the listed entries). */
  count?: number;
  disk?: number;
  comment?: Buffer;
};

/** `bytes` zeros as a raw deflate stream, without ever holding them: ~1,000:1. */
export function deflatedZeros(bytes: number): Buffer {
  const MiB = 1024 * 1024;
  if (bytes % MiB !== 0) throw new Error("whole MiB only");
  // A full flush leaves the stream byte-aligned with an empty window, so the block repeats as is.
  const block = deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
  return Buffer.concat([...Array.from({ length: bytes / MiB }, () => block), deflateRawSync(Buffer.alloc(0))]);
}

/** Builds the archive: local entries in order, then the directory of the entries not `hidden`. */
export function craftZip(entries: CraftedEntry[], options: CraftOptions = {}): Buffer {
  const prefix = options.prepend ?? Buffer.alloc(0);
  const locals: Buffer[] = [prefix];
  const centrals: Buffer[] = [];
  // Offsets as a naive writer records them: counted from the start of the ZIP data, not the file.
  let offset = options.shiftOffsets ? prefix.length : 0;
  let listed = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.method ?? 8;
    const packed = e.packed ?? (method === 8 ? deflateRawSync(e.data ?? Buffer.alloc(0)) : (e.data ?? Buffer.alloc(0)));
    const trueSize = e.packed ? (e.size ?? 0) : (e.data?.length ?? 0);
    const size = e.declare ?? trueSize;
    const crc = e.crc ?? (e.data ? crc32(e.data) : 0);
    const extra = e.extra ?? Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.declareLocal ?? size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, packed);
    if (!e.hidden) {
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(e.flags ?? 0, 8);
      central.writeUInt16LE(method, 10);
      central.writeUInt32LE(crc, 16);
      central.writeUInt32LE(packed.length, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt16LE(extra.length, 30);
      central.writeUInt32LE(offset, 42);
      centrals.push(central, name, extra);
      listed++;
    }
    offset += 30 + name.length + extra.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (options.zip64Locator) {
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    tail.push(locator);
  }
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.disk ?? 0, 4);
  const count = Math.min(options.count ?? listed, 0xffff);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, directory, ...tail, end, comment, options.append ?? Buffer.alloc(0)]);
}

/**
 * The demonstrated bypass: one file holding two central directories. A reader that takes the end
 * record's offsets as absolute finds `decoy`'s directory; one that, like JSZip, corrects for
 * "prepended" bytes finds `real`'s. Both lists must have the same length.
 */
export function twoDirectoryZip(decoy: CraftedEntry[], real: CraftedEntry[]): Buffer {
  if (decoy.length !== real.length) throw new Error("same entry count needed");
  const inner = craftZip(real);
  const realStart = inner.readUInt32LE(inner.length - 22 + 16);
  const fake = craftZip(decoy);
  const fakeStart = fake.readUInt32LE(fake.length - 22 + 16);
  const fakeSize = fake.readUInt32LE(fake.length - 22 + 12);
  if (fakeStart > realStart) throw new Error("decoy larger than the real entries");
  const padding = Buffer.alloc(realStart - fakeStart);
  return Buffer.concat([fake.subarray(0, fakeStart), padding, fake.subarray(fakeStart, fakeStart + fakeSize), inner]);
}
