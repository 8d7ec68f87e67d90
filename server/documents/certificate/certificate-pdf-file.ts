/**
 * A PDF of certificates, one page each, written as it goes (see {@link PdfWriter}): the frame and
 * the emblem are written once at the start, each page's content as it is added, and the four faces
 * once at the end, subset over the glyphs of every page. A print file of 5,000 certificates carries
 * one copy of each font and of the frame; a single certificate is the same file with one page.
 */
import { serifFonts, type Font, type FontStyle } from "../font.ts";
import { subsetFont } from "../font-subset.ts";
import { subsetTag, toUnicodeCMap, type GlyphUse } from "../pdf-fonts.ts";
import { glyphWidth1000 } from "../text-measure.ts";
import { borderStream } from "./border.ts";
import { LANDSCAPE } from "./certificate-geometry.ts";
import type { CertificateModel } from "./certificate-model.ts";
import type { EmblemImage } from "./emblem-image.ts";
import { FONT_KEY, layoutCertificate, newGlyphUses, type GlyphUses } from "./layout-certificate.ts";
import { PdfWriter, pdfTextString, type PdfSink } from "./pdf-writer.ts";
import { deflateSync } from "node:zlib";

/** The frame's stream, compressed once per process: every file carries the same bytes. */
let borderBytes: Buffer | null = null;
const compressedBorder = () => (borderBytes ??= deflateSync(borderStream(), { level: 9 }));

const STYLES: FontStyle[] = ["regular", "bold", "italic", "boldItalic"];

/** Writes one face's font objects (subset program, descriptor, CID font, ToUnicode, Type0) as object `type0`. */
/**
 * A face's subset program and ToUnicode map, compressed: what the files of one chunk share when they
 * are subset over the same glyphs ({@link CertificatePdfOptions.fontGlyphs}).
 */
export type FontBytes = { key: string; program: Buffer; programLength: number; toUnicode: Buffer };
/** Compressed font programs kept by the caller between files (keyed by face and glyph set). */
export type FontCache = Map<FontStyle, FontBytes>;

function fontBytes(style: FontStyle, font: Font, use: GlyphUse, cids: number[], level: number, cache: FontCache | undefined): FontBytes {
  const key = cids.join(",");
  const hit = cache?.get(style);
  if (hit && hit.key === key) return hit;
  const raw = subsetFont(font, cids);
  const bytes: FontBytes = {
    key,
    program: deflateSync(raw, { level }),
    programLength: raw.length,
    toUnicode: deflateSync(Buffer.from(toUnicodeCMap(use.chars), "latin1")),
  };
  cache?.set(style, bytes);
  return bytes;
}

function writeFont(w: PdfWriter, type0: number, style: FontStyle, font: Font, use: GlyphUse, level: number, cache?: FontCache): void {
  const cids = [...use.chars.keys()].sort((a, b) => a - b);
  const name = `${subsetTag(style, cids)}+${font.postscriptName}`;
  const bytes = fontBytes(style, font, use, cids, level, cache);
  const [file, descriptor, cidFont, toUnicode] = [w.reserve(), w.reserve(), w.reserve(), w.reserve()];
  w.stream(file, `/Length1 ${bytes.programLength} /Filter /FlateDecode`, bytes.program, { deflate: false });
  const scale = 1000 / font.unitsPerEm;
  const flags = 2 | 32 | (font.italicAngle !== 0 ? 64 : 0);
  const bold = style === "bold" || style === "boldItalic";
  w.object(
    descriptor,
    `<< /Type /FontDescriptor /FontName /${name} /Flags ${flags} /FontBBox [${font.bbox.map((v) => Math.round(v * scale)).join(" ")}] /ItalicAngle ${font.italicAngle} /Ascent ${Math.round(font.ascent * scale)} /Descent ${Math.round(font.descent * scale)} /CapHeight ${Math.round(font.capHeight * scale)} /StemV ${bold ? 140 : 80} /FontFile2 ${file} 0 R >>`,
  );
  let widths = "";
  for (let i = 0; i < cids.length;) {
    let run = "";
    let j = i;
    do run += `${run ? " " : ""}${Math.round(glyphWidth1000(font, font.glyphOf(cids[j]!)) * 1000) / 1000}`;
    while (++j < cids.length && cids[j] === cids[j - 1]! + 1);
    widths += `${cids[i]} [${run}] `;
    i = j;
  }
  w.object(
    cidFont,
    `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /W [${widths}] /CIDToGIDMap /Identity >>`,
  );
  w.stream(toUnicode, "/Filter /FlateDecode", bytes.toUnicode, { deflate: false });
  w.object(type0, `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
}

export type CertificatePdfOptions = {
  emblem?: EmblemImage | null | undefined;
  title?: string;
  /** Draws the certificate frame (default); a list of certificates has none. */
  frame?: boolean;
  /** zlib level of the page streams (6: zlib's default). */
  level?: number;
  /**
   * zlib level of the font programs. A single certificate's three subsets are most of its bytes
   * and most of its time; level 1 costs a few KB and takes a third of the time (see the bench).
   */
  fontLevel?: number;
  /**
   * Subset the fonts over these glyphs instead of the file's own (a superset of them): the files
   * of a chunk subset over the chunk's glyphs share one compressed program per face ({@link fontCache}).
   */
  fontGlyphs?: GlyphUses;
  /** Where compressed font programs are kept between files with the same {@link fontGlyphs}. */
  fontCache?: FontCache;
};

export class CertificatePdfFile {
  private readonly w: PdfWriter;
  private readonly use: GlyphUses = newGlyphUses();
  private readonly pages: number[] = [];
  private readonly pagesRef: number;
  private readonly resources: number;
  private readonly border: number;
  private readonly emblemRef: number | null;
  private readonly fonts: Record<FontStyle, number>;

  constructor(
    sink: PdfSink,
    private readonly options: CertificatePdfOptions = {},
  ) {
    this.w = new PdfWriter(sink);
    const w = this.w;
    this.pagesRef = w.reserve();
    this.resources = w.reserve();
    this.fonts = { regular: w.reserve(), bold: w.reserve(), italic: w.reserve(), boldItalic: w.reserve() };
    this.border = w.reserve();
    if (options.frame !== false)
      w.stream(this.border, `/Type /XObject /Subtype /Form /BBox [0 0 ${LANDSCAPE.width} ${LANDSCAPE.height}] /Filter /FlateDecode`, compressedBorder(), { deflate: false });
    const emblem = options.emblem;
    if (emblem) {
      this.emblemRef = w.reserve();
      let smask = "";
      if (emblem.alpha) {
        const mask = w.reserve();
        w.stream(
          mask,
          `/Type /XObject /Subtype /Image /Width ${emblem.width} /Height ${emblem.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
          emblem.alpha,
          {
            deflate: false,
          },
        );
        smask = ` /SMask ${mask} 0 R`;
      }
      w.stream(this.emblemRef, `${emblem.dict}${smask}`, emblem.data, { deflate: false });
    } else this.emblemRef = null;
  }

  /** Pages written so far. */
  get pageCount(): number {
    return this.pages.length;
  }

  /** The glyphs the file's pages used so far, per face (a caller drawing its own pages adds to them). */
  get glyphs(): GlyphUses {
    return this.use;
  }

  /** Lays out and writes one certificate page. */
  addPage(m: CertificateModel, verify?: { code: string; url: string }): void {
    this.addContentPage(layoutCertificate(m, this.use, { verify, emblem: this.options.emblem }), LANDSCAPE);
  }

  /**
   * Writes a certificate page laid out earlier by {@link layoutCertificate} in this process (CIDs
   * are process-wide) and compressed with `deflateStream`, its glyphs recorded in `glyphs`,
   * which are added to the file's. The same bytes serve the individual PDF and the print PDF.
   */
  addLaidOutPage(deflated: Buffer, glyphs: GlyphUses): void {
    if (glyphs !== this.use) for (const style of STYLES) for (const [cid, ch] of glyphs[style].chars) if (!this.use[style].chars.has(cid)) this.use[style].chars.set(cid, ch);
    const content = this.w.reserve();
    const page = this.w.reserve();
    this.w.stream(content, "/Filter /FlateDecode", deflated, { deflate: false });
    this.w.object(
      page,
      `<< /Type /Page /Parent ${this.pagesRef} 0 R /MediaBox [0 0 ${LANDSCAPE.width} ${LANDSCAPE.height}] /Resources ${this.resources} 0 R /Contents ${content} 0 R >>`,
    );
    this.pages.push(page);
  }

  /** Writes a page drawn by the caller: `ops` names fonts F1–F4 (glyphs added to {@link glyphs}). */
  addContentPage(ops: string, size: { width: number; height: number }): void {
    const content = this.w.reserve();
    const page = this.w.reserve();
    this.w.stream(content, "", ops, { level: this.options.level ?? 6 });
    this.w.object(page, `<< /Type /Page /Parent ${this.pagesRef} 0 R /MediaBox [0 0 ${size.width} ${size.height}] /Resources ${this.resources} 0 R /Contents ${content} 0 R >>`);
    this.pages.push(page);
  }

  /** Writes the fonts, the page tree and the trailer. */
  finish(): void {
    const w = this.w;
    const faces = serifFonts();
    const fonts: string[] = [];
    const use = this.options.fontGlyphs ?? this.use;
    for (const style of STYLES) {
      // A face no page used is still a reserved number: it becomes an empty dictionary, named by nothing.
      if (this.use[style].chars.size) {
        writeFont(w, this.fonts[style], style, faces[style], use[style], this.options.fontLevel ?? 6, this.options.fontCache);
        fonts.push(`/${FONT_KEY[style]} ${this.fonts[style]} 0 R`);
      } else w.object(this.fonts[style], "<< >>");
    }
    if (this.options.frame === false) w.object(this.border, "<< >>");
    w.object(this.resources, `<< /Font << ${fonts.join(" ")} >> /XObject << /Border ${this.border} 0 R${this.emblemRef ? ` /Emblem ${this.emblemRef} 0 R` : ""} >> >>`);
    w.object(this.pagesRef, `<< /Type /Pages /Count ${this.pages.length} /Kids [${this.pages.map((p) => `${p} 0 R`).join(" ")}] >>`);
    const catalog = w.reserve();
    w.object(catalog, `<< /Type /Catalog /Pages ${this.pagesRef} 0 R /Lang (vi-VN) >>`);
    const info = w.reserve();
    w.object(info, `<< /Producer (chidao) /Creator (chidao)${this.options.title ? ` /Title ${pdfTextString(this.options.title)}` : ""} >>`);
    w.finish(catalog, info);
  }
}

/** One certificate page already laid out and compressed (its glyphs in `o.fontGlyphs`) as a PDF in memory. */
export function certificatePdfFromLayout(deflated: Buffer, o: CertificatePdfOptions): Buffer {
  const chunks: Buffer[] = [];
  const file = new CertificatePdfFile((c) => chunks.push(c), o);
  file.addLaidOutPage(deflated, o.fontGlyphs ?? file.glyphs);
  file.finish();
  return Buffer.concat(chunks);
}

/** One certificate as a PDF in memory. */
export function renderCertificatePdf(m: CertificateModel, o: CertificatePdfOptions & { verify?: { code: string; url: string } } = {}): Buffer {
  const chunks: Buffer[] = [];
  const file = new CertificatePdfFile((c) => chunks.push(c), o);
  file.addPage(m, o.verify);
  file.finish();
  return Buffer.concat(chunks);
}
