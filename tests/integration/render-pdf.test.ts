import { describe, expect, it } from "vitest";
import { buildDocumentModel, documentBlocks, renderPdf, type DocumentModel } from "../../server/documents/index.ts";
import { getTemplate, listTemplates } from "../../templates/index.ts";
import { MARGIN, MM, PAGE } from "../../server/documents/page-geometry.ts";
import { LETTER_BODY, SAMPLES, SGD } from "../fixtures/document-samples.ts";
import { pdffonts, pdfinfo, pdftotext, pdfWords, qpdfCheck, squash } from "../helpers/pdf-tools.ts";

const ISSUED = new Date("2026-01-05T03:00:00Z");
/** Page numbers stand on lines of their own between pages' text. */
const withoutPageNumbers = (text: string) => text.replace(/^\f?\d+$/gmu, "");

function model(name: string, data: Record<string, unknown> = SAMPLES[name]!, numbered = true): DocumentModel {
  const template = getTemplate(name)!;
  const parsed = template.schema.parse(data);
  const symbol = template.abbreviation ? `15/${template.abbreviation}-SGDĐT` : "1581/SGDĐT-KTKĐ";
  return buildDocumentModel({ template, data: parsed, issuer: SGD, ...(numbered ? { number: { symbol, issuedAt: ISSUED } } : {}) });
}

describe("PDF of every template", () => {
  for (const t of listTemplates()) {
    it(`${t.name}: pdftotext reads back every block of text exactly, fonts are embedded subsets, A4, qpdf clean`, async () => {
      const m = model(t.name);
      const { bytes } = await renderPdf(m);
      const text = squash(withoutPageNumbers(await pdftotext(bytes)));
      for (const block of documentBlocks(m)) expect(text, block).toContain(squash(block));
      const fonts = (await pdffonts(bytes)).split("\n").slice(2).filter(Boolean);
      expect(fonts.length).toBeGreaterThanOrEqual(3);
      for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+LiberationSerif\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);
      expect(await pdfinfo(bytes)).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
      expect(await qpdfCheck(bytes)).toContain("No syntax or stream encoding errors");
    });
  }
});

describe("layout by ND 30/2020", () => {
  it("puts each block where the decree does", async () => {
    const { bytes, pages } = await renderPdf(model("cong_van"));
    expect(pages).toBe(1);
    const words = await pdfWords(bytes);
    const find = (text: string, after = 0) => words.find((w, i) => i >= after && w.text === text)!;
    const left = MARGIN.left;
    const right = PAGE.width - MARGIN.right;
    const onPage1 = words.filter((w) => w.page === 0);
    // Margins: nothing left of 30 mm or right of 15 mm (the QR footer sits in the bottom margin).
    expect(Math.min(...onPage1.map((w) => w.xMin))).toBeGreaterThanOrEqual(left - 1);
    expect(Math.max(...onPage1.map((w) => w.xMax))).toBeLessThanOrEqual(right + 1);
    expect(Math.abs(Math.min(...onPage1.map((w) => w.xMin)) - 30 * MM)).toBeLessThan(3);
    // Header: issuer left, national title right, both at the top.
    const so = find("SỞ");
    const cong = find("CỘNG");
    expect(so.xMax).toBeLessThan(left + 190);
    expect(cong.xMin).toBeGreaterThan(left + 170);
    expect(cong.yMin).toBeLessThan(MARGIN.top + 5);
    // Số and the date on one line, the date in the right column.
    const soLine = find("Số:");
    const place = find("Thành");
    expect(Math.abs(soLine.yMax - place.yMax)).toBeLessThan(1.5);
    expect(place.xMin).toBeGreaterThan(left + 170);
    expect(soLine.xMax).toBeLessThan(left + 190);
    // V/v under the number in the left column.
    const vv = find("V/v");
    expect(vv.yMin).toBeGreaterThan(soLine.yMax);
    expect(vv.xMin).toBeLessThan(left + 190);
    // Signer block on the right half, Nơi nhận on the left, on one level.
    const kt = find("KT.");
    const noiNhan = find("Nơi");
    expect(kt.xMin).toBeGreaterThan(PAGE.width / 2 - 10);
    expect(noiNhan.xMin).toBeLessThan(left + 2);
    expect(Math.abs(kt.yMin - noiNhan.yMin)).toBeLessThan(6);
    // Body justified: most body lines end at the right margin.
    const body = onPage1.filter((w) => w.yMin > vv.yMax + 30 && w.yMax < noiNhan.yMin - 10);
    const lineEnds = new Map<number, number>();
    for (const w of body) lineEnds.set(Math.round(w.yMax), Math.max(lineEnds.get(Math.round(w.yMax)) ?? 0, w.xMax));
    const flush = [...lineEnds.values()].filter((x) => Math.abs(x - right) < 1.5).length;
    expect(flush).toBeGreaterThanOrEqual(5);
  });

  it("numbers pages from the second, centred in the top margin, and keeps the signer with the body's last lines", async () => {
    const long = { ...SAMPLES.cong_van!, body: Array.from({ length: 3 }, () => LETTER_BODY).join("\n") };
    const m = model("cong_van", long);
    const { bytes, pages, signerBox } = await renderPdf(m);
    expect(pages).toBeGreaterThanOrEqual(2);
    const words = await pdfWords(bytes);
    for (let p = 0; p < pages; p++) {
      const top = words.filter((w) => w.page === p && w.yMax < MARGIN.top);
      if (p === 0) expect(top).toEqual([]);
      else {
        expect(top.map((w) => w.text)).toEqual([String(p + 1)]);
        expect(Math.abs((top[0]!.xMin + top[0]!.xMax) / 2 - (MARGIN.left + (PAGE.width - MARGIN.left - MARGIN.right) / 2))).toBeLessThan(2);
      }
    }
    // The page with the signer also carries body text above it (never a signer page alone).
    const lastBody = words.filter((w) => w.page === signerBox.page && w.text.endsWith("./."));
    expect(lastBody).toHaveLength(1);
    const text = squash(withoutPageNumbers(await pdftotext(bytes)));
    for (const block of documentBlocks(m)) expect(text).toContain(squash(block));
  });

  it("never orphans the closing block, whatever the body length", async () => {
    for (let paragraphs = 10; paragraphs <= 30; paragraphs += 2) {
      const body = Array.from({ length: paragraphs }, (_, i) => `Đoạn ${i + 1}: các trường thực hiện nghiêm túc nội dung chỉ đạo, báo cáo kết quả đúng thời hạn quy định.`).join(
        "\n",
      );
      const m = model("thong_bao", { ...SAMPLES.thong_bao!, body });
      const { bytes, signerBox } = await renderPdf(m);
      const words = await pdfWords(bytes);
      const onSignerPage = words.filter((w) => w.page === signerBox.page);
      expect(
        onSignerPage.some((w) => w.text.endsWith("./.")),
        `${paragraphs} paragraphs`,
      ).toBe(true);
    }
  });

  it("marks a draft DỰ THẢO with no number and blank day", async () => {
    const m = model("chi_thi", SAMPLES.chi_thi, false);
    expect(m.symbolLine).toBe("Số:      /CT-SGDĐT");
    const { bytes } = await renderPdf(m, { draft: true });
    // The diagonal mark comes out one letter per line.
    expect((await pdftotext(bytes, "-raw")).replace(/\s/gu, "")).toContain("DỰTHẢO");
    expect(squash(await pdftotext(bytes))).toContain("Thành phố Hồ Chí Minh, ngày tháng năm 2026");
  });

  it("a decision prints no Kính gửi: its recipients are in Nơi nhận, and without a body it is căn cứ and articles", async () => {
    const data: Record<string, unknown> = { ...SAMPLES.quyet_dinh, recipients: ["Trường THPT Nguyễn Du"], cc: ["Như trên", "Lưu: VT, KTKĐ"] };
    delete data.body;
    const m = model("quyet_dinh", data);
    const text = squash(await pdftotext((await renderPdf(m)).bytes));
    expect(text).not.toMatch(/Kính gửi/u);
    expect(text).toContain("Nơi nhận: - Trường THPT Nguyễn Du; - Như trên; - Lưu: VT, KTKĐ.");
    expect(text).not.toContain("Xét đề nghị");
    expect(text.indexOf("QUYẾT ĐỊNH:")).toBeGreaterThan(text.indexOf("của Ủy ban nhân dân Thành phố."));
  });

  it("prints the verification code and adds empty signature fields", async () => {
    const { bytes } = await renderPdf(model("ke_hoach"), { verify: { code: "7KQ2M9XD", url: "https://chidao.example.vn/verify/7KQ2M9XD" }, signatureFields: true });
    const text = squash(await pdftotext(bytes));
    expect(text).toContain("Mã xác thực: 7KQ2M9XD");
    expect(text).toContain("https://chidao.example.vn/verify/7KQ2M9XD");
    const raw = Buffer.from(bytes).toString("latin1");
    expect(raw).toMatch(/\/FT \/Sig/);
    expect(raw).toContain("/T (signer)");
    expect(raw).toContain("/T (seal)");
    expect(await qpdfCheck(bytes)).toContain("No syntax or stream encoding errors");
  });
});

describe("hostile input", () => {
  const cv = (patch: Record<string, unknown>) => getTemplate("cong_van")!.schema.safeParse({ ...SAMPLES.cong_van, ...patch });

  it("prints markup and look-alike syntax as text", async () => {
    const body = "<script>alert(1)</script> &amp; <w:p/> **không đóng và *nghiêng \\n {{field}} ${x}";
    const parsed = cv({ body });
    expect(parsed.success).toBe(true);
    const m = model("cong_van", { ...SAMPLES.cong_van!, body });
    const text = squash(withoutPageNumbers(await pdftotext((await renderPdf(m)).bytes)));
    expect(text).toContain(squash("<script>alert(1)</script> &amp; <w:p/> **không đóng và *nghiêng \\n {{field}} ${x}./."));
  });

  it("breaks a 10,000-character line without losing a character", async () => {
    const body = "A".repeat(5000) + " " + "Đ".repeat(5000);
    const m = model("cong_van", { ...SAMPLES.cong_van!, body });
    const { bytes, pages } = await renderPdf(m);
    expect(pages).toBeGreaterThan(1);
    expect(withoutPageNumbers(await pdftotext(bytes)).replace(/\s/gu, "")).toContain("A".repeat(5000) + "Đ".repeat(5000));
    expect(await qpdfCheck(bytes)).toContain("No syntax or stream encoding errors");
  });

  it("rejects control characters and characters the font cannot print, naming the field", () => {
    const bad = cv({ body: "a\u0007b" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(["body"]);
    const emoji = cv({ subject: "chúc mừng 🎉" });
    expect(emoji.success).toBe(false);
    expect(emoji.error!.issues[0]!.path).toEqual(["subject"]);
    expect(cv({ signer: { authority: "PHÓ GIÁM ĐỐC", title: "x", name: "y" } }).success).toBe(false);
    expect(cv({ subject: "x".repeat(501) }).success).toBe(false);
  });

  it("normalises decomposed Vietnamese to NFC before drawing", async () => {
    const subject = "Tăng cường quản lý chất lượng".normalize("NFD");
    const m = model("cong_van", { ...SAMPLES.cong_van!, subject });
    const text = await pdftotext((await renderPdf(m)).bytes);
    expect(squash(text)).toContain("V/v Tăng cường quản lý chất lượng");
  });
});
