import type { CoreData } from "./core-fields.ts";
import type { DocumentTemplate } from "./document-template.ts";
import { formatDateLine, formatDocumentDate, vietnamYear } from "../domain/document-number.ts";
import type { DocumentModel } from "./document-model.ts";
import { endWithClosingMark } from "./parse-body.ts";
import { punctuateList } from "./punctuate-list.ts";
import { mergeDistribution } from "../domain/merge-distribution.ts";

/** What the header needs from the issuing organisation. */
export type IssuerInfo = { name: string; symbol: string | null; place: string | null; governingBody: string | null };

export type BuildInput = {
  template: DocumentTemplate;
  /** Data already validated by `template.schema`. */
  data: unknown;
  issuer: IssuerInfo;
  /** Absent on a draft: the number and day are left blank for the clerk. */
  number?: { symbol: string; issuedAt: Date } | undefined;
  /** The draft's year (defaults to now). */
  now?: Date;
};

const upper = (s: string) => s.toLocaleUpperCase("vi");

/**
 * Tabs become spaces everywhere: the face has no tab glyph (a PDF would show a box) and a tab
 * inside a one-line field means nothing in the decree's layout. The body's parser does the same.
 */
function untab(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\t") ? value.replace(/\t/g, " ") : value;
  if (Array.isArray(value)) return value.map(untab);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untab(v)]));
  return value;
}

/** Builds the ND 30 layout model of a document. */
export function buildDocumentModel({ template, data, issuer: rawIssuer, number, now = new Date() }: BuildInput): DocumentModel {
  const d = untab(data) as CoreData;
  const issuer = untab(rawIssuer) as IssuerInfo;
  const parts = template.compose(d);
  const issuerSymbol = issuer.symbol ?? "";
  const blankSymbol = template.abbreviation ? `${template.abbreviation}-${issuerSymbol}` : [issuerSymbol, d.drafting_unit].filter(Boolean).join("-");
  // A draft leaves room for the number and the day, as clerks fill them in by hand on paper.
  const date = number ? formatDocumentDate(number.issuedAt) : `ngày      tháng      năm ${vietnamYear(now)}`;
  const decision = template.kind === "decision";
  // A công văn's recipients are "Như trên" in Nơi nhận; a decision's are listed there themselves
  // (or "Như Điều N", the article that names who carries it out, when it names none).
  const lead = decision ? (d.recipients.length ? d.recipients : (parts.defaultDistribution ?? [])) : template.abbreviation === null && d.recipients.length ? ["Như trên"] : [];
  const distribution = punctuateList(mergeDistribution({ lead, cc: d.cc, storage: `Lưu: VT${d.drafting_unit ? `, ${d.drafting_unit}` : ""}` }), { dash: true });
  return {
    template: template.name,
    typeName: template.typeName,
    parentBody: issuer.governingBody ? upper(issuer.governingBody) : null,
    issuerName: upper(issuer.name),
    symbolLine: number ? `Số: ${number.symbol}` : `Số:      /${blankSymbol}`,
    dateLine: formatDateLine(issuer.place, date),
    subject: d.subject,
    congVan: template.abbreviation === null,
    authorityLine: parts.authorityLine ?? null,
    bases: parts.bases ?? [],
    recipientsLabel: parts.recipientsLabel ?? "Kính gửi:",
    recipients: decision ? [] : d.recipients,
    body: endWithClosingMark(parts.body),
    signer: { authority: d.signer.authority ? upper(d.signer.authority) : null, title: upper(d.signer.title), name: d.signer.name },
    distribution,
    drafterLine: d.drafter_initials ? `${d.drafter_initials}${d.copies ? `.(${d.copies})` : ""}` : null,
    draft: !number,
  };
}
