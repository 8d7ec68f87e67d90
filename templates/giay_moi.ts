/** Giấy mời (GM), Mẫu 1.7: "trân trọng kính mời", then what, when, where and who chairs. */
import { z } from "zod";
import type { BodyBlock } from "../server/documents/document-model.ts";
import { parseBody } from "../server/documents/parse-body.ts";
import { coreShape, docText, type CoreData } from "../server/documents/core-fields.ts";
import type { DocumentTemplate } from "../server/documents/document-template.ts";

const GiayMoiSchema = z
  .object({
    ...coreShape,
    recipients: z
      .array(docText({ max: 300 }))
      .min(1)
      .max(200),
    time: docText({ max: 300 }),
    place: docText({ max: 300 }),
    chair: docText({ max: 300 }).optional(),
  })
  .strict();

const labelled = (label: string, value: string): BodyBlock => ({
  kind: "paragraph",
  runs: [
    { text: `${label}: `, style: "bold" },
    { text: value, style: "regular" },
  ],
});

export const giayMoi: DocumentTemplate = {
  name: "giay_moi",
  label: "Giấy mời",
  typeName: "GIẤY MỜI",
  abbreviation: "GM",
  schema: GiayMoiSchema,
  compose(data: CoreData) {
    const d = data as CoreData & z.infer<typeof GiayMoiSchema>;
    return {
      recipientsLabel: "Trân trọng kính mời:",
      body: [...parseBody(d.body), labelled("Thời gian", d.time), labelled("Địa điểm", d.place), ...(d.chair ? [labelled("Chủ trì", d.chair)] : [])],
    };
  },
};
