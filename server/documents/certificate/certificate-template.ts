/**
 * What a certificate template is: its fields as one flat zod object (a spreadsheet row maps onto it
 * column by column, and the documents API sends the same object as `data`), the Vietnamese column
 * headings it also accepts, and how validated data becomes a {@link CertificateModel}.
 */
import type { z } from "zod";
import type { IssuerInfo } from "../build-document-model.ts";
import type { CertificateModel } from "./certificate-model.ts";

export type CertificateData = Record<string, unknown>;

export type CertificateContext = {
  issuer: IssuerInfo;
  /** Số/ký hiệu in the register; null on a draft. */
  symbol: string | null;
};

export type CertificateTemplate = {
  kind: "certificate";
  /** Identifier used by the API, e.g. "giay_khen". */
  name: string;
  label: string;
  /** The title printed on the certificate, e.g. "GIẤY KHEN". */
  typeName: string;
  /** Code in số/ký hiệu and the default register series (the kind's own sequence), e.g. "GK". */
  abbreviation: string;
  schema: z.ZodType<CertificateData>;
  /** Field name → headings a spreadsheet may use instead (compared without case, accents or punctuation). */
  aliases: Record<string, string[]>;
  build(data: CertificateData, ctx: CertificateContext): CertificateModel;
  /** Who receives it (list, file names, register). */
  recipient(data: CertificateData): string;
  /** The unit or class it is grouped under on a ceremony list, or null. */
  group(data: CertificateData): string | null;
  /** What for, in one line (the list's last column and the register's trích yếu). */
  reason(data: CertificateData): string;
};
