import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type PDFFont } from "pdf-lib";
import QRCode from "qrcode";
import { serifFonts } from "../../documents/font.ts";
import { CHANNEL_KINDS, linkUrlField, type ChannelKind } from "../../domain/channel.ts";
import { t, type Locale } from "../../i18n.ts";
import type { LinkCodeJson } from "./create-link-code.ts";

export type LinkCard = { orgName: string; orgCode: string; personName: string; link: LinkCodeJson };

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 28;
const COLS = 2;
const ROWS = 3;

/** Cuts `text` to fit `width` at `size`, with an ellipsis. */
function fit(font: PDFFont, text: string, size: number, width: number): string {
  let s = text.normalize("NFC");
  if (font.widthOfTextAtSize(s, size) <= width) return s;
  while (s.length > 1 && font.widthOfTextAtSize(`${s}…`, size) > width) s = s.slice(0, -1);
  return `${s}…`;
}

/**
 * The sheet a văn thư hands out at a meeting: one card per school (six to an A4 page, cut along
 * the frames) with the school, the principal's name, the single-use code, and for each enabled
 * channel a QR code of its way in (Telegram's deep link carries the code; Zalo's follow link is
 * followed by sending the code), or the instruction where a channel has no link (the Zalo Bot).
 */
export async function renderLinkSheet(cards: LinkCard[], enabled: readonly ChannelKind[], locale: Locale): Promise<Uint8Array> {
  const tr = (key: string, params?: Record<string, unknown>) => t(locale, `web.link_sheet.${key}`, params);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const fonts = serifFonts();
  const regular = await pdf.embedFont(fonts.regular.bytes, { subset: true });
  const bold = await pdf.embedFont(fonts.bold.bytes, { subset: true });
  pdf.setTitle(tr("title"));
  const w = (A4[0] - 2 * MARGIN) / COLS;
  const h = (A4[1] - 2 * MARGIN) / ROWS;
  const channels = CHANNEL_KINDS.filter((k) => enabled.includes(k));
  for (let i = 0; i < cards.length; i++) {
    const card = cards[i]!;
    if (i % (COLS * ROWS) === 0) pdf.addPage(A4);
    const page = pdf.getPages().at(-1)!;
    const slot = i % (COLS * ROWS);
    const x = MARGIN + (slot % COLS) * w;
    const top = A4[1] - MARGIN - Math.floor(slot / COLS) * h;
    page.drawRectangle({ x: x + 4, y: top - h + 4, width: w - 8, height: h - 8, borderColor: rgb(0.55, 0.55, 0.55), borderWidth: 0.6, borderDashArray: [4, 3] });
    const inner = w - 28;
    let y = top - 26;
    const line = (s: string, font: PDFFont, size: number) => {
      page.drawText(fit(font, s, size, inner), { x: x + 14, y, size, font });
      y -= size + 5;
    };
    line(card.orgName, bold, 12);
    line(`${tr("principal")}: ${card.personName}`, regular, 10.5);
    line(`${tr("code")}: ${card.link.code}`, bold, 10.5);
    line(tr("expires", { date: card.link.expires_at.slice(0, 10).split("-").reverse().join("/") }), regular, 9);
    y -= 4;
    const qrSize = Math.min(96, (inner - 10 * (channels.length - 1)) / Math.max(channels.length, 1));
    let qx = x + 14;
    for (const kind of channels) {
      const url = card.link[linkUrlField(kind)];
      page.drawText(fit(bold, t(locale, `web.channels.${kind.toLowerCase()}`), 9, qrSize + 6), { x: qx, y, size: 9, font: bold });
      if (url) {
        const png = await pdf.embedPng(await QRCode.toBuffer(url, { errorCorrectionLevel: "M", margin: 1, width: 256 }));
        page.drawImage(png, { x: qx, y: y - 6 - qrSize, width: qrSize, height: qrSize });
      } else {
        const words = tr("no_link", { code: card.link.code }).split(" ");
        let ty = y - 16;
        let current = "";
        for (const word of words) {
          const next = current ? `${current} ${word}` : word;
          if (regular.widthOfTextAtSize(next, 8) > qrSize) {
            page.drawText(current, { x: qx, y: ty, size: 8, font: regular });
            ty -= 10;
            current = word;
          } else current = next;
        }
        if (current) page.drawText(current, { x: qx, y: ty, size: 8, font: regular });
      }
      qx += qrSize + 10;
    }
    page.drawText(fit(regular, tr("how"), 8, inner), { x: x + 14, y: top - h + 16, size: 8, font: regular, color: rgb(0.3, 0.3, 0.3) });
  }
  if (!cards.length) pdf.addPage(A4).drawText(tr("none"), { x: MARGIN, y: A4[1] - MARGIN - 20, size: 12, font: regular });
  return pdf.save();
}
