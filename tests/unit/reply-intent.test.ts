import { describe, expect, it } from "vitest";
import { foldVietnamese, parseReply } from "../../server/domain/reply-intent.ts";

const cases: Record<string, string[]> = {
  ACK: [
    "đã nhận",
    "Đã nhận ạ",
    "da nhan",
    "DA NHAN A",
    "Da nhan a",
    "em đã nhận được rồi ạ",
    "nhận được rồi",
    "ok đã nhận",
    "đã xem",
    "đã rõ",
    "rõ ạ",
    "vâng ạ",
    "Vâng",
    "ok",
    "OK nhé",
    "👍",
    "✅",
    "dạ",
    "Dạ em đã nhận",
    "Trường THCS X1 đã nhận công văn",
    "đã tiếp nhận",
    "nhan dc r",
    "không sao, đã nhận",
    "thầy đã nắm",
    "da nhan van ban cua so, cam on",
    "Đã nhận.",
    // Decomposed Unicode as some phone keyboards send it.
    "Đã nhận ạ".normalize("NFD"),
    // Skin tones and the emoji selector are noise.
    "👍🏻",
    "👌🏽",
    "✔️",
    "👍👍",
    "rồi ạ",
    "dạ rồi",
    "Dạ vâng ạ",
    "Dạ, em cảm ơn ạ",
    "uk",
    "ok, không có vấn đề gì",
    "đã nhận, không có câu hỏi gì",
    "đã nhận, không có thắc mắc gì ạ",
    "Em nhận rồi ạ",
    "Đã triển khai",
    "okela",
    "Đã nhận, xin lỗi vì trả lời muộn",
    "Đã nhận. Trân trọng!",
    "đã nhận. Tuy nhiên trường không có học sinh lớp 9",
    "Dạ nhận",
    "Vâng, em sẽ triển khai",
    "Đã xác nhận",
    "xac nhan",
    "đã hiểu",
    "hiểu rồi ạ",
  ],
  DECLINE: [
    "chưa nhận được",
    "chua nhan duoc",
    "không nhận được",
    "ko thay file",
    "chưa thấy văn bản",
    "em chưa nhận được ạ",
    "k nhận đc",
    "không mở được file",
    "file không tải được",
    "khong co file dinh kem",
    "chưa",
    "chua a",
    // A negation wins over the words of receipt beside it.
    "nhận được rồi nhưng không mở được file",
    "đã nhận tin nhắn nhưng chưa thấy văn bản",
    "không ok",
    "chưa xem",
    "em chưa ạ",
    "Dạ chưa",
    "hok thấy gì",
    "K",
    // The negation after the verb, and broken or incomplete files.
    "file mở không được",
    "tải file chưa được ạ",
    "đã nhận nhưng file bị lỗi",
    "Đã nhận nhưng thiếu phụ lục",
    "file hỏng rồi",
    "da nhan nhung file loi font",
    "nhận được 1 file, còn thiếu 1 file",
    "file bị mất chữ",
    "chưa xác nhận được",
    "chx nhận",
    "không có công văn nào",
    "em chưa có file ạ",
  ],
  QUESTION: [
    "đã nhận chưa?",
    "cho em hỏi hạn nộp là khi nào",
    "bao gio nop bao cao",
    "đã nhận, nhưng nộp như thế nào ạ",
    "file ở đâu?",
    "cho minh hoi ve muc 2",
    "Hạn chót là ngày nào?",
    // The yes/no particle "chưa" at the end asks, even without "?".
    "đã nhận được chưa ạ",
    "da nhan chua",
    "có file chưa",
    // So does a trailing "không".
    "thầy nhận được file ko ạ",
    "có cần nộp không",
    "dc ko a",
    // "hỏi" with its diacritics is a question; folded "hoi" could be "hơi" or "hồi".
    "em hỏi chút về biểu mẫu",
    "thắc mắc về mục 3",
    "chưa rõ ạ",
    "em không hiểu mục 2",
  ],
  UNKNOWN: ["em muốn xác nhận lại thời hạn", "", "   ", "xin chào", "hello", "nhanh lên", "cảm ơn", "12345", "👎", "hơi muộn", "phản hồi sau", "không sao"],
};

describe("parseReply", () => {
  for (const [intent, texts] of Object.entries(cases)) {
    for (const text of texts) {
      it(`${JSON.stringify(text)} → ${intent}`, () => {
        expect(parseReply(text).intent).toBe(intent);
      });
    }
  }
  it("picks up a directive number", () => {
    expect(parseReply("đã nhận #12")).toEqual({ intent: "ACK", directiveRef: 12 });
    expect(parseReply("da nhan")).toEqual({ intent: "ACK" });
    expect(parseReply("# 7 chua nhan duoc")).toEqual({ intent: "DECLINE", directiveRef: 7 });
    // A number without "#" is part of the text, not a reference.
    expect(parseReply("đã nhận công văn 125")).toEqual({ intent: "ACK" });
    // An official document number ("#125/SGDĐT-GDTrH") is not a directive reference.
    expect(parseReply("đã nhận công văn #125/SGDĐT-GDTrH")).toEqual({ intent: "ACK" });
  });
});

describe("foldVietnamese", () => {
  it("strips diacritics, folds đ and case, and collapses punctuation", () => {
    expect(foldVietnamese("  ĐÃ   NHẬN, ạ!!  ")).toBe("da nhan a");
    expect(foldVietnamese("Giáo dục".normalize("NFD"))).toBe("giao duc");
  });
});
