/**
 * Renders a {@link DocumentModel} to an editable DOCX with the docx library: the same text as the
 * PDF, laid out the way Vietnamese offices build these letters in Word — borderless two-column
 * tables for the header and for Nơi nhận beside the signer, Times New Roman, A4 with the decree's
 * margins, page numbers in the header from page 2.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
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

/** Renders the model to DOCX bytes. */
export async function renderDocx(m: DocumentModel): Promise<Uint8Array> {
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
        children: [header, ...title, ...authority, ...recipients, ...bases, ...body, closing],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
