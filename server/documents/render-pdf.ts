/**
 * Renders a {@link DocumentModel} to PDF with pdf-lib as the object writer and our own content
 * streams: text is laid out once, drawn with glyph ids of per-document subset fonts, and paginated
 * so that the signer block and Nơi nhận never stand alone at the top of a page.
 */
import QRCode from "qrcode";
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFString, type PDFPage, type PDFRef } from "pdf-lib";
import type { BodyBlock, DocumentModel, Run } from "./document-model.ts";
import { serifFonts, type FontStyle } from "./font.ts";
import { breakLines, type Line } from "./layout.ts";
import {
  FIRST_LINE_INDENT,
  LEFT_COLUMN,
  LINE_HEIGHT,
  MARGIN,
  MOTTO,
  NATIONAL_TITLE,
  PAGE,
  PARAGRAPH_AFTER,
  SIGNER_COLUMN_X,
  SIZES,
  TEXT_WIDTH,
  RIGHT_COLUMN,
  dateLineSize,
  issuerRuleWidth,
  subjectRuleWidth,
} from "./page-geometry.ts";
import { flateStream } from "./flate-stream.ts";
import { embedFont, GlyphUse } from "./pdf-fonts.ts";
import { recipientsLayout } from "./recipients-layout.ts";
import { shape, textWidth } from "./text-measure.ts";

export type RenderPdfOptions = {
  /** Marks every page "DỰ THẢO" (a draft: no number yet). */
  draft?: boolean;
  /** Verification code and URL, printed with a QR code at the foot of the last page. */
  verify?: { code: string; url: string };
  /** Adds empty signature fields: "signer" over ô 7c and "seal" overlapping its left third (ô 8). */
  signatureFields?: boolean;
  /** Document information (Title). */
  title?: string;
};

export type Box = { page: number; x: number; y: number; width: number; height: number };
export type RenderedPdf = { bytes: Uint8Array; pages: number; signerBox: Box; sealBox: Box };

const STYLES: FontStyle[] = ["regular", "bold", "italic", "boldItalic"];
const FONT_KEY: Record<FontStyle, string> = { regular: "F1", bold: "F2", italic: "F3", boldItalic: "F4" };
const n = (v: number) => (Math.round(v * 100) / 100).toString();

type Align = "left" | "center" | "justify";

/** Collects drawing operators per page and the glyphs each face used. */
class Canvas {
  readonly pages: string[][] = [[]];
  readonly use: Record<FontStyle, GlyphUse> = { regular: new GlyphUse(), bold: new GlyphUse(), italic: new GlyphUse(), boldItalic: new GlyphUse() };
  page = 0;

  private get ops(): string[] {
    return this.pages[this.page]!;
  }

  newPage(): void {
    this.pages.push([]);
    this.page = this.pages.length - 1;
  }

  /** Draws one laid-out line with its left edge at `x` and baseline at `y`. */
  line(line: Line, x: number, y: number, width: number, align: Align): void {
    if (!line.atoms.length) return;
    const size = line.size;
    let start = x;
    let extra = 0;
    if (align === "center") start = x + (width - line.width) / 2;
    else if (align === "justify" && !line.last && line.gaps > 0) extra = (width - line.width) / line.gaps;
    let op = `BT 1 0 0 1 ${n(start)} ${n(y)} Tm `;
    let style: FontStyle | null = null;
    let tj = "";
    const flush = () => {
      if (tj) op += `[${tj}] TJ `;
      tj = "";
    };
    line.atoms.forEach((a, i) => {
      if (a.style !== style) {
        flush();
        style = a.style;
        op += `/${FONT_KEY[a.style]} ${size} Tf `;
      }
      this.use[a.style].add(a.word.cids, a.word.chars);
      tj += a.word.literal;
      if (a.space && i < line.atoms.length - 1) {
        const sp = shape(a.style, " ");
        this.use[a.style].add(sp.cids, sp.chars);
        tj += sp.literal;
        if (extra) tj += ` ${n((-extra * 1000) / size)} `;
      }
    });
    flush();
    this.ops.push(`${op}ET`);
  }

  /** A plain string in one face, for short labels. */
  text(text: string, style: FontStyle, size: number, x: number, y: number, align: "left" | "center" = "left", width = 0): void {
    for (const l of breakLines([{ text, style }], size, 1e6)) this.line(l, x, y, width, align);
  }

  rule(x1: number, x2: number, y: number, width = 0.6): void {
    this.ops.push(`${n(width)} w 0 G ${n(x1)} ${n(y)} m ${n(x2)} ${n(y)} l S`);
  }

  raw(op: string): void {
    this.ops.push(op);
  }
}

/** Lines of `runs` wrapped to `width`, each with its height. */
function wrap(runs: Run[], size: number, width: number, firstIndent = 0): Line[] {
  return breakLines(runs, size, width, width - firstIndent);
}

const plain = (text: string, style: FontStyle = "regular"): Run[] => [{ text, style }];
const lineHeight = (size: number) => size * LINE_HEIGHT;

/** A column of centred lines; returns the baseline below the last line. */
function centredBlock(c: Canvas, lines: Line[], x: number, width: number, top: number): { bottom: number; widest: number } {
  let y = top;
  let widest = 0;
  for (const l of lines) {
    y -= lineHeight(l.size);
    c.line(l, x, y + l.size * 0.22, width, "center");
    widest = Math.max(widest, l.width);
  }
  return { bottom: y, widest };
}

/** Page 1's header (ô 1–5, 9a) down to where the body starts; returns that y. */
function drawHeader(c: Canvas, m: DocumentModel): number {
  const L = MARGIN.left;
  const top = PAGE.height - MARGIN.top;
  const rightX = L + LEFT_COLUMN;
  const rightW = RIGHT_COLUMN;

  // ô 2: parent body (regular) and issuer (bold) with a short rule under it.
  let left = top;
  if (m.parentBody) left = centredBlock(c, wrap(plain(m.parentBody), SIZES.parentBody, LEFT_COLUMN - 4), L, LEFT_COLUMN, left).bottom;
  const issuer = centredBlock(c, wrap(plain(m.issuerName, "bold"), SIZES.issuer, LEFT_COLUMN - 4), L, LEFT_COLUMN, left);
  // Rules sit 4.5 pt under a line's box: clear of Vietnamese dots below (ạ, ị, ụ) at 12–14 pt.
  left = issuer.bottom - 4.5;
  const issuerRule = issuerRuleWidth(issuer.widest);
  c.rule(L + (LEFT_COLUMN - issuerRule) / 2, L + (LEFT_COLUMN + issuerRule) / 2, left);

  // ô 1: national title and motto with a rule of the motto's length.
  let right = centredBlock(c, wrap(plain(NATIONAL_TITLE, "bold"), SIZES.nationalTitle, rightW), rightX, rightW, top).bottom;
  const motto = centredBlock(c, wrap(plain(MOTTO, "bold"), SIZES.motto, rightW), rightX, rightW, right);
  right = motto.bottom - 4.5;
  c.rule(rightX + (rightW - motto.widest) / 2, rightX + (rightW + motto.widest) / 2, right);

  // ô 3 and ô 4 on one baseline.
  let y = Math.min(left, right) - 10 - SIZES.symbol;
  c.text(m.symbolLine, "regular", SIZES.symbol, L, y, "center", LEFT_COLUMN);
  const dateSize = dateLineSize(textWidth("italic", m.dateLine, SIZES.date));
  for (const l of wrap(plain(m.dateLine, "italic"), dateSize, rightW)) {
    c.line(l, rightX, y, rightW, "center");
    y -= lineHeight(dateSize);
  }
  y += lineHeight(dateSize);

  if (m.congVan) {
    // ô 5b: "V/v …" under the number, 6 pt below.
    const vv = centredBlock(c, wrap(plain(`V/v ${m.subject}`), SIZES.congVanSubject, LEFT_COLUMN - 8), L, LEFT_COLUMN, y - 6);
    y = vv.bottom - 8;
  } else {
    // ô 5a: type name and trích yếu, centred, with a short rule.
    y -= 16;
    y = centredBlock(c, wrap(plain(m.typeName, "bold"), SIZES.typeName, TEXT_WIDTH), L, TEXT_WIDTH, y).bottom;
    const subject = centredBlock(c, wrap(plain(m.subject, "bold"), SIZES.subject, TEXT_WIDTH * 0.85), L, TEXT_WIDTH, y);
    y = subject.bottom - 4.5;
    const rule = subjectRuleWidth(subject.widest);
    c.rule(L + (TEXT_WIDTH - rule) / 2, L + (TEXT_WIDTH + rule) / 2, y);
    y -= 6;
  }
  if (m.authorityLine) y = centredBlock(c, wrap(plain(m.authorityLine, "bold"), SIZES.body, TEXT_WIDTH), L, TEXT_WIDTH, y - 8).bottom - 4;
  return y - 6;
}

type FlowItem = { height: number; draw(c: Canvas, top: number): void; body?: boolean };

/** ô 9a: "Kính gửi:" with one recipient on its line, or several under the colon. */
function recipientItems(m: DocumentModel): FlowItem[] {
  if (!m.recipients.length) return [];
  const size = SIZES.recipients;
  const label = `${m.recipientsLabel} `;
  const { items, offset, labelWidth: labelW } = recipientsLayout(m);
  const x = MARGIN.left + offset;
  const itemW = TEXT_WIDTH - offset - labelW;
  const out: FlowItem[] = [];
  items.forEach((item, i) => {
    const lines = wrap(plain(item), size, itemW);
    lines.forEach((l, j) => {
      out.push({
        height: lineHeight(size) + (i === items.length - 1 && j === lines.length - 1 ? 8 : 0),
        draw(c, top) {
          const y = top - size;
          if (i === 0 && j === 0) c.text(label.trim(), "regular", size, x, y);
          c.line(l, x + labelW, y, itemW, "left");
        },
      });
    });
  });
  return out;
}

/** A paragraph as one flow item per line (so pages can break between lines). */
function paragraphItems(runs: Run[], o: { align: Align; indent: number; size: number; after: number; body?: boolean }): FlowItem[] {
  const lines = wrap(runs, o.size, TEXT_WIDTH, o.indent);
  return lines.map((l, i) => ({
    height: lineHeight(o.size) + (i === lines.length - 1 ? o.after : 0),
    body: o.body ?? false,
    draw(c, top) {
      const first = i === 0 ? o.indent : 0;
      c.line(l, MARGIN.left + first, top - o.size, TEXT_WIDTH - first, o.align);
    },
  }));
}

/**
 * Body paragraphs. Numbered and bulleted items ("1.", "2.1.", "a)", "-", "+") take the same 1.27 cm
 * first-line indent as plain paragraphs and wrap to the margin, as in the decree's models (khoản and
 * điểm are indented like Điều and body text; a hanging indent is a Word habit the models do not use).
 */
function bodyItems(blocks: BodyBlock[]): FlowItem[] {
  return blocks.flatMap((b) =>
    b.kind === "center"
      ? paragraphItems(b.runs, { align: "center", indent: 0, size: SIZES.body, after: PARAGRAPH_AFTER, body: true })
      : paragraphItems(b.runs, { align: "justify", indent: FIRST_LINE_INDENT, size: SIZES.body, after: PARAGRAPH_AFTER, body: true }),
  );
}

type Closing = FlowItem & { signerBox: (top: number) => Omit<Box, "page"> };

/**
 * ô 7 (signer, right) beside ô 9b and ô 12 (Nơi nhận, left), drawn as one unbreakable block no
 * taller than `maxHeight` (a page). A Nơi nhận list too long for that (it may have 200 lines) keeps
 * as many lines beside the signer as fit; the rest continue in the left column as ordinary lines
 * that may run onto the next page, so nothing is ever drawn below the bottom margin.
 */
function closingItems(m: DocumentModel, maxHeight: number): { closing: Closing; rest: FlowItem[] } {
  const rightW = MARGIN.left + TEXT_WIDTH - SIGNER_COLUMN_X;
  const leftW = SIGNER_COLUMN_X - MARGIN.left - 8;
  const s = SIZES.signer;
  const heads = [...(m.signer.authority ? [m.signer.authority] : []), m.signer.title].flatMap((t) => wrap(plain(t, "bold"), s, rightW));
  const signatureSpace = 78;
  const nameLines = wrap(plain(m.signer.name, "bold"), s, rightW);
  const signerH = (heads.length + nameLines.length) * lineHeight(s) + signatureSpace;
  const gapAbove = 10;
  const labelH = lineHeight(SIZES.distributionLabel);
  const drafterGap = 4;
  // Left column: the list's lines, then ô 12 a little apart.
  const left = [
    ...m.distribution.flatMap((d) => wrap(plain(d), SIZES.distribution, leftW)).map((line) => ({ line, gap: 0 })),
    ...(m.drafterLine ? wrap(plain(m.drafterLine), SIZES.drafter, leftW) : []).map((line, i) => ({ line, gap: i === 0 ? drafterGap : 0 })),
  ];
  const leftHeight = (lines: typeof left) => labelH + lines.reduce((h, l) => h + l.gap + lineHeight(l.line.size), 0);
  let beside = left.length;
  while (beside > 0 && gapAbove + Math.max(signerH, leftHeight(left.slice(0, beside))) + 4 > maxHeight) beside--;
  const here = left.slice(0, beside);
  const signerBoxAt = (top: number) => {
    const titleBottom = top - gapAbove - heads.length * lineHeight(s);
    return { x: SIGNER_COLUMN_X + 12, y: titleBottom - signatureSpace + 4, width: rightW - 24, height: signatureSpace - 8 };
  };
  const closing: Closing = {
    height: gapAbove + Math.max(signerH, leftHeight(here)) + 4,
    draw(c, top) {
      let y = top - gapAbove;
      for (const l of heads) {
        y -= lineHeight(s);
        c.line(l, SIGNER_COLUMN_X, y + s * 0.22, rightW, "center");
      }
      y -= signatureSpace;
      for (const l of nameLines) {
        y -= lineHeight(s);
        c.line(l, SIGNER_COLUMN_X, y + s * 0.22, rightW, "center");
      }
      let ly = top - gapAbove - labelH;
      c.text("Nơi nhận:", "boldItalic", SIZES.distributionLabel, MARGIN.left, ly + SIZES.distributionLabel * 0.22);
      for (const { line, gap } of here) {
        ly -= gap + lineHeight(line.size);
        c.line(line, MARGIN.left, ly + line.size * 0.22, leftW, "left");
      }
    },
    signerBox: signerBoxAt,
  };
  const rest: FlowItem[] = left.slice(beside).map(({ line, gap }) => ({
    height: gap + lineHeight(line.size),
    draw(c, top) {
      c.line(line, MARGIN.left, top - gap - lineHeight(line.size) + line.size * 0.22, leftW, "left");
    },
  }));
  return { closing, rest };
}

/** Draws a QR code as filled squares (vector, no image). */
function drawQr(c: Canvas, text: string, x: number, y: number, size: number): void {
  // A fixed mask skips qrcode's search over all eight (a tenth of a letter's time); any mask is valid.
  const qr = QRCode.create(text, { errorCorrectionLevel: "M", maskPattern: 2 });
  const count = qr.modules.size;
  const cell = size / count;
  let path = "0 g ";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(row, col)) path += `${n(x + col * cell)} ${n(y + (count - 1 - row) * cell)} ${n(cell + 0.01)} ${n(cell + 0.01)} re `;
    }
  }
  c.raw(`${path}f`);
}

/** Renders the model to a PDF. */
export async function renderPdf(m: DocumentModel, options: RenderPdfOptions = {}): Promise<RenderedPdf> {
  const c = new Canvas();
  const bottom = MARGIN.bottom;
  const pageTop = PAGE.height - MARGIN.top;
  let y = drawHeader(c, m);

  const items: FlowItem[] = [
    ...recipientItems(m),
    ...m.bases.flatMap((b) => paragraphItems(plain(b, "italic"), { align: "justify", indent: FIRST_LINE_INDENT, size: SIZES.body, after: 0 })),
    ...(m.bases.length ? [{ height: PARAGRAPH_AFTER, draw() {} }] : []),
    ...bodyItems(m.body),
  ];
  const pageHeight = pageTop - bottom;
  // Keep the last two body lines with the closing block. The whole block when it can share a page
  // with them; when its Nơi nhận list is too long for that, the signer block alone, and the list
  // then fills the rest of that page and runs on.
  const lastBody = items
    .map((it, i) => (it.body ? i : -1))
    .filter((i) => i >= 0)
    .slice(-2);
  const keepFrom = lastBody[0] ?? items.length;
  const keepLines = items.slice(keepFrom).reduce((h, it) => h + it.height, 0);
  const natural = closingItems(m, Number.POSITIVE_INFINITY).closing.height;
  const smallest = closingItems(m, 0).closing.height;
  const splits = natural > pageHeight - keepLines;
  const keepHeight = keepLines + (splits ? smallest : natural);

  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const needed = i === keepFrom ? Math.min(keepHeight, pageHeight) : it.height;
    if (y - needed < bottom && y < pageTop - 0.01) {
      c.newPage();
      y = pageTop;
    }
    it.draw(c, y);
    y -= it.height;
  }
  if (y - (splits ? smallest : natural) < bottom) {
    c.newPage();
    y = pageTop;
  }
  const { closing, rest } = closingItems(m, y - bottom);
  closing.draw(c, y);
  const signerPage = c.page;
  const sb = closing.signerBox(y);
  y -= closing.height;
  for (const it of rest) {
    if (y - it.height < bottom) {
      c.newPage();
      y = pageTop;
    }
    it.draw(c, y);
    y -= it.height;
  }
  const signerBox: Box = { page: signerPage, ...sb };
  const sealSize = Math.min(34 * 2.835, sb.height + 24);
  const sealBox: Box = { page: signerPage, x: sb.x + sb.width / 3 - sealSize, y: sb.y + sb.height / 2 - sealSize / 2, width: sealSize, height: sealSize };

  // Page numbers from page 2, centred in the top margin.
  for (let p = 1; p < c.pages.length; p++) {
    c.page = p;
    c.text(String(p + 1), "regular", SIZES.pageNumber, MARGIN.left, PAGE.height - MARGIN.top / 2 - SIZES.pageNumber / 3, "center", TEXT_WIDTH);
  }
  if (options.verify) {
    c.page = c.pages.length - 1;
    const qrSize = 40;
    drawQr(c, options.verify.url, MARGIN.left, 8, qrSize);
    c.text(`Mã xác thực: ${options.verify.code}`, "regular", 8, MARGIN.left + qrSize + 6, 8 + 24);
    c.text(`Tra cứu: ${options.verify.url}`, "regular", 8, MARGIN.left + qrSize + 6, 8 + 13);
  }
  if (options.draft) {
    for (let p = 0; p < c.pages.length; p++) {
      c.page = p;
      // Light grey, diagonal, drawn first so the text stays readable over it.
      const mark = shape("bold", "DỰ THẢO");
      c.use.bold.add(mark.cids, mark.chars);
      c.pages[p]!.unshift(`q 0.82 g BT 0.7071 0.7071 -0.7071 0.7071 ${n(PAGE.width / 2 - 160)} ${n(PAGE.height / 2 - 170)} Tm /F2 96 Tf <${mark.hex}> Tj ET Q`);
    }
  }

  const doc = await PDFDocument.create({ updateMetadata: false });
  const ctx = doc.context;
  const fonts = serifFonts();
  const fontRefs = new Map<FontStyle, PDFRef>();
  for (const style of STYLES) if (c.use[style].chars.size) fontRefs.set(style, embedFont(ctx, style, fonts[style], c.use[style]));
  const pages: PDFPage[] = [];
  for (const ops of c.pages) {
    const page = doc.addPage([PAGE.width, PAGE.height]);
    for (const [style, ref] of fontRefs) page.node.setFontDictionary(PDFName.of(FONT_KEY[style]), ref);
    page.node.set(PDFName.of("Contents"), flateStream(ctx, ops.join("\n")));
    pages.push(page);
  }
  if (options.signatureFields) addSignatureFields(doc, pages, signerBox, sealBox);
  doc.setTitle(options.title ?? (m.typeName ? `${m.typeName} ${m.subject}` : `V/v ${m.subject}`));
  doc.setProducer("chidao");
  doc.setCreator("chidao");
  doc.setLanguage("vi-VN");
  // pdf-lib yields to the event loop with setTimeout(0) every `objectsPerTick` objects: with its
  // default (50) a letter of ~35 objects waited a timer tick (≥ 1 ms, a fifth of its time) idle.
  // A letter serialises in well under a millisecond, so it never yields.
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Number.POSITIVE_INFINITY });
  return { bytes, pages: c.pages.length, signerBox, sealBox };
}

/** Empty signature fields a signing tool fills in place: the signer's (ô 7c) and the organisation's seal (ô 8). */
function addSignatureFields(doc: PDFDocument, pages: PDFPage[], signer: Box, seal: Box): void {
  const ctx = doc.context;
  const fields: PDFRef[] = [];
  for (const [name, box] of [
    ["signer", signer],
    ["seal", seal],
  ] as const) {
    const page = pages[box.page]!;
    const field = ctx.register(
      ctx.obj({
        FT: "Sig",
        T: PDFString.of(name),
        Type: "Annot",
        Subtype: "Widget",
        F: 4,
        Rect: [box.x, box.y, box.x + box.width, box.y + box.height].map((v) => Math.round(v * 100) / 100),
        P: page.ref,
      }),
    );
    fields.push(field);
    const annots = page.node.lookup(PDFName.of("Annots"));
    if (annots instanceof PDFArray) annots.push(field);
    else page.node.set(PDFName.of("Annots"), ctx.obj([field]));
  }
  doc.catalog.set(PDFName.of("AcroForm"), ctx.obj({ Fields: fields, SigFlags: PDFNumber.of(1) }));
}
