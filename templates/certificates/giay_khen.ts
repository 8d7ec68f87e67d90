/**
 * Giấy khen for a person (a teacher, a pupil) or a collective (a class, a school, a unit): "TẶNG
 * GIẤY KHEN", the name, the unit or class, the title earned and the achievement, then the decision
 * that grants it and the number in the issuer's register (VANBAN.md §5).
 */
import { z } from "zod";
import type { CertificateTemplate } from "../../server/documents/certificate/certificate-template.ts";
import { commonParts, optionalText, signerAliases, signerFields, text, type SignerData } from "./certificate-fields.ts";

const GiayKhenSchema = z
  .object({
    /** ca_nhan (a person) or tap_the (a collective). */
    kind: z.preprocess(
      (v) => {
        if (typeof v !== "string") return v;
        const s = v.trim().normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/đ/g, "d").replace(/\s+/g, "_");
        return s === "" ? undefined : s;
      },
      z.enum(["ca_nhan", "tap_the"]).default("ca_nhan"),
    ),
    /** Ông, Bà, Ông (Bà), Thầy, Cô, Em…; for a collective "Tập thể" is printed when absent. */
    honorific: optionalText(20),
    recipient: text(120),
    /** Class or unit ("Lớp 5A, Trường Tiểu học …"); also the group on a ceremony list. */
    unit: optionalText(200),
    /** Danh hiệu ("Học sinh Xuất sắc", "Chiến sĩ thi đua cơ sở"). */
    honour_title: optionalText(200),
    achievement: text(400),
    ...signerFields,
  })
  .strict();

type GiayKhenData = z.infer<typeof GiayKhenSchema> & SignerData;

export const giayKhen: CertificateTemplate = {
  kind: "certificate",
  name: "giay_khen",
  label: "Giấy khen",
  typeName: "GIẤY KHEN",
  abbreviation: "GK",
  schema: GiayKhenSchema,
  aliases: {
    kind: ["Loại", "Cá nhân/Tập thể", "Loại khen"],
    honorific: ["Danh xưng", "Xưng hô"],
    recipient: ["Họ và tên", "Họ tên", "Tên tập thể", "Người nhận", "Tên"],
    unit: ["Đơn vị", "Lớp", "Đơn vị/Lớp", "Lớp/Đơn vị"],
    honour_title: ["Danh hiệu"],
    achievement: ["Thành tích", "Nội dung khen", "Lý do khen"],
    ...signerAliases,
  },
  build(data, { issuer, symbol }) {
    const d = data as GiayKhenData;
    const label = d.honorific ?? (d.kind === "tap_the" ? "Tập thể" : null);
    return {
      ...commonParts(d, issuer, symbol, "GK"),
      preTitle: "TẶNG",
      title: "GIẤY KHEN",
      recipientLabel: label ? `${label}:` : null,
      recipient: d.recipient,
      lines: [
        ...(d.unit ? [{ text: d.unit, style: "regular" as const, size: 17 }] : []),
        ...(d.honour_title ? [{ text: `Danh hiệu: ${d.honour_title}`, style: "bold" as const, size: 17 }] : []),
        { text: d.achievement, style: "italic" as const, size: 17 },
      ],
      draft: symbol === null,
    };
  },
  recipient: (d) => (d as GiayKhenData).recipient,
  group: (d) => (d as GiayKhenData).unit ?? null,
  reason: (d) => {
    const g = d as GiayKhenData;
    return [g.honour_title, g.achievement].filter(Boolean).join(". ");
  },
};
