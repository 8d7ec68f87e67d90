import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { buildDocumentModel, documentBlocks, documentText, renderDocx, renderPdf } from "../../server/documents/index.ts";
import { getTemplate, listTemplates } from "../../templates/index.ts";
import { SAMPLES, SGD } from "../fixtures/document-samples.ts";
import { libreOfficeToPdf, libreOfficeToPdfMany, pdfimagesList, pdfinfo, pdftotext, pdfWords, squash, withoutPageNumbers } from "../helpers/pdf-tools.ts";

function model(name: string, data = SAMPLES[name]!) {
  const template = getTemplate(name)!;
  return buildDocumentModel({
    template,
    data: template.schema.parse(data),
    issuer: SGD,
    number: { symbol: template.abbreviation ? `15/${template.abbreviation}-SGDĐT` : "1581/SGDĐT-KTKĐ", issuedAt: new Date("2026-03-15T03:00:00Z") },
  });
}

describe("DOCX", () => {
  it("names Times New Roman, A4 with the decree's margins, and page numbers from page 2", async () => {
    const docx = await renderDocx(model("cong_van"));
    const zip = await JSZip.loadAsync(docx);
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain('w:ascii="Times New Roman"');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/w:top="1134"[^>]*w:right="850"[^>]*w:bottom="1134"[^>]*w:left="1701"/);
    expect(xml).toContain("<w:titlePg/>");
  });

  it("carries the verification QR and code at the foot of the last page, where the PDF has them", async () => {
    const verify = { code: "7KQ2M9XD3T", url: "https://chidao.example.vn/verify/7KQ2M9XD3T" };
    // Two pages (the full công văn runs onto a second in LibreOffice): the block must be on the last.
    const m = model("cong_van");
    const plain = await libreOfficeToPdf(await renderDocx(m));
    const docx = await renderDocx(m, { verify });
    const zip = await JSZip.loadAsync(docx);
    expect(Object.keys(zip.files).filter((f) => f.startsWith("word/media/") && f.endsWith(".png"))).toHaveLength(1);
    const pdf = await libreOfficeToPdf(docx);
    const pages = Number(/Pages:\s+(\d+)/.exec(await pdfinfo(pdf))![1]);
    // The block takes no room in the flow: the page count is the same as without it.
    expect(pages).toBe(Number(/Pages:\s+(\d+)/.exec(await pdfinfo(plain))![1]));
    const images = (await pdfimagesList(pdf)).split("\n").slice(2).filter(Boolean);
    // Columns: page, num, type ("image", or "smask" for its transparency).
    expect(
      images
        .map((l) => l.trim().split(/\s+/))
        .filter((c) => c[2] === "image")
        .map((c) => Number(c[0])),
    ).toEqual([pages]);
    const words = await pdfWords(pdf);
    const code = words.find((w) => w.text === verify.code)!;
    const url = words.find((w) => w.text.includes(verify.url))!;
    expect(code.page).toBe(pages - 1);
    expect(url.page).toBe(pages - 1);
    // In the bottom margin (below 20 mm from the foot) at the left text edge, beside the QR, as in the PDF.
    const fromFoot = 841.89 - code.yMax;
    expect(fromFoot).toBeGreaterThan(20);
    expect(fromFoot).toBeLessThan(20 * (72 / 25.4));
    const label = words.find((w) => w.text === "Mã" && w.page === code.page && Math.abs(w.yMax - code.yMax) < 1)!;
    expect(label.xMin).toBeGreaterThan(30 * (72 / 25.4) + 40);
    expect(label.xMin).toBeLessThan(30 * (72 / 25.4) + 60);
    expect(squash(await pdftotext(pdf))).toContain(`Mã xác thực: ${verify.code} Tra cứu: ${verify.url}`);
  }, 60_000);

  it("converted by LibreOffice, every template carries the same text as the PDF, hostile text included", async () => {
    const hostile = model("cong_van", {
      ...SAMPLES.cong_van!,
      subject: "<b>in đậm</b> & <![CDATA[x]]>",
      recipients: ["<script>alert('x')</script>", 'Trường THPT "A"'],
      body: "**đậm** *nghiêng* **chưa đóng\n<p style='x'>đoạn</p> &lt;tab&gt; {{x}}",
    });
    // Long enough for three pages: Word and LibreOffice must keep the signer with the body's end.
    const long = model("thong_bao", { ...SAMPLES.thong_bao!, body: Array.from({ length: 5 }, () => SAMPLES.thong_bao!.body).join("\n") });
    const models = [...listTemplates().map((t) => model(t.name)), hostile, long];
    const converted = await libreOfficeToPdfMany(await Promise.all(models.map((m) => renderDocx(m))));
    // pdftotext joins a word LibreOffice broke at a hyphen ("TT-" / "BGDĐT") without the hyphen, and
    // LibreOffice breaks lines at other places than we do ("<!" / "[CDATA"): compare without
    // hyphens and whitespace.
    const bare = (t: string) => t.normalize("NFC").replace(/[-\s]/gu, "");
    for (const [i, m] of models.entries()) {
      expect(await pdfinfo(converted[i]!)).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
      const fromDocx = bare(withoutPageNumbers(await pdftotext(converted[i]!)));
      const fromPdf = squash(withoutPageNumbers(await pdftotext((await renderPdf(m)).bytes)));
      for (const block of documentBlocks(m)) {
        expect(fromDocx, `${m.template} docx: ${block}`).toContain(bare(block));
        expect(fromPdf, `${m.template} pdf: ${block}`).toContain(squash(block));
      }
      // Nothing but the document's text.
      expect(fromDocx.length, m.template).toBe(bare(documentText(m)).length);
    }
    const longPages = (await pdftotext(converted.at(-1)!)).split("\f").filter((p) => p.trim());
    expect(longPages.length).toBeGreaterThanOrEqual(3);
    const signerPage = longPages.find((p) => p.includes("Nguyễn Văn Hùng"))!;
    expect(signerPage).toContain("./.");
    expect(signerPage).toContain("Nơi nhận:");
  }, 120_000);

  it("keeps user markup as text", async () => {
    const m = model("thong_bao", { ...SAMPLES.thong_bao!, body: "<w:p><w:r><w:t>chèn</w:t></w:r></w:p> & ]]> <!-- x -->" });
    const zip = await JSZip.loadAsync(await renderDocx(m));
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain("&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;chèn");
    expect(xml).not.toContain("<w:t>chèn</w:t>");
  });
});
