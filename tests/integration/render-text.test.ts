/**
 * The PDF's text layer against documentText, exactly; pagination of long lists and bodies; the
 * signature fields' places; and hostile input, checked with poppler and qpdf.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, type PDFRef, PDFString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { buildDocumentModel, documentText, renderDocx, renderPdf, type DocumentModel } from "../../server/documents/index.ts";
import { getTemplate, listTemplates } from "../../templates/index.ts";
import { LEFT_COLUMN, MARGIN, PAGE } from "../../server/documents/page-geometry.ts";
import { SAMPLES, SGD } from "../fixtures/document-samples.ts";
import { pdftotext, pdfWords, qpdfCheck, squash, withoutPageNumbers } from "../helpers/pdf-tools.ts";

const ISSUED = new Date("2026-03-15T03:00:00Z");
/** The text layer in drawing order, whitespace folded. */
const rawText = async (pdf: Uint8Array) => squash(withoutPageNumbers(await pdftotext(pdf, "-raw")));

function model(name: string, patch: Record<string, unknown> = {}, numbered = true): DocumentModel {
  const template = getTemplate(name)!;
  const data = template.schema.parse({ ...SAMPLES[name], ...patch });
  const symbol = template.abbreviation ? `15/${template.abbreviation}-SGDĐT` : "1581/SGDĐT-KTKĐ";
  return buildDocumentModel({ template, data, issuer: SGD, ...(numbered ? { number: { symbol, issuedAt: ISSUED } } : {}), now: ISSUED });
}

/** Every filled word lies inside the page's margins (the page number sits in the top margin). */
async function expectInsideMargins(pdf: Uint8Array): Promise<void> {
  for (const w of await pdfWords(pdf)) {
    expect(w.yMax, `${w.text} on page ${w.page + 1}`).toBeLessThanOrEqual(PAGE.height - MARGIN.bottom + 1);
    expect(w.xMin, w.text).toBeGreaterThanOrEqual(MARGIN.left - 1);
    expect(w.xMax, w.text).toBeLessThanOrEqual(PAGE.width - MARGIN.right + 1);
  }
}

describe("text layer", () => {
  for (const t of listTemplates()) {
    it(`${t.name}: pdftotext -raw equals documentText, issued and draft`, async () => {
      for (const numbered of [true, false]) {
        const m = model(t.name, {}, numbered);
        expect(await rawText((await renderPdf(m)).bytes)).toBe(squash(documentText(m)));
      }
    });
  }

  it("draft: blank number and day, the year kept, DỰ THẢO on every page", async () => {
    const m = model("ke_hoach", { body: Array.from({ length: 3 }, () => SAMPLES.ke_hoach!.body).join("\n") }, false);
    expect(m.symbolLine).toMatch(/^Số: +\/KH-SGDĐT$/u);
    expect(m.dateLine).toMatch(/^Thành phố Hồ Chí Minh, ngày +tháng +năm 2026$/u);
    const { bytes, pages } = await renderPdf(m, { draft: true });
    expect(pages).toBeGreaterThanOrEqual(2);
    const letters = (await pdftotext(bytes, "-raw")).replace(/\s/gu, "");
    expect(letters.split("DỰTHẢO").length - 1).toBe(pages);
  });
});

describe("pagination", () => {
  it("a Nơi nhận list taller than a page stays beside the signer and runs on, inside the margins", async () => {
    const cc = Array.from({ length: 200 }, (_, i) => `Trường Trung học phổ thông số ${i + 1} thuộc Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh`);
    const m = model("cong_van", { cc });
    const { bytes, pages, signerBox } = await renderPdf(m);
    expect(pages).toBeGreaterThan(3);
    expect(await rawText(bytes)).toBe(squash(documentText(m)));
    await expectInsideMargins(bytes);
    const words = await pdfWords(bytes);
    const onSignerPage = words.filter((w) => w.page === signerBox.page);
    expect(onSignerPage.some((w) => w.text.endsWith("./."))).toBe(true);
    expect(onSignerPage.some((w) => w.text === "Nơi")).toBe(true);
    expect(await qpdfCheck(bytes)).toContain("No syntax or stream encoding errors");
  });

  it("through three pages, the signer and Nơi nhận always share a page with the body's last lines", async () => {
    const sentence = "Các đơn vị rà soát, tổng hợp và báo cáo kết quả thực hiện về Sở đúng thời hạn quy định";
    const seen = new Set<number>();
    for (let words = 40; words <= 1300; words += 45) {
      const body = Array.from({ length: Math.ceil(words / 20) }, (_, i) => `${i + 1}. ${sentence}.`).join("\n");
      const m = model("thong_bao", { body });
      const { bytes, pages, signerBox } = await renderPdf(m);
      seen.add(pages);
      const onSignerPage = (await pdfWords(bytes)).filter((w) => w.page === signerBox.page);
      const end = onSignerPage.find((w) => w.text.endsWith("./."));
      const noiNhan = onSignerPage.find((w) => w.text === "Nơi");
      expect(end, `${words} words`).toBeDefined();
      expect(noiNhan!.yMin).toBeGreaterThan(end!.yMax);
      // At least two body lines above the closing block on that page.
      const bodyLines = new Set(onSignerPage.filter((w) => w.yMax <= end!.yMax + 0.5 && w.yMin > MARGIN.top).map((w) => Math.round(w.yMax)));
      expect(bodyLines.size, `${words} words`).toBeGreaterThanOrEqual(2);
    }
    expect([...seen]).toEqual(expect.arrayContaining([1, 2, 3]));
  });
});

describe("verification footer and concurrency", () => {
  it("prints the code and the address on the last page only, in the bottom margin", async () => {
    const long = { body: Array.from({ length: 2 }, () => SAMPLES.cong_van!.body).join("\n") };
    const { bytes, pages } = await renderPdf(model("cong_van", long), { verify: { code: "7KQ2M9XD", url: "https://chidao.example.vn/verify/7KQ2M9XD" } });
    expect(pages).toBe(2);
    const code = (await pdfWords(bytes)).filter((w) => w.text === "7KQ2M9XD");
    expect(code.map((w) => w.page)).toEqual([pages - 1]);
    expect(code[0]!.yMin).toBeGreaterThan(PAGE.height - MARGIN.bottom);
  });

  it("letters rendered at the same time each get their own text and valid fonts", async () => {
    const models = Array.from({ length: 24 }, (_, i) => {
      const t = listTemplates()[i % 7]!;
      return model(t.name, { subject: `${SAMPLES[t.name]!.subject} số ${i} — ${"ắằẳẵặấầẩẫậ".slice(i % 10)}` });
    });
    const rendered = await Promise.all(models.map((m) => renderPdf(m, { signatureFields: true })));
    for (const i of [0, 5, 11, 23]) {
      expect(await rawText(rendered[i]!.bytes)).toBe(squash(documentText(models[i]!)));
      expect(await qpdfCheck(rendered[i]!.bytes)).toContain("No syntax or stream encoding errors");
    }
  });
});

describe("signature fields", () => {
  it("signer over ô 7c between the title and the name, seal over its left third, on the signer's page", async () => {
    const long = { body: Array.from({ length: 2 }, () => SAMPLES.cong_van!.body).join("\n") };
    const { bytes, signerBox, pages } = await renderPdf(model("cong_van", long), { signatureFields: true });
    expect(pages).toBe(2);
    expect(await qpdfCheck(bytes)).toContain("No syntax or stream encoding errors");
    const doc = await PDFDocument.load(bytes);
    const pageRefs = doc.getPages().map((p) => p.ref.toString());
    const form = doc.catalog.lookup(PDFName.of("AcroForm"), PDFDict);
    expect(form.lookup(PDFName.of("SigFlags"), PDFNumber).asNumber()).toBe(1);
    const fields = new Map<string, { page: number; rect: number[] }>();
    for (const ref of form.lookup(PDFName.of("Fields"), PDFArray).asArray()) {
      const f = doc.context.lookup(ref, PDFDict);
      expect(f.get(PDFName.of("FT"))).toBe(PDFName.of("Sig"));
      const rect = f
        .lookup(PDFName.of("Rect"), PDFArray)
        .asArray()
        .map((v) => (v as PDFNumber).asNumber());
      const page = pageRefs.indexOf((f.get(PDFName.of("P")) as PDFRef).toString());
      // The page lists the widget among its annotations, so viewers show it.
      const annots = doc.getPages()[page]!.node.lookup(PDFName.of("Annots"), PDFArray).asArray().map(String);
      expect(annots).toContain(ref.toString());
      fields.set(f.lookup(PDFName.of("T"), PDFString).decodeText(), { page, rect });
    }
    const signer = fields.get("signer")!;
    const seal = fields.get("seal")!;
    expect(signer.page).toBe(signerBox.page);
    expect(seal.page).toBe(signerBox.page);
    const [sx1, sy1, sx2, sy2] = signer.rect as [number, number, number, number];
    const [kx1, ky1, kx2, ky2] = seal.rect as [number, number, number, number];
    // Signer field in the right half; the seal overlaps its left third and reaches no further.
    expect(sx1).toBeGreaterThan(PAGE.width / 2 - 10);
    expect(kx2).toBeGreaterThan(sx1);
    expect(kx2).toBeLessThanOrEqual(sx1 + (sx2 - sx1) / 3 + 0.5);
    expect(kx1).toBeLessThan(sx1);
    expect(Math.min(ky2, sy2) - Math.max(ky1, sy1)).toBeGreaterThan((sy2 - sy1) / 2);
    // Between the title line ("PHÓ GIÁM ĐỐC") and the name, in page coordinates (pdftotext's y runs downwards).
    const words = (await pdfWords(bytes)).filter((w) => w.page === signer.page);
    const title = words.find((w) => w.text === "PHÓ")!;
    const name = words.find((w) => w.text === "Nguyễn")!;
    expect(PAGE.height - sy2).toBeGreaterThanOrEqual(title.yMax - 0.5);
    expect(PAGE.height - sy1).toBeLessThanOrEqual(name.yMin + 0.5);
  });
});

describe("header columns and margins", () => {
  it("issuer in the left column, motto right, justified lines reach the right margin", async () => {
    const { bytes } = await renderPdf(model("quyet_dinh"));
    const words = (await pdfWords(bytes)).filter((w) => w.page === 0);
    const split = MARGIN.left + LEFT_COLUMN;
    for (const text of ["ỦY", "SỞ", "ĐÀO", "TẠO"]) expect(words.find((w) => w.text === text)!.xMax, text).toBeLessThan(split);
    for (const text of ["CỘNG", "Độc", "Hạnh", "phúc"]) expect(words.find((w) => w.text === text)!.xMin, text).toBeGreaterThan(split);
    expect(Math.max(...words.map((w) => w.xMax))).toBeGreaterThan(PAGE.width - MARGIN.right - 1.5);
    await expectInsideMargins(bytes);
  });
});

describe("hostile input", () => {
  const schema = getTemplate("cong_van")!.schema;
  const issuesOf = (patch: Record<string, unknown>) => {
    const r = schema.safeParse({ ...SAMPLES.cong_van, ...patch });
    return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join("."), key: (i as { params?: { messageKey?: string } }).params?.messageKey }));
  };

  it("rejects right-to-left scripts, direction marks, C0/C1 controls and lone surrogates, naming the field", () => {
    expect(issuesOf({ body: "Xin chào שלום" })).toEqual([{ path: "body", key: "errors.field.right_to_left" }]);
    expect(issuesOf({ subject: "abc\u202Edcba" })).toEqual([{ path: "subject", key: "errors.field.right_to_left" }]);
    expect(issuesOf({ recipients: ["x\u200Fy"] })).toEqual([{ path: "recipients.0", key: "errors.field.right_to_left" }]);
    expect(issuesOf({ body: "مرحبا" })[0]).toEqual({ path: "body", key: "errors.field.right_to_left" });
    for (const ch of ["\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u009B", "\u2028"]) expect(issuesOf({ body: `a${ch}b` })[0]?.path, JSON.stringify(ch)).toBe("body");
    expect(issuesOf({ cc: ["x\uD800y"] })).toEqual([{ path: "cc.0", key: "errors.field.unsupported_chars" }]);
    expect(issuesOf({ signer: { title: "Giám đốc", name: "Nguyễn 😀" } })).toEqual([{ path: "signer.name", key: "errors.field.unsupported_chars" }]);
  });

  it("prints markup in every field as text, tabs as spaces, in the PDF and the DOCX", async () => {
    const m = model("cong_van", {
      subject: "<b>in đậm</b> & <![CDATA[x]]>",
      recipients: ["<script>alert('x')</script>", 'Trường\tTHPT "A"'],
      cc: ["</w:t></w:r><w:r><w:t>chèn", "{{cc}} ${cc} %s"],
      signer: { authority: "KT. Giám đốc", title: "Phó Giám đốc <i>", name: "O'Brien & Lê" },
      body: "**đậm** *nghiêng* ***cả hai*** **chưa đóng\n*\n**\n<p style='x'>đoạn</p>\t&lt;tab&gt;",
    });
    expect(m.recipients[1]).toBe('Trường THPT "A"');
    const { bytes } = await renderPdf(m);
    expect(await rawText(bytes)).toBe(squash(documentText(m)));
    expect(squash(documentText(m))).toContain("</w:t></w:r><w:r><w:t>chèn");
    const docx = Buffer.from(await renderDocx(m));
    expect(docx.length).toBeGreaterThan(1000);
  });

  it("random nasty strings either fail validation or render with the exact text, never throw", async () => {
    // Mostly printable pieces, so that most documents pass validation and get rendered; now and then
    // a line break in a one-line field, an emoji or a C1 control, which must be a validation issue.
    const alphabet = [
      "*",
      "**",
      "***",
      "<",
      ">",
      "&",
      "\t",
      " ",
      "  ",
      '"',
      "'",
      "\\",
      "/",
      "./.",
      "1.",
      "a)",
      "- ",
      "+ ",
      "Đ",
      "ệ",
      "ữ",
      "x",
      "A".repeat(300),
      "\u00A0",
      "\u00AD",
      "\u200B",
      "\u0301",
      "%",
      "$",
      "{",
      "}",
    ];
    const rare = ["\n", "🎉", "\u0085"];
    let seed = 20261123;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const nasty = (parts: number, lineBreaks = false) =>
      Array.from({ length: parts }, () => (lineBreaks && rand(6) === 0 ? "\n" : rand(150) === 0 ? rare[rand(rare.length)] : alphabet[rand(alphabet.length)])).join("");
    let rendered = 0;
    let rejected = 0;
    for (let i = 0; i < 40; i++) {
      const patch = { subject: nasty(8), body: nasty(60, true), recipients: [nasty(5), nasty(5)], cc: [nasty(6)] };
      const parsed = schema.safeParse({ ...SAMPLES.cong_van, ...patch });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) expect(["subject", "body", "recipients", "cc"]).toContain(String(issue.path[0]));
        rejected++;
        continue;
      }
      const m = buildDocumentModel({ template: getTemplate("cong_van")!, data: parsed.data, issuer: SGD, number: { symbol: "1581/SGDĐT-KTKĐ", issuedAt: ISSUED } });
      const { bytes } = await renderPdf(m);
      await renderDocx(m);
      // Words longer than a line are cut across lines, which pdftotext reads as a space: compare
      // without whitespace.
      const bare = (t: string) => t.replace(/\s/gu, "");
      expect(bare(await rawText(bytes))).toBe(bare(squash(documentText(m))));
      rendered++;
    }
    expect(rendered).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(0);
  });
});
