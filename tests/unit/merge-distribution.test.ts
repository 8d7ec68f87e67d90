import { describe, expect, it } from "vitest";
import { foldDistributionItem, mergeDistribution } from "../../server/domain/merge-distribution.ts";

const STORAGE = "Lưu: VT, KTKĐ";

describe("mergeDistribution", () => {
  // [what, lead, cc, expected]
  const cases: [string, string[], string[], string[]][] = [
    ["nothing typed", ["Như trên"], [], ["Như trên", "Lưu: VT, KTKĐ"]],
    ["cc kept in order", ["Như trên"], ["Giám đốc Sở (để báo cáo)", "Các phòng thuộc Sở"], ["Như trên", "Giám đốc Sở (để báo cáo)", "Các phòng thuộc Sở", "Lưu: VT, KTKĐ"]],
    ["'Như trên' typed again", ["Như trên"], ["Như trên"], ["Như trên", "Lưu: VT, KTKĐ"]],
    ["upper case, dash, semicolon", ["Như trên"], ["- NHƯ TRÊN;"], ["Như trên", "Lưu: VT, KTKĐ"]],
    ["no diacritics, full stop", ["Như trên"], ["nhu tren."], ["Như trên", "Lưu: VT, KTKĐ"]],
    ["decomposed (NFD) and extra spaces", ["Như trên"], ["  Như   trên ".normalize("NFD")], ["Như trên", "Lưu: VT, KTKĐ"]],
    ["typed later in the list still merged to the top", ["Như trên"], ["Giám đốc Sở", "Như trên"], ["Như trên", "Giám đốc Sở", "Lưu: VT, KTKĐ"]],
    ["'Lưu' typed the same", ["Như trên"], ["Lưu: VT, KTKĐ."], ["Như trên", "Lưu: VT, KTKĐ"]],
    ["'Lưu' without diacritics or colon, lower case", [], ["- luu vt, ktkd;"], ["Lưu: VT, KTKĐ"]],
    ["'Lưu' with a copy count: its extra part kept", [], ["Lưu: VT, KTKĐ, 02b."], ["Lưu: VT, KTKĐ, 02b"]],
    ["'Lưu' with another unit: both units", [], ["Lưu: VT, GDTH"], ["Lưu: VT, KTKĐ, GDTH"]],
    ["'Lưu' typed in the middle ends up last, once", [], ["Lưu: VT", "Giám đốc Sở"], ["Giám đốc Sở", "Lưu: VT, KTKĐ"]],
    ["the same cc twice", [], ["Các phòng thuộc Sở", "các phòng thuộc sở;"], ["Các phòng thuộc Sở", "Lưu: VT, KTKĐ"]],
    ["a decision's lead typed again", ["Như Điều 3"], ["- Như điều 3;", "Bộ GDĐT (để báo cáo)"], ["Như Điều 3", "Bộ GDĐT (để báo cáo)", "Lưu: VT, KTKĐ"]],
    ["a different article stays", ["Như Điều 3"], ["Như Điều 4"], ["Như Điều 3", "Như Điều 4", "Lưu: VT, KTKĐ"]],
    ["đ and d are the same letter", [], ["Phòng GDĐT", "phong gddt"], ["Phòng GDĐT", "Lưu: VT, KTKĐ"]],
    ["punctuation-only items dropped", [], ["-", ";"], ["Lưu: VT, KTKĐ"]],
    ["words that only start like 'Lưu' are not storage", [], ["Lưu Văn Thành (để biết)"], ["Lưu Văn Thành (để biết)", "Lưu: VT, KTKĐ"]],
  ];
  it.each(cases)("%s", (_what, lead, cc, expected) => {
    expect(mergeDistribution({ lead, cc, storage: STORAGE })).toEqual(expected);
  });

  it("without a drafting unit the storage line is 'Lưu: VT'", () => {
    expect(mergeDistribution({ lead: [], cc: ["lưu vt."], storage: "Lưu: VT" })).toEqual(["Lưu: VT"]);
  });

  it("folds case, diacritics and punctuation away", () => {
    expect(foldDistributionItem("- Như Trên;")).toBe("nhu tren");
    expect(foldDistributionItem("Lưu: VT, KTKĐ.")).toBe("luu vt ktkd");
  });
});
