import { describe, expect, it } from "vitest";
import { buildDocumentModel, documentBlocks } from "../../server/documents/index.ts";
import { getTemplate, listTemplates } from "../../templates/index.ts";
import { SAMPLES, SGD } from "../fixtures/document-samples.ts";

const ISSUED = new Date("2026-02-05T03:00:00Z");
const build = (name: string, patch: Record<string, unknown> = {}, numbered = true) => {
  const template = getTemplate(name)!;
  return buildDocumentModel({
    template,
    data: template.schema.parse({ ...SAMPLES[name], ...patch }),
    issuer: SGD,
    ...(numbered ? { number: { symbol: "07/SGDĐT-KTKĐ", issuedAt: ISSUED } } : {}),
    now: ISSUED,
  });
};

describe("document model (ND 30 ô 1–12)", () => {
  it("lists the seven templates with their type names and abbreviations", () => {
    expect(listTemplates().map((t) => [t.name, t.typeName, t.abbreviation])).toEqual([
      ["cong_van", "", null],
      ["thong_bao", "THÔNG BÁO", "TB"],
      ["chi_thi", "CHỈ THỊ", "CT"],
      ["ke_hoach", "KẾ HOẠCH", "KH"],
      ["giay_moi", "GIẤY MỜI", "GM"],
      ["bao_cao", "BÁO CÁO", "BC"],
      ["quyet_dinh", "QUYẾT ĐỊNH", "QĐ"],
    ]);
    expect(getTemplate("nope")).toBeUndefined();
  });

  it("công văn: header, V/v, Kính gửi punctuation, Nơi nhận from 'Như trên' to 'Lưu', ô 12", () => {
    const m = build("cong_van", { recipients: ["Hiệu trưởng các trường THPT.", "- Giám đốc các trung tâm GDNN-GDTX;"], cc: ["- Giám đốc Sở (để báo cáo)."] });
    expect(m.parentBody).toBe("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH");
    expect(m.issuerName).toBe("SỞ GIÁO DỤC VÀ ĐÀO TẠO");
    expect(m.symbolLine).toBe("Số: 07/SGDĐT-KTKĐ");
    expect(m.dateLine).toBe("Thành phố Hồ Chí Minh, ngày 05 tháng 02 năm 2026");
    expect(m.congVan).toBe(true);
    expect(m.distribution).toEqual(["- Như trên;", "- Giám đốc Sở (để báo cáo);", "- Lưu: VT, KTKĐ."]);
    expect(m.drafterLine).toBe("PL.(120)");
    expect(m.signer).toEqual({ authority: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Nguyễn Văn Hùng" });
    const blocks = documentBlocks(m);
    expect(blocks.slice(0, 7)).toEqual([
      "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
      "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Số: 07/SGDĐT-KTKĐ",
      "Thành phố Hồ Chí Minh, ngày 05 tháng 02 năm 2026",
      `V/v ${SAMPLES.cong_van!.subject}`,
    ]);
    expect(blocks).toContain("- Hiệu trưởng các trường THPT;");
    expect(blocks).toContain("- Giám đốc các trung tâm GDNN-GDTX.");
    expect(blocks.at(-1)).toBe("PL.(120)");
  });

  it("one recipient stands on the Kính gửi line without a dash", () => {
    expect(documentBlocks(build("bao_cao"))).toContain("Sở Giáo dục và Đào tạo.");
  });

  it("draft: blank number and day, the year from now; công văn keeps issuer and unit in the blank symbol", () => {
    const cv = build("cong_van", {}, false);
    expect(cv.draft).toBe(true);
    expect(cv.symbolLine).toBe("Số:      /SGDĐT-KTKĐ");
    expect(cv.dateLine).toBe("Thành phố Hồ Chí Minh, ngày      tháng      năm 2026");
    expect(build("thong_bao", {}, false).symbolLine).toBe("Số:      /TB-SGDĐT");
  });

  it("quyết định: authority line, căn cứ ending ';' then '.', italic 'Xét…', QUYẾT ĐỊNH:, Điều 1., 2., 3.", () => {
    const m = build("quyet_dinh");
    expect(m.authorityLine).toBe("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO");
    expect(m.bases.map((b) => b.slice(-1))).toEqual([";", "."]);
    const texts = m.body.map((b) => b.runs.map((r) => r.text).join(""));
    expect(m.body[0]!.runs.every((r) => r.style === "italic")).toBe(true);
    expect(texts[1]).toBe("QUYẾT ĐỊNH:");
    expect(m.body[1]!.kind).toBe("center");
    expect(texts.slice(2).map((t) => t.slice(0, 8))).toEqual(["Điều 1. ", "Điều 2. ", "Điều 3. "]);
    expect(m.body[2]!.runs[0]).toEqual({ text: "Điều 1. ", style: "bold" });
    expect(texts.at(-1)!.endsWith("Quyết định này./.")).toBe(true);
  });

  describe("every decision template (kind 'decision')", () => {
    const decisions = listTemplates().filter((t) => t.kind === "decision");
    it("there is at least the quyết định", () => {
      expect(decisions.map((t) => t.name)).toContain("quyet_dinh");
    });
    for (const t of decisions) {
      it(`${t.name}: no Kính gửi; recipients head Nơi nhận; 'Như Điều N' when none; body optional`, () => {
        const withRecipients = build(t.name, { recipients: ["Trường THPT Nguyễn Du", "Các thành viên Đoàn đánh giá ngoài"], cc: ["Bộ GDĐT (để báo cáo)"] });
        expect(withRecipients.recipients).toEqual([]);
        const blocks = documentBlocks(withRecipients);
        expect(blocks.some((b) => /kính gửi/i.test(b))).toBe(false);
        expect(withRecipients.distribution).toEqual(["- Trường THPT Nguyễn Du;", "- Các thành viên Đoàn đánh giá ngoài;", "- Bộ GDĐT (để báo cáo);", "- Lưu: VT, KTKĐ."]);

        const articles = (SAMPLES[t.name]!.articles as string[] | undefined)?.length ?? 0;
        const none = build(t.name, { recipients: [], cc: ["- Như điều 3;", "Bộ GDĐT (để báo cáo)", "lưu vt, ktkđ"] });
        expect(none.distribution).toEqual([`- Như Điều ${articles};`, ...(articles === 3 ? [] : ["- Như điều 3;"]), "- Bộ GDĐT (để báo cáo);", "- Lưu: VT, KTKĐ."]);

        const data: Record<string, unknown> = { ...SAMPLES[t.name] };
        delete data.body;
        const parsed = t.schema.safeParse(data);
        expect(parsed.success).toBe(true);
        const bare = buildDocumentModel({ template: t, data: parsed.data, issuer: SGD, number: { symbol: "07/QĐ-SGDĐT", issuedAt: ISSUED } });
        expect(bare.body[0]!.runs.map((r) => r.text).join("")).toBe("QUYẾT ĐỊNH:");
      });
    }
  });

  it("letters keep Kính gửi; a công văn's typed 'Như trên' and 'Lưu' are not repeated in Nơi nhận", () => {
    const m = build("cong_van", { cc: ["NHƯ TRÊN;", "Giám đốc Sở (để báo cáo)", "- Lưu: VT, KTKĐ."] });
    expect(m.recipients).toHaveLength(2);
    expect(m.distribution).toEqual(["- Như trên;", "- Giám đốc Sở (để báo cáo);", "- Lưu: VT, KTKĐ."]);
    const blocks = documentBlocks(m);
    expect(blocks.filter((b) => /như trên/i.test(b))).toHaveLength(1);
    expect(blocks.filter((b) => /^- Lưu/.test(b))).toHaveLength(1);
  });

  it("giấy mời: 'Trân trọng kính mời:', then time, place and chair with bold labels", () => {
    const m = build("giay_moi");
    expect(m.recipientsLabel).toBe("Trân trọng kính mời:");
    const labelled = m.body.slice(-3).map((b) => b.runs[0]);
    expect(labelled).toEqual([
      { text: "Thời gian: ", style: "bold" },
      { text: "Địa điểm: ", style: "bold" },
      { text: "Chủ trì: ", style: "bold" },
    ]);
    expect(getTemplate("giay_moi")!.schema.safeParse({ ...SAMPLES.giay_moi, time: undefined }).error!.issues[0]!.path).toEqual(["time"]);
  });

  it("no parent body, no place: the date line starts with a capital", () => {
    const template = getTemplate("thong_bao")!;
    const m = buildDocumentModel({
      template,
      data: template.schema.parse(SAMPLES.thong_bao),
      issuer: { name: "Trường THPT Nguyễn Du", symbol: "THPTND", place: null, governingBody: null },
      number: { symbol: "03/TB-THPTND", issuedAt: ISSUED },
    });
    expect(m.parentBody).toBeNull();
    expect(m.issuerName).toBe("TRƯỜNG THPT NGUYỄN DU");
    expect(m.dateLine).toBe("Ngày 05 tháng 02 năm 2026");
  });

  it("rejects what the schema forbids, naming the field", () => {
    const schema = getTemplate("cong_van")!.schema;
    const path = (patch: Record<string, unknown>) => schema.safeParse({ ...SAMPLES.cong_van, ...patch }).error?.issues[0]?.path.join(".");
    expect(path({ subject: undefined })).toBe("subject");
    expect(path({ body: "x".repeat(100_001) })).toBe("body");
    expect(path({ signer: { authority: "PHÓ GIÁM ĐỐC", title: "x", name: "y" } })).toBe("signer.authority");
    expect(path({ drafting_unit: "ktkđ" })).toBe("drafting_unit");
    expect(path({ copies: 0 })).toBe("copies");
    expect(path({ extra: 1 })).toBe("");
    expect(path({ recipients: Array.from({ length: 201 }, () => "x") })).toBe("recipients");
    expect(schema.safeParse({ ...SAMPLES.cong_van, body: "x".repeat(100_000) }).success).toBe(true);
  });

  it("caps a body's lines and a decision's articles in all, with their own messages", () => {
    const key = (name: string, patch: Record<string, unknown>) => {
      const issue = getTemplate(name)!.schema.safeParse({ ...SAMPLES[name], ...patch }).error?.issues[0];
      return issue && [issue.path.join("."), (issue as { params?: { messageKey?: string } }).params?.messageKey];
    };
    expect(key("cong_van", { body: "Dòng.\n".repeat(2000) })).toBeUndefined();
    expect(key("cong_van", { body: "Dòng.\n".repeat(2001) })).toEqual(["body", "errors.field.too_many_lines"]);
    // Blank lines only separate paragraphs; they do not count.
    expect(key("thong_bao", { body: "Dòng.\n\n\n".repeat(2000) })).toBeUndefined();
    expect(key("quyet_dinh", { articles: Array.from({ length: 3 }, () => "x".repeat(40_000)) })).toEqual(["articles", "errors.field.too_much_text"]);
    expect(key("quyet_dinh", { articles: Array.from({ length: 3 }, () => "Khoản.\n".repeat(700)) })).toEqual(["articles", "errors.field.too_many_lines"]);
    expect(getTemplate("quyet_dinh")!.schema.safeParse({ ...SAMPLES.quyet_dinh, articles: ["x".repeat(50_001)] }).error!.issues[0]).toMatchObject({
      path: ["articles", 0],
      code: "too_big",
    });
  });
});
