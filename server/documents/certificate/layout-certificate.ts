/**
 * Draws one certificate page as a content stream: text laid out with the letters' shaped-word cache
 * (process-wide CIDs, so the file's fonts are subset once over all its pages), the frame and the
 * emblem by name (one XObject each per file), the verification QR as vector squares.
 */
import QRCode from "qrcode";
import type { FontStyle } from "../font.ts";
import { breakLines, type Line } from "../layout.ts";
import { GlyphUse } from "../pdf-fonts.ts";
import { shape, shapeUncached } from "../text-measure.ts";
import { CONTENT_WIDTH, INSET, LANDSCAPE } from "./certificate-geometry.ts";
import { MOTTO, NATIONAL_TITLE, type CertificateModel } from "./certificate-model.ts";

export const FONT_KEY: Record<FontStyle, string> = { regular: "F1", bold: "F2", italic: "F3", boldItalic: "F4" };
export type GlyphUses = Record<FontStyle, GlyphUse>;
export const newGlyphUses = (): GlyphUses => ({ regular: new GlyphUse(), bold: new GlyphUse(), italic: new GlyphUse(), boldItalic: new GlyphUse() });

export type CertificatePageOptions = {
  verify?: { code: string; url: string } | undefined;
  /** Size of the file's emblem, drawn top left when given. */
  emblem?: { width: number; height: number } | null | undefined;
};

const n = (v: number) => (Math.round(v * 100) / 100).toString();
const RED_TEXT = "0.62 0.05 0.05 rg";

/** Drawing operators of one page and the glyphs they use. */
export class Page {
  readonly ops: string[] = [];
  constructor(readonly use: GlyphUses) {}

  line(line: Line, x: number, y: number, width: number): void {
    if (!line.atoms.length) return;
    let op = `BT 1 0 0 1 ${n(x + (width - line.width) / 2)} ${n(y)} Tm `;
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
        op += `/${FONT_KEY[a.style]} ${line.size} Tf `;
      }
      this.use[a.style].add(a.word.cids, a.word.chars);
      tj += a.word.literal;
      if (a.space && i < line.atoms.length - 1) {
        const sp = shape(a.style, " ");
        this.use[a.style].add(sp.cids, sp.chars);
        tj += sp.literal;
      }
    });
    flush();
    this.ops.push(`${op}ET`);
  }

  /** Centred, wrapped text from baseline `y` down; returns the baseline of the next line. */
  centred(text: string, style: FontStyle, size: number, x: number, width: number, y: number, leading = 1.3): number {
    for (const l of breakLines([{ text, style }], size, width)) {
      this.line(l, x, y, width);
      y -= size * leading;
    }
    return y;
  }
}

/** One line of words shaped without the word cache (strings unique to one certificate), not wrapped. */
export function onceLine(text: string, style: FontStyle, size: number): Line {
  const atoms = text.split(" ").map((t, i, all) => ({ style, word: shapeUncached(style, t), text: t, space: i < all.length - 1 }));
  const space = shape(style, " ").w1000;
  const w1000 = atoms.reduce((w, a) => w + a.word.w1000, 0) + space * (atoms.length - 1);
  return { atoms, size, width: (w1000 * size) / 1000, gaps: atoms.length - 1, last: true };
}

/** A QR code as filled rectangles, one per run of dark modules in a row. */
function qrPath(text: string, x: number, y: number, size: number): string {
  // One byte segment and a fixed mask: qrcode's search for the shortest segmentation and the best
  // mask was most of a certificate's layout time; any mask is valid and a URL is bytes anyway.
  const qr = QRCode.create([{ data: Buffer.from(text, "utf8"), mode: "byte" }], { errorCorrectionLevel: "M", maskPattern: 2 });
  const count = qr.modules.size;
  const cell = size / count;
  let path = "";
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && qr.modules.get(row, col)) col++;
      path += `${n(x + start * cell)} ${n(y + (count - 1 - row) * cell)} ${n((col - start) * cell + 0.01)} ${n(cell + 0.01)} re `;
    }
  }
  return `0 g ${path}f`;
}

/** The page's content stream and the glyphs it used (added to `use`). */
export function layoutCertificate(m: CertificateModel, use: GlyphUses, o: CertificatePageOptions = {}): string {
  const { width: W } = LANDSCAPE;
  const p = new Page(use);
  p.ops.push("q /Border Do Q");
  if (m.draft) {
    const mark = shape("bold", "DỰ THẢO");
    use.bold.add(mark.cids, mark.chars);
    p.ops.push(`q 0.85 g BT 0.94 0.34 -0.34 0.94 ${n(W / 2 - 250)} 150 Tm /F2 110 Tf <${mark.hex}> Tj ET Q`);
  }
  if (o.emblem) {
    const box = 72;
    const scale = Math.min(box / o.emblem.width, box / o.emblem.height);
    const w = o.emblem.width * scale;
    const h = o.emblem.height * scale;
    p.ops.push(`q ${n(w)} 0 0 ${n(h)} ${n(INSET + 16 + (box - w) / 2)} ${n(LANDSCAPE.height - INSET - 12 - box + (box - h) / 2)} cm /Emblem Do Q`);
  }
  p.ops.push("0 g");
  const x = INSET;
  const cw = CONTENT_WIDTH;
  let y = p.centred(NATIONAL_TITLE, "bold", 13, x, cw, 518);
  const motto = breakLines([{ text: MOTTO, style: "bold" }], 14, cw)[0]!;
  p.line(motto, x, y + 1, cw);
  p.ops.push(`0.6 w 0 G ${n(x + (cw - motto.width) / 2)} ${n(y - 6.5)} m ${n(x + (cw + motto.width) / 2)} ${n(y - 6.5)} l S`);
  y = p.centred(m.authority, "bold", 15, x + cw * 0.1, cw * 0.8, y - 30);
  if (m.preTitle) y = p.centred(m.preTitle, "bold", 16, x, cw, y - 4);
  p.ops.push(RED_TEXT);
  y = p.centred(m.title, "bold", 40, x, cw, y - 34);
  p.ops.push("0 g");
  const runs = m.recipientLabel
    ? [
        { text: `${m.recipientLabel} `, style: "italic" as const },
        { text: m.recipient, style: "bold" as const },
      ]
    : [{ text: m.recipient, style: "bold" as const }];
  y += 4;
  for (const l of breakLines(runs, 24, cw * 0.9)) {
    p.line(l, x + cw * 0.05, y, cw * 0.9);
    y -= 30;
  }
  y -= 2;
  for (const l of m.lines) y = p.centred(l.text, l.style, l.size, x + cw * 0.08, cw * 0.84, y, 1.35);

  // Signer (right) and the decision and number (left) share the bottom of the page.
  const rightX = W / 2 + 20;
  const rightW = W - INSET - rightX;
  let ry = p.centred(m.dateLine, "italic", 14, rightX, rightW, 196);
  for (const t of [...(m.signer.authority ? [m.signer.authority] : []), m.signer.title]) ry = p.centred(t, "bold", 14, rightX, rightW, ry - 2, 1.25);
  p.centred(m.signer.name, "bold", 15, rightX, rightW, 78);
  const leftX = INSET + 14;
  const leftW = rightX - leftX - 30;
  let ly = 170;
  for (const [k, line] of m.footer.entries()) {
    // The last footer line is the register number, unique to this certificate.
    for (const l of k === m.footer.length - 1 ? [onceLine(line, "regular", 12)] : breakLines([{ text: line, style: "regular" }], 12, leftW)) {
      p.line(l, leftX, ly, l.width);
      ly -= 15;
    }
  }
  if (o.verify) {
    const qr = 62;
    const qy = 60;
    p.ops.push(qrPath(o.verify.url, leftX, qy, qr));
    for (const [text, dy] of [
      [`Mã xác thực: ${o.verify.code}`, 36],
      [o.verify.url, 24],
    ] as const) {
      const l = onceLine(text, "regular", 8);
      p.line(l, leftX + qr + 8, qy + dy, l.width);
    }
  }
  return p.ops.join("\n");
}
