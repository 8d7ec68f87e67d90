import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { serifFonts } from "../../documents/font.ts";
import { padNumber } from "../../domain/document-number.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";
import { t, type Locale } from "../../i18n.ts";
import type { AcknowledgementRow } from "./find-acknowledgements.ts";
import type { RecipientRow } from "./find-directive-recipients.ts";

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const MARGIN = 40;
const SIZE = 9.5;
const LINE = 13;

const stamp = (d: Date) => {
  const v = vietnamTime(d);
  return `${padNumber(v.hour)}:${padNumber(v.minute)}:${padNumber(d.getUTCSeconds())} ${padNumber(v.day)}/${padNumber(v.month)}/${v.year}`;
};

/** Cuts `text` to lines no wider than `width` (words; a word too long is cut by characters). */
function wrap(font: PDFFont, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.normalize("NFC").split(/\r?\n/)) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, SIZE) <= width) line = next;
      else {
        if (line) lines.push(line);
        let w = word;
        while (font.widthOfTextAtSize(w, SIZE) > width && w.length > 1) {
          let cut = w.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(w.slice(0, cut), SIZE) > width) cut--;
          lines.push(w.slice(0, cut));
          w = w.slice(cut);
        }
        line = w;
      }
    }
    lines.push(line);
  }
  return lines.length ? lines : [""];
}

export type AcknowledgementReportInput = {
  title: string;
  issuerName: string | null;
  publishedAt: Date | null;
  deadline: Date | null;
  acknowledgements: AcknowledgementRow[];
  /** Every delivery, to list who has not acknowledged. */
  recipients: RecipientRow[];
  locale: Locale;
  now?: Date;
};

/**
 * The evidence an office files for a directive: who acknowledged, when (to the second, Vietnam
 * time), on which channel, how (button, words) and with which raw reply, then who has not. A4
 * landscape, Liberation Serif (full Vietnamese), produced with pdf-lib.
 */
export async function renderAcknowledgementReport(o: AcknowledgementReportInput): Promise<Uint8Array> {
  const tr = (key: string, params?: Record<string, unknown>) => t(o.locale, `web.report.${key}`, params);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const fonts = serifFonts();
  const regular = await pdf.embedFont(fonts.regular.bytes, { subset: true });
  const bold = await pdf.embedFont(fonts.bold.bytes, { subset: true });
  pdf.setTitle(`${tr("title")}: ${o.title}`);
  pdf.setCreator("chidao");
  let page: PDFPage = pdf.addPage(A4_LANDSCAPE);
  let y = A4_LANDSCAPE[1] - MARGIN;
  const text = (s: string, x: number, font = regular, size = SIZE) => page.drawText(s.normalize("NFC"), { x, y, size, font, color: rgb(0, 0, 0) });
  const newPage = () => {
    page = pdf.addPage(A4_LANDSCAPE);
    y = A4_LANDSCAPE[1] - MARGIN;
  };

  text(tr("title"), MARGIN, bold, 14);
  y -= 20;
  for (const line of wrap(bold, o.title, A4_LANDSCAPE[0] - 2 * MARGIN)) {
    text(line, MARGIN, bold, 11);
    y -= 15;
  }
  const facts = [
    o.issuerName ? `${tr("issuer")}: ${o.issuerName}` : null,
    o.publishedAt ? `${tr("published")}: ${stamp(o.publishedAt)}` : null,
    o.deadline ? `${tr("deadline")}: ${stamp(o.deadline)}` : null,
    `${tr("generated")}: ${stamp(o.now ?? new Date())}`,
    tr("summary", { acknowledged: o.acknowledgements.length, total: new Set(o.recipients.map((r) => r.person_id)).size }),
  ].filter((x): x is string => x !== null);
  for (const f of facts) {
    text(f, MARGIN);
    y -= LINE;
  }
  y -= 8;

  const columns = [
    { key: "no", width: 28 },
    { key: "school", width: 170 },
    { key: "principal", width: 120 },
    { key: "at", width: 92 },
    { key: "channel", width: 62 },
    { key: "source", width: 50 },
    { key: "raw", width: A4_LANDSCAPE[0] - 2 * MARGIN - 28 - 170 - 120 - 92 - 62 - 50 },
  ];
  const table = (rows: string[][]) => {
    const header = () => {
      let x = MARGIN;
      for (const c of columns) {
        text(tr(`col.${c.key}`), x + 2, bold);
        x += c.width;
      }
      y -= 4;
      page.drawLine({ start: { x: MARGIN, y }, end: { x: A4_LANDSCAPE[0] - MARGIN, y }, thickness: 0.6 });
      y -= LINE;
    };
    header();
    for (const row of rows) {
      const cells = row.map((cell, i) => wrap(regular, cell, columns[i]!.width - 6));
      const height = Math.max(...cells.map((c) => c.length)) * LINE;
      if (y - height < MARGIN) {
        newPage();
        header();
      }
      let x = MARGIN;
      cells.forEach((lines, i) => {
        lines.forEach((line, n) => page.drawText(line, { x: x + 2, y: y - n * LINE, size: SIZE, font: regular }));
        x += columns[i]!.width;
      });
      y -= height + 3;
    }
  };

  text(tr("acknowledged_heading"), MARGIN, bold, 11);
  y -= 16;
  if (o.acknowledgements.length) {
    table(
      o.acknowledgements.map((a, i) => [
        String(i + 1),
        `${a.org_name} (${a.org_code})`,
        a.person_name,
        stamp(a.at),
        t(o.locale, `web.channels.${a.channel}`),
        t(o.locale, `web.report.source.${a.source}`),
        a.raw,
      ]),
    );
  } else {
    text(tr("none"), MARGIN);
    y -= LINE;
  }

  const acknowledgedPeople = new Set(o.recipients.filter((r) => r.acknowledged_at).map((r) => r.person_id));
  const pending = new Map<number, RecipientRow[]>();
  for (const r of o.recipients) if (!acknowledgedPeople.has(r.person_id)) pending.set(r.person_id, [...(pending.get(r.person_id) ?? []), r]);
  y -= 10;
  if (y < MARGIN + 60) newPage();
  text(tr("pending_heading", { count: pending.size }), MARGIN, bold, 11);
  y -= 16;
  if (pending.size) {
    table(
      [...pending.values()].map((rs, i) => {
        const r = rs[0]!;
        return [
          String(i + 1),
          `${r.org_name} (${r.org_code})`,
          r.person_name,
          r.sent_at ? stamp(new Date(r.sent_at)) : "",
          rs.map((x) => t(o.locale, `web.channels.${x.channel}`)).join(", "),
          "",
          rs.map((x) => t(o.locale, `web.delivery.${x.status}`) + (x.last_error ? `: ${x.last_error}` : "")).join("; "),
        ];
      }),
    );
  } else {
    text(tr("none"), MARGIN);
  }
  const pages = pdf.getPages();
  pages.forEach((p, i) => p.drawText(`${i + 1}/${pages.length}`, { x: A4_LANDSCAPE[0] - MARGIN - 30, y: 20, size: 8, font: regular }));
  return pdf.save();
}
