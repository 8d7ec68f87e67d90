/**
 * What a document template is: its type name and abbreviation (ND 30 Phụ lục III), the fields it
 * accepts as a zod schema (a missing or wrong field is a 422 naming it), and how its fields become
 * the parts of the layout model that differ between types.
 */
import type { z } from "zod";
import type { BodyBlock } from "./document-model.ts";
import type { CoreData } from "./core-fields.ts";

export type TemplateParts = {
  body: BodyBlock[];
  recipientsLabel?: string;
  authorityLine?: string | null;
  bases?: string[];
  /** Nơi nhận's first line when the document names no recipients, e.g. "Như Điều 3" (a decision). */
  defaultDistribution?: string[];
};

export type DocumentTemplate = {
  /** Identifier used by the API, e.g. "cong_van". */
  name: string;
  /** Vietnamese name for forms, e.g. "Công văn". */
  label: string;
  /** Tên loại printed in ô 5a (upper case); empty for công văn. */
  typeName: string;
  /** Abbreviation in số/ký hiệu (TB, CT, KH, GM, BC, QĐ); null for công văn. */
  abbreviation: string | null;
  /**
   * "decision" (quyết định, Mẫu 1.2/1.3): no "Kính gửi" (ND 30 gives a decision none); its recipients
   * head Nơi nhận instead. Absent: a letter, whose recipients follow "Kính gửi:" (ô 9a).
   */
  kind?: "letter" | "decision";
  schema: z.ZodType<CoreData>;
  /** Builds the type-specific parts of the model from validated data. */
  compose(data: CoreData): TemplateParts;
};
