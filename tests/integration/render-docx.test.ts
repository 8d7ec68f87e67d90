import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { buildDocumentModel, documentBlocks, getTemplate, renderDocx, renderPdf } from "../../server/documents/index.ts";
import { SAMPLES, SGD } from "../fixtures/document-samples.ts";
import { libreOfficeToPdf, pdfinfo, pdftotext, squash } from "../helpers/pdf-tools.ts";

const withoutPageNumbers = (text: string) => text.replace(/^\f?\d+$/gmu, "");

function model(name: string, data = SAMPLES[name]!) {
  const template = getTemplate(name)!;
  return buildDocumentModel({ template, data: template.schema.parse(data), issuer: SGD, number: { symbol: template.abbreviation ? `15/${template.abbreviation}-SGDĐT` : "1581/SGDĐT-KTKĐ", issuedAt: new Date("2026-03-15T03:00:00Z") } });
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

  it("converted by LibreOffice, carries the same text as the PDF (công văn and quyết định)", async () => {
    for (const name of ["cong_van", "quyet_dinh"]) {
      const m = model(name);
      const lo = await libreOfficeToPdf(await renderDocx(m));
      expect(await pdfinfo(lo)).toMatch(/A4/);
      // pdftotext joins a word LibreOffice broke at a hyphen ("TT-" / "BGDĐT") without the hyphen.
      const unhyphen = (t: string) => t.replace(/-/gu, "");
      const fromDocx = unhyphen(squash(withoutPageNumbers(await pdftotext(lo))));
      const fromPdf = squash(withoutPageNumbers(await pdftotext((await renderPdf(m)).bytes)));
      for (const block of documentBlocks(m)) {
        expect(fromDocx, `${name} docx: ${block}`).toContain(unhyphen(squash(block)));
        expect(fromPdf, `${name} pdf: ${block}`).toContain(squash(block));
      }
    }
  }, 120_000);

  it("keeps user markup as text", async () => {
    const m = model("thong_bao", { ...SAMPLES.thong_bao!, body: "<w:p><w:r><w:t>chèn</w:t></w:r></w:p> & ]]> <!-- x -->" });
    const zip = await JSZip.loadAsync(await renderDocx(m));
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain("&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;chèn");
    expect(xml).not.toContain("<w:t>chèn</w:t>");
  });
});
