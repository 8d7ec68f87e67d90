import fontkit from "@pdf-lib/fontkit";
import { describe, expect, it } from "vitest";
import { serifFonts } from "../../server/documents/font.ts";
import { subsetFont } from "../../server/documents/font-subset.ts";
import { shape } from "../../server/documents/text-measure.ts";

type FkGlyph = { path: { toSVG(): string }; advanceWidth: number };
type FkFont = { numGlyphs: number; getGlyph(id: number): FkGlyph };

describe("font subsets", () => {
  it("hold each used glyph's outline and advance at its CID, composites included, and nothing else", () => {
    const fonts = serifFonts();
    const text = "Đặng Thị Ngọc Ánh — ỦY BAN NHÂN DÂN, Độc lập - Tự do - Hạnh phúc; ƯỚC “ữ” ợ ỹ ỵ 0123456789 ₫";
    for (const style of ["regular", "boldItalic"] as const) {
      const font = fonts[style];
      const word = shape(style, text);
      const original = fontkit.create(font.bytes) as unknown as FkFont;
      const subset = fontkit.create(subsetFont(font, word.cids)) as unknown as FkFont;
      // The sample's accented capitals and stacked Vietnamese marks are composite glyphs in this face.
      const composites = word.cids.filter((cid) => {
        const g = font.glyphOf(cid);
        return font.loca[g + 1]! - font.loca[g]! >= 10 && font.bytes.readInt16BE(font.table("glyf").offset + font.loca[g]!) < 0;
      });
      expect(composites.length).toBeGreaterThan(5);
      expect(subset.numGlyphs).toBeLessThan(original.numGlyphs);
      for (const cid of word.cids) {
        const gid = font.glyphOf(cid);
        expect(gid, `cid ${cid}`).toBeGreaterThan(0);
        expect(subset.getGlyph(cid).path.toSVG(), `${style} cid ${cid} (glyph ${gid})`).toBe(original.getGlyph(gid).path.toSVG());
        expect(subset.getGlyph(cid).advanceWidth).toBe(original.getGlyph(gid).advanceWidth);
      }
      // A CID this document does not use is an empty glyph.
      const unused = [...Array(subset.numGlyphs).keys()].find((c) => c > 0 && !word.cids.includes(c) && subset.getGlyph(c).path.toSVG() === "");
      if (unused !== undefined) expect(subset.getGlyph(unused).advanceWidth).toBe(0);
    }
  });

  it("drop hinting: no fpgm, prep or cvt, and no glyph instructions", () => {
    const font = serifFonts().regular;
    const program = subsetFont(font, shape("regular", "Hạnh phúc ỦY").cids);
    const tags = Array.from({ length: program.readUInt16BE(4) }, (_, i) => program.toString("latin1", 12 + i * 16, 16 + i * 16));
    expect(tags).toEqual(["glyf", "head", "hhea", "hmtx", "loca", "maxp"]);
    // Every simple glyph's instructionLength is 0.
    const table = (tag: string) => {
      const i = tags.indexOf(tag);
      return { offset: program.readUInt32BE(12 + i * 16 + 8), length: program.readUInt32BE(12 + i * 16 + 12) };
    };
    const glyf = table("glyf");
    const loca = table("loca");
    const count = loca.length / 4 - 1;
    let simple = 0;
    for (let g = 0; g < count; g++) {
      const start = program.readUInt32BE(loca.offset + g * 4);
      const end = program.readUInt32BE(loca.offset + g * 4 + 4);
      if (end - start < 10) continue;
      const contours = program.readInt16BE(glyf.offset + start);
      if (contours < 0) continue;
      simple++;
      expect(program.readUInt16BE(glyf.offset + start + 10 + contours * 2)).toBe(0);
    }
    expect(simple).toBeGreaterThan(5);
  });
});

describe("CIDs", () => {
  it("Vietnamese letters keep low CIDs, the same in every process, whatever was drawn before", () => {
    const font = serifFonts().regular;
    shape("regular", "Ελληνικά Кириллица ŊŋĦħ ǅǆ ẞ ŉ ſ ƒ ǿ ȁ ɐ ʃ ˘ ΅ Ѐ ӿ Ա ա"); // glyphs nobody primed
    const letter = shape("regular", "Sở Giáo dục và Đào tạo đề nghị Hiệu trưởng các trường THPT khẩn trương triển khai; “Độc lập - Tự do - Hạnh phúc”…");
    expect(Math.max(...letter.cids)).toBeLessThan(300);
    // Primed in a fixed order: "A" is the 34th character primed (after .notdef and 32 printable ASCII).
    expect(font.cid(font.glyph("A".codePointAt(0)!))).toBe(34);
  });
});
