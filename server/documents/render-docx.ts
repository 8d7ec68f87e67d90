/**
 * Renders a {@link DocumentModel} to an editable DOCX with the docx library: the same text as the
 * PDF, laid out the way Vietnamese offices build these letters in Word — borderless two-column
 * tables for the header and for Nơi nhận beside the signer, Times New Roman, A4 with the decree's
 * margins, page numbers in the header from page 2.
 */
import QRCode from "qrcode";
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  Textbox,
  WidthType,
  type IBordersOptions,
  type ParagraphChild,
} from "docx";
import type { DocumentModel, Run } from "./document-model.ts";
import { recipientsLayout } from "./recipients-layout.ts";
import {
  FIRST_LINE_INDENT,
  LEFT_COLUMN,
  LINE_HEIGHT,
  MARGIN,
  MOTTO,
  NATIONAL_TITLE,
  PAGE,
  PARAGRAPH_AFTER,
  RIGHT_COLUMN,
  SIGNER_COLUMN_X,
  SIZES,
  TEXT_WIDTH,
  dateLineSize,
  issuerRuleWidth,
  subjectRuleWidth,
} from "./page-geometry.ts";
import { textWidth } from "./text-measure.ts";

const FONT = "Times New Roman";
const tw = (pt: number) => Math.round(pt * 20);
const half = (pt: number) => pt * 2;
const NONE = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const NO_BORDERS: IBordersOptions = { top: NONE, bottom: NONE, left: NONE, right: NONE };
const TABLE_BORDERS = { ...NO_BORDERS, insideHorizontal: NONE, insideVertical: NONE };

function run(text: string, size: number, o: { bold?: boolean; italics?: boolean } = {}): TextRun {
  return new TextRun({ text, size: half(size), font: FONT, bold: o.bold ?? false, italics: o.italics ?? false });
}

function runsOf(runs: Run[], size: number): ParagraphChild[] {
  return runs.map((r) => run(r.text, size, { bold: r.style === "bold" || r.style === "boldItalic", italics: r.style === "italic" || r.style === "boldItalic" }));
}

const spacing = (after = 0, before = 0) => ({ after: tw(after), before: tw(before), line: Math.round(240 * LINE_HEIGHT), lineRule: LineRuleType.AUTO });

function centred(text: string, size: number, o: { bold?: boolean; italics?: boolean; after?: number; before?: number } = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: spacing(o.after ?? 0, o.before ?? 0), children: [run(text, size, o)] });
}

/** A short rule: an empty paragraph whose bottom border spans `width` points, centred in `column`. */
function rule(width: number, column: number): Paragraph {
  const side = Math.max(0, (column - width) / 2);
  return new Paragraph({
    spacing: { after: tw(2), before: 0, line: 40, lineRule: LineRuleType.EXACT },
    indent: { left: tw(side), right: tw(side) },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
    children: [],
  });
}

function cell(width: number, children: Paragraph[]): TableCell {
  return new TableCell({ width: { size: tw(width), type: WidthType.DXA }, borders: NO_BORDERS, children, margins: { left: 0, right: 0, top: 0, bottom: 0 } });
}

function twoColumns(leftW: number, rows: [Paragraph[], Paragraph[]][], cantSplit = false): Table {
  return new Table({
    width: { size: tw(TEXT_WIDTH), type: WidthType.DXA },
    columnWidths: [tw(leftW), tw(TEXT_WIDTH - leftW)],
    layout: TableLayoutType.FIXED,
    borders: TABLE_BORDERS,
    rows: rows.map(([l, r]) => new TableRow({ cantSplit, children: [cell(leftW, l), cell(TEXT_WIDTH - leftW, r)] })),
  });
}

export type RenderDocxOptions = {
  /** Verification code and URL: a QR code and the code at the foot of the last page, as in the PDF. */
  verify?: { code: string; url: string } | undefined;
};

/** The PDF's QR footer (render-pdf.ts): a 40 pt code 8 pt above the page's bottom edge at the left margin, 8 pt text beside it. */
const QR_SIZE = 40;
const QR_BOTTOM = 8;
const QR_TEXT = 8;

/**
 * The verification block where the PDF has it: a text box positioned on the page (in the bottom
 * margin at the left text edge) holding the QR code as a PNG and the code and URL beside it. Its
 * anchor follows the closing block, so it lands on the last page, like the PDF's.
 */
async function verificationFooter(verify: { code: string; url: string }): Promise<Paragraph> {
  // Four pixels a module: sharp when printed at the 40 pt the block is drawn at.
  const png = await QRCode.toBuffer(verify.url, { errorCorrectionLevel: "M", margin: 0, scale: 4, type: "png" });
  const px = Math.round((QR_SIZE * 96) / 72);
  const textW = TEXT_WIDTH - QR_SIZE - 6;
  const line = (text: string) => new Paragraph({ spacing: { before: 0, after: 0, line: tw(QR_TEXT * 1.3), lineRule: LineRuleType.EXACT }, children: [run(text, QR_TEXT)] });
  const table = new Table({
    width: { size: tw(QR_SIZE + 6 + textW), type: WidthType.DXA },
    columnWidths: [tw(QR_SIZE + 6), tw(textW)],
    layout: TableLayoutType.FIXED,
    borders: TABLE_BORDERS,
    rows: [
      new TableRow({
        children: [
          cell(QR_SIZE + 6, [
            new Paragraph({
              spacing: { before: 0, after: 0 },
              children: [
                new ImageRun({ type: "png", data: png, transformation: { width: px, height: px }, altText: { name: "QR", description: verify.url, title: "Mã QR xác thực" } }),
              ],
            }),
          ]),
          // Text lines level with the PDF's: the code's baseline 16 pt, the URL's 27 pt below the QR's top.
          cell(textW, [
            new Paragraph({ spacing: { before: 0, after: 0, line: tw(9), lineRule: LineRuleType.EXACT }, children: [] }),
            line(`Mã xác thực: ${verify.code}`),
            line(`Tra cứu: ${verify.url}`),
          ]),
        ],
      }),
    ],
  });
  return new Paragraph({
    spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT },
    children: [
      new Textbox({
        style: {
          position: "absolute",
          positionHorizontalRelative: "page",
          positionVerticalRelative: "page",
          marginLeft: `${MARGIN.left}pt`,
          marginTop: `${PAGE.height - QR_BOTTOM - QR_SIZE - 2}pt`,
          width: `${TEXT_WIDTH}pt`,
          height: `${QR_SIZE + 4}pt`,
          wrapStyle: "none",
        },
        children: [table],
      }),
    ],
  });
}

/** Renders the model to DOCX bytes; with `verify`, the QR code and verification code as on the PDF. */
export async function renderDocx(m: DocumentModel, options: RenderDocxOptions = {}): Promise<Uint8Array> {
  const rightW = RIGHT_COLUMN;
  const issuerWidth = Math.min(LEFT_COLUMN, textWidth("bold", m.issuerName, SIZES.issuer));
  const mottoWidth = textWidth("bold", MOTTO, SIZES.motto);
  const header = twoColumns(LEFT_COLUMN, [
    [
      [...(m.parentBody ? [centred(m.parentBody, SIZES.parentBody)] : []), centred(m.issuerName, SIZES.issuer, { bold: true }), rule(issuerRuleWidth(issuerWidth), LEFT_COLUMN)],
      [centred(NATIONAL_TITLE, SIZES.nationalTitle, { bold: true }), centred(MOTTO, SIZES.motto, { bold: true }), rule(mottoWidth, rightW)],
    ],
    [
      [centred(m.symbolLine, SIZES.symbol, { before: 8 }), ...(m.congVan ? [centred(`V/v ${m.subject}`, SIZES.congVanSubject, { before: 6 })] : [])],
      [centred(m.dateLine, dateLineSize(textWidth("italic", m.dateLine, SIZES.date)), { italics: true, before: 8 })],
    ],
  ]);

  const title: Paragraph[] = m.congVan
    ? [new Paragraph({ spacing: spacing(6), children: [] })]
    : [
        centred(m.typeName, SIZES.typeName, { bold: true, before: 16 }),
        centred(m.subject, SIZES.subject, { bold: true }),
        rule(subjectRuleWidth(textWidth("bold", m.subject, SIZES.subject)), TEXT_WIDTH),
      ];
  const authority = m.authorityLine ? [centred(m.authorityLine, SIZES.body, { bold: true, before: 8, after: 4 })] : [];

  const recipients: Paragraph[] = [];
  if (m.recipients.length) {
    const { items, offset, labelWidth } = recipientsLayout(m);
    items.forEach((item, i) =>
      recipients.push(
        new Paragraph({
          spacing: spacing(i === items.length - 1 ? 8 : 0),
          indent: { left: tw(offset + labelWidth), hanging: i === 0 ? tw(labelWidth) : 0 },
          children: i === 0 ? [run(`${m.recipientsLabel} `, SIZES.recipients), run(item, SIZES.recipients)] : [run(item, SIZES.recipients)],
        }),
      ),
    );
  }

  const bases = m.bases.map(
    (b, i) =>
      new Paragraph({
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: tw(FIRST_LINE_INDENT) },
        spacing: spacing(i === m.bases.length - 1 ? PARAGRAPH_AFTER : 0),
        children: [run(b, SIZES.body, { italics: true })],
      }),
  );
  const body = m.body.map(
    (b, i) =>
      new Paragraph({
        alignment: b.kind === "center" ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
        indent: b.kind === "center" ? {} : { firstLine: tw(FIRST_LINE_INDENT) },
        spacing: spacing(PARAGRAPH_AFTER),
        // The last two paragraphs travel with the signer block (no orphaned signature).
        keepNext: i >= m.body.length - 2,
        children: runsOf(b.runs, SIZES.body),
      }),
  );

  const signerLines = [...(m.signer.authority ? [m.signer.authority] : []), m.signer.title];
  const signer = [
    ...signerLines.map((t, i) => centred(t, SIZES.signer, { bold: true, before: i === 0 ? 10 : 0 })),
    ...Array.from({ length: 4 }, () => new Paragraph({ spacing: spacing(), children: [run("", SIZES.signer)] })),
    centred(m.signer.name, SIZES.signer, { bold: true }),
  ];
  const distribution = [
    new Paragraph({ spacing: spacing(0, 10), children: [run("Nơi nhận:", SIZES.distributionLabel, { bold: true, italics: true })] }),
    ...m.distribution.map((d) => new Paragraph({ spacing: { after: 0, before: 0 }, children: [run(d, SIZES.distribution)] })),
    ...(m.drafterLine ? [new Paragraph({ spacing: { before: tw(4) }, children: [run(m.drafterLine, SIZES.drafter)] })] : []),
  ];
  // The signer and Nơi nhận stay on one page, unless the list is too long for any page: a row
  // that may not split but is taller than a page is clipped by Word.
  const closing = twoColumns(SIGNER_COLUMN_X - MARGIN.left, [[distribution, signer]], m.distribution.length <= 30);

  const doc = new Document({
    creator: "chidao",
    title: m.congVan ? `V/v ${m.subject}` : `${m.typeName} ${m.subject}`,
    styles: { default: { document: { run: { font: FONT, size: half(SIZES.body) } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: tw(MARGIN.top), bottom: tw(MARGIN.bottom), left: tw(MARGIN.left), right: tw(MARGIN.right), header: tw(MARGIN.top / 2 - 6), footer: 0 },
          },
        },
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: half(SIZES.pageNumber), font: FONT })] })],
          }),
        },
        children: [header, ...title, ...authority, ...recipients, ...bases, ...body, closing, ...(options.verify ? [await verificationFooter(options.verify)] : [])],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
