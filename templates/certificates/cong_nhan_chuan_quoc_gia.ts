/**
 * Bằng công nhận trường đạt chuẩn quốc gia, mức độ 1 or 2, valid five years from the decision
 * (VANBAN.md §4.1).
 */
import { z } from "zod";
import type { CertificateTemplate } from "../../server/documents/certificate/certificate-template.ts";
import { commonParts, dateField, fiveYearsAfter, levelField, optionalText, shortDate, signerAliases, signerFields, text, type SignerData } from "./certificate-fields.ts";

const CongNhanSchema = z
  .object({
    school: text(200),
    address: optionalText(200),
    level: levelField(1, 2),
    valid_until: dateField().optional(),
    ...signerFields,
  })
  .strict();

type CongNhanData = z.infer<typeof CongNhanSchema> & SignerData;

export const congNhanChuanQuocGia: CertificateTemplate = {
  kind: "certificate",
  name: "cong_nhan_chuan_quoc_gia",
  label: "Bằng công nhận trường đạt chuẩn quốc gia",
  typeName: "BẰNG CÔNG NHẬN",
  abbreviation: "BCN",
  schema: CongNhanSchema,
  aliases: {
    school: ["Tên trường", "Trường", "Cơ sở giáo dục"],
    address: ["Địa chỉ", "Địa bàn"],
    level: ["Mức độ", "Mức"],
    valid_until: ["Có giá trị đến", "Hiệu lực đến"],
    ...signerAliases,
  },
  build(data, { issuer, symbol }) {
    const d = data as CongNhanData;
    const until = d.valid_until ? shortDate(d.valid_until) : fiveYearsAfter(d.decision_date);
    return {
      ...commonParts(d, issuer, symbol, "BCN"),
      preTitle: null,
      title: "BẰNG CÔNG NHẬN",
      recipientLabel: null,
      recipient: d.school,
      lines: [
        ...(d.address ? [{ text: d.address, style: "regular" as const, size: 16 }] : []),
        { text: `ĐẠT CHUẨN QUỐC GIA MỨC ĐỘ ${d.level}`, style: "bold" as const, size: 20 },
        { text: `Bằng công nhận có giá trị 05 năm, đến ngày ${until}`, style: "italic" as const, size: 14 },
      ],
      draft: symbol === null,
    };
  },
  recipient: (d) => (d as CongNhanData).school,
  group: () => null,
  reason: (d) => `Đạt chuẩn quốc gia mức độ ${(d as CongNhanData).level}`,
};
