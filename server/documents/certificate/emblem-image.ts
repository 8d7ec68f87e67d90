/**
 * The office's emblem or logo as PDF image data: a JPEG goes in as it is (DCTDecode), a PNG is
 * decoded once and written as RGB with its alpha channel as a soft mask. Either is written once per
 * file and drawn on every page by name.
 */
import { deflateSync } from "node:zlib";
import { PNG } from "pdf-lib/cjs/utils/png.js";

export type EmblemImage = {
  width: number;
  height: number;
  /** The image XObject's dictionary entries besides /Length and /SMask. */
  dict: string;
  /** Stream data, already encoded as `dict` says. */
  data: Buffer;
  /** Deflated 8-bit alpha channel, when the PNG has transparency. */
  alpha: Buffer | null;
};

export type ImageInfo = { mediaType: "image/png" | "image/jpeg"; width: number; height: number; components: number };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Size and kind of a PNG or JPEG, read from its header; null for anything else. */
export function readImageInfo(bytes: Buffer): ImageInfo | null {
  if (bytes.length > 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString("latin1", 12, 16) === "IHDR") {
    const colourType = bytes[25];
    return { mediaType: "image/png", width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), components: colourType === 0 || colourType === 4 ? 1 : 3 };
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let p = 2;
    while (p + 9 < bytes.length) {
      if (bytes[p] !== 0xff) return null;
      const marker = bytes[p + 1]!;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
        p += marker === 0xff ? 1 : 2;
        continue;
      }
      const length = bytes.readUInt16BE(p + 2);
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { mediaType: "image/jpeg", height: bytes.readUInt16BE(p + 5), width: bytes.readUInt16BE(p + 7), components: bytes[p + 9]! };
      }
      p += 2 + length;
    }
  }
  return null;
}

/**
 * Prepares `bytes` (PNG or JPEG) for embedding.
 * @throws Error when the bytes are neither or cannot be decoded.
 */
export function toEmblemImage(bytes: Buffer): EmblemImage {
  const info = readImageInfo(bytes);
  if (!info) throw new Error("not a PNG or JPEG image");
  if (info.mediaType === "image/jpeg") {
    const space = info.components === 1 ? "/DeviceGray" : info.components === 4 ? "/DeviceCMYK" : "/DeviceRGB";
    // Adobe writes CMYK JPEGs inverted; the Decode array puts them right.
    const decode = info.components === 4 ? " /Decode [1 0 1 0 1 0 1 0]" : "";
    return {
      width: info.width,
      height: info.height,
      dict: `/Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace ${space} /BitsPerComponent 8${decode} /Filter /DCTDecode`,
      data: bytes,
      alpha: null,
    };
  }
  const png = PNG.load(bytes);
  const rgb = deflateSync(png.rgbChannel);
  const hasAlpha = png.alphaChannel && png.alphaChannel.some((a) => a !== 255);
  return {
    width: png.width,
    height: png.height,
    dict: `/Type /XObject /Subtype /Image /Width ${png.width} /Height ${png.height} /ColorSpace /DeviceRGB /BitsPerComponent ${png.bitsPerComponent} /Filter /FlateDecode`,
    data: rgb,
    alpha: hasAlpha ? deflateSync(png.alphaChannel) : null,
  };
}
