import { describe, expect, it } from "vitest";
import { parseChoiceNumber, type ChoiceNumber } from "../../bot/conversation/choice-number.ts";

describe("parseChoiceNumber", () => {
  it.each<[string, ChoiceNumber]>([
    ["1", { n: 1, form: "bare" }],
    [" 2. ", { n: 2, form: "bare" }],
    ["(3)", { n: 3, form: "bare" }],
    ["số 1", { n: 1, form: "bare" }],
    ["so 1", { n: 1, form: "bare" }],
    ["Số 2 ạ", { n: 2, form: "bare" }],
    ["chọn 3", { n: 3, form: "bare" }],
    ["Dạ em chọn số 2 ạ", { n: 2, form: "bare" }],
    ["cô chọn 1 nhé", { n: 1, form: "bare" }],
    ["văn bản 2", { n: 2, form: "bare" }],
    ["phương án 1", { n: 1, form: "bare" }],
    ["1 ạ, em cảm ơn", { n: 1, form: "bare" }],
    ["da nhan 1", { n: 1, form: "receipt" }],
    ["đã nhận 1", { n: 1, form: "receipt" }],
    ["ĐÃ NHẬN SỐ 2 Ạ", { n: 2, form: "receipt" }],
    ["ok 1", { n: 1, form: "receipt" }],
    ["xác nhận 3", { n: 3, form: "receipt" }],
    ["#1", { n: 1, form: "hash" }],
    ["# 2", { n: 2, form: "hash" }],
    ["đã nhận #12", { n: 12, form: "hash" }],
    ["12", { n: 12, form: "bare" }],
  ])("%j picks %j", (text, expected) => {
    expect(parseChoiceNumber(text)).toEqual(expected);
  });

  it.each([
    "",
    "đã nhận",
    "da nhan a",
    "đã nhận 2 văn bản",
    "có 1 câu hỏi",
    "có 1",
    "em 2",
    "chưa nhận 1",
    "không 1",
    "1 2",
    "1, 3",
    "1/2",
    "#125/SGDĐT",
    "trường có 120 học sinh",
    "hạn 15",
    "Qm9yZ2VzLTAxMjM0NTY3",
    "1234567890",
    "/pending",
  ])("%j picks nothing", (text) => {
    expect(parseChoiceNumber(text)).toBeNull();
  });
});
