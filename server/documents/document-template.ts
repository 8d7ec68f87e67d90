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
  schema: z.ZodType<CoreData>;
  /** Builds the type-specific parts of the model from validated data. */
  compose(data: CoreData): TemplateParts;
};
