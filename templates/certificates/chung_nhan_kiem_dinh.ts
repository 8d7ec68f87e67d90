/**
 * Chứng nhận trường đạt kiểm định chất lượng giáo dục, valid five years from the decision. Two
 * wordings: the 2018 regime (TT 17, 18, 19/2018: cấp độ 1–4) and its 2026 successor (TT 57/2026:
 * two levels). The wording of each is data here, not layout: it is the part a province may word
 * differently and the part the 2026 circular changed. [The exact official wording is unverified.]
 */
import { z } from "zod";
import type { CertificateTemplate } from "../../server/documents/certificate/certificate-template.ts";
import { commonParts, dateField, fiveYearsAfter, levelField, optionalText, shortDate, signerAliases, signerFields, text, type SignerData } from "./certificate-fields.ts";

/** Each regime's wording and highest level. */
export const ACCREDITATION_WORDING = {
  "2018": { maxLevel: 4, statement: (level: number) => `ĐẠT KIỂM ĐỊNH CHẤT LƯỢNG GIÁO DỤC CẤP ĐỘ ${level}`, basis: "Theo quy định tại Thông tư số 18/2018/TT-BGDĐT" },
  "2026": { maxLevel: 2, statement: (level: number) => `ĐẠT KIỂM ĐỊNH CHẤT LƯỢNG GIÁO DỤC MỨC ${level}`, basis: "Theo quy định tại Thông tư số 57/2026/TT-BGDĐT" },
} as const;

const ChungNhanSchema = z
  .object({
    school: text(200),
    /** Xã/phường and tỉnh/thành phố of the school. */
    address: optionalText(200),
    /** Which regime's wording: "2018" or "2026". */
    regime: z.preprocess((v) => (typeof v === "number" ? String(v) : typeof v === "string" && v.trim() === "" ? undefined : v), z.enum(["2018", "2026"]).default("2018")),
    level: levelField(1, 4),
    /** Circular cited under the statement, when not the regime's usual one (e.g. "17/2018/TT-BGDĐT" for a primary school). */
    circular: optionalText(60),
    /** Last day of validity; five years after the decision when absent. */
    valid_until: dateField().optional(),
    ...signerFields,
  })
  .strict()
  .refine((d) => d.level <= ACCREDITATION_WORDING[d.regime].maxLevel, { path: ["level"], message: "the 2026 regime has levels 1 and 2" });

type ChungNhanData = z.infer<typeof ChungNhanSchema> & SignerData;

export const chungNhanKiemDinh: CertificateTemplate = {
  kind: "certificate",
  name: "chung_nhan_kiem_dinh",
  label: "Chứng nhận kiểm định chất lượng giáo dục",
  typeName: "CHỨNG NHẬN",
  abbreviation: "GCN",
  schema: ChungNhanSchema,
  aliases: {
    school: ["Tên trường", "Trường", "Cơ sở giáo dục"],
    address: ["Địa chỉ", "Địa bàn"],
    regime: ["Quy định", "Chế độ", "Năm quy định"],
    level: ["Cấp độ", "Mức", "Mức độ"],
    circular: ["Thông tư"],
    valid_until: ["Có giá trị đến", "Hiệu lực đến"],
    ...signerAliases,
  },
  build(data, { issuer, symbol }) {
    const d = data as ChungNhanData;
    const wording = ACCREDITATION_WORDING[d.regime];
    const until = d.valid_until ? shortDate(d.valid_until) : fiveYearsAfter(d.decision_date);
    return {
      ...commonParts(d, issuer, symbol, "GCN"),
      preTitle: null,
      title: "CHỨNG NHẬN",
      recipientLabel: null,
      recipient: d.school,
      lines: [
        ...(d.address ? [{ text: d.address, style: "regular" as const, size: 16 }] : []),
        { text: wording.statement(d.level), style: "bold" as const, size: 19 },
        { text: d.circular ? `Theo quy định tại Thông tư số ${d.circular}` : wording.basis, style: "italic" as const, size: 14 },
        { text: `Giấy chứng nhận có giá trị 05 năm, đến ngày ${until}`, style: "italic" as const, size: 14 },
      ],
      draft: symbol === null,
    };
  },
  recipient: (d) => (d as ChungNhanData).school,
  group: () => null,
  reason: (d) => {
    const c = d as ChungNhanData;
    return ACCREDITATION_WORDING[c.regime].statement(c.level).toLocaleLowerCase("vi").replace(/^đạt/u, "Đạt");
  },
};
