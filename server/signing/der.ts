/**
 * The little DER (ITU-T X.690) a detached CMS signature needs: encoding of the few types it uses,
 * and reading TLVs so that names and serial numbers can be copied from a certificate byte for byte.
 * Copying instead of re-encoding is the point: a re-encoded Vietnamese (UTF8String) issuer name that
 * differs by one byte from the certificate's makes verifiers reject the signature.
 */

/** One tag-length-value element found in a buffer. */
export type Tlv = { tag: number; start: number; contentStart: number; end: number };

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

/** Encodes one element with `tag` around the concatenated `parts`. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const sequence = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
export const octetString = (bytes: Uint8Array) => tlv(0x04, bytes);
export const derNull = () => Uint8Array.of(0x05, 0x00);
export const smallInteger = (n: number) => tlv(0x02, Uint8Array.of(n));
/** `[n]` constructed context tag (EXPLICIT, or IMPLICIT over a SET/SEQUENCE body). */
export const contextTag = (n: number, ...parts: Uint8Array[]) => tlv(0xa0 | n, ...parts);

/** SET OF in DER order: elements sorted by their encodings (X.690 §11.6). */
export function setOf(...elements: Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return tlv(0x31, ...sorted);
}

/** OBJECT IDENTIFIER from dotted form, e.g. "1.2.840.113549.1.7.2". */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/**
 * Reads the element starting at `offset`.
 * @throws Error when the bytes are not well-formed DER (indefinite lengths included).
 */
export function readTlv(buf: Uint8Array, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new Error("DER: truncated header");
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let contentStart = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4) throw new Error("DER: unsupported length");
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + buf[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + len;
  if (end > buf.length) throw new Error("DER: element runs past the end");
  return { tag, start: offset, contentStart, end };
}

/** The elements inside a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end;) {
    const child = readTlv(buf, pos);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** The raw bytes (header included) of an element. */
export function rawOf(buf: Uint8Array, el: Tlv): Uint8Array {
  return buf.subarray(el.start, el.end);
}
