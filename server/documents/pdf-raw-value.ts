import { PDFObject } from "pdf-lib";

/**
 * A PDF value written out verbatim, e.g. a font's W array. pdf-lib would hold such an array as one
 * PDFNumber object per entry and format each when saving; a letter's four fonts have about a
 * thousand of them, written once and never read back, so we format the array ourselves.
 * `text` must be ASCII and valid PDF syntax.
 */
export class PDFRawValue extends PDFObject {
  constructor(private readonly text: string) {
    super();
  }

  override clone(): PDFRawValue {
    return new PDFRawValue(this.text);
  }

  override toString(): string {
    return this.text;
  }

  override sizeInBytes(): number {
    return this.text.length;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    for (let i = 0; i < this.text.length; i++) buffer[offset + i] = this.text.charCodeAt(i);
    return this.text.length;
  }
}
