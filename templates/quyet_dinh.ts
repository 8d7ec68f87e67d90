/**
 * Quyết định (QĐ), Mẫu 1.2/1.3: the issuing authority, căn cứ (italic, ";" then "."), an optional
 * "Xét đề nghị…" paragraph (the core body; most decisions are căn cứ and articles only),
 * "QUYẾT ĐỊNH:", then Điều 1., Điều 2., … No "Kính gửi": recipients head Nơi nhận, which starts
 * "Như Điều N" (the last article, by custom the one naming who carries the decision out) when the
 * decision names none.
 */
import { z } from "zod";
import type { BodyBlock } from "../server/documents/document-model.ts";
import { parseBody, parseRuns } from "../server/documents/parse-body.ts";
import { bodyText, coreShape, docText, MAX_BODY_LINES, type CoreData } from "../server/documents/core-fields.ts";
import type { DocumentTemplate } from "../server/documents/document-template.ts";
import { punctuateList } from "../server/documents/punctuate-list.ts";

const QuyetDinhSchema = z
  .object({
    ...coreShape,
    body: bodyText(20_000).optional(),
    /** e.g. "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO". */
    authority: docText({ max: 200 }),
    bases: z
      .array(docText({ max: 1000 }))
      .min(1)
      .max(50),
    articles: z
      .array(bodyText(50_000))
      .min(1)
      .max(100)
      // Each article may be long, but not a hundred of them: the decision as a whole stays within a letter's limits.
      .refine((a) => a.reduce((n, t) => n + t.length, 0) <= 100_000, { params: { messageKey: "errors.field.too_much_text" }, message: "more than 100,000 characters in all" })
      .refine((a) => a.reduce((n, t) => n + t.split("\n").filter((l) => l.trim()).length, 0) <= MAX_BODY_LINES, {
        params: { messageKey: "errors.field.too_many_lines" },
        message: `more than ${MAX_BODY_LINES} lines in all`,
      }),
  })
  .strict();

export const quyetDinh: DocumentTemplate = {
  name: "quyet_dinh",
  label: "Quyết định",
  typeName: "QUYẾT ĐỊNH",
  abbreviation: "QĐ",
  kind: "decision",
  schema: QuyetDinhSchema as unknown as DocumentTemplate["schema"],
  compose(data: CoreData) {
    const d = data as unknown as z.infer<typeof QuyetDinhSchema>;
    const articles: BodyBlock[] = d.articles.flatMap((text, i) => {
      const [first, ...rest] = parseBody(text);
      const head: BodyBlock = { kind: "paragraph", runs: [{ text: `Điều ${i + 1}. `, style: "bold" }, ...(first?.runs ?? [])] };
      return [head, ...rest];
    });
    return {
      authorityLine: d.authority.toUpperCase(),
      bases: punctuateList(d.bases, { dash: false }),
      defaultDistribution: [`Như Điều ${d.articles.length}`],
      body: [
        ...(d.body ? parseBody(d.body).map((b) => ({ ...b, runs: b.runs.map((r) => ({ ...r, style: r.style === "regular" ? ("italic" as const) : r.style })) })) : []),
        { kind: "center" as const, runs: parseRuns("QUYẾT ĐỊNH:", "bold") },
        ...articles,
      ],
    };
  },
};
