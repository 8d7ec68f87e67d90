import { describe, expect, it } from "vitest";
import { matchStep, parseStatusReply, type StatusReply } from "../../server/domain/status-reply.ts";

type Expect = Partial<StatusReply> | null;

const CASES: [string, Expect][] = [
  // Done, with and without diacritics, the step by number or in words.
  ["xong bước 1", { kind: "STATUS", status: "DONE", step: 1 }],
  ["xong buoc 1", { kind: "STATUS", status: "DONE", step: 1 }],
  ["XONG BƯỚC 1", { kind: "STATUS", status: "DONE", step: 1 }],
  ["Bước 1 xong rồi ạ", { kind: "STATUS", status: "DONE", step: 1 }],
  ["b2 xong", { kind: "STATUS", status: "DONE", step: 2 }],
  ["B 2 xong", { kind: "STATUS", status: "DONE", step: 2 }],
  ["bước hai hoàn thành", { kind: "STATUS", status: "DONE", step: 2 }],
  ["buoc ba hoan thanh roi", { kind: "STATUS", status: "DONE", step: 3 }],
  ["Dạ bước 3 em làm xong rồi ạ", { kind: "STATUS", status: "DONE", step: 3 }],
  ["đã hoàn tất bước 4", { kind: "STATUS", status: "DONE", step: 4 }],
  ["đã nộp báo cáo tự đánh giá", { kind: "STATUS", status: "DONE" }],
  ["da nop bao cao tu danh gia", { kind: "STATUS", status: "DONE" }],
  ["Trường đã gửi công văn đăng ký đánh giá ngoài", { kind: "STATUS", status: "DONE" }],
  ["nộp rồi ạ", { kind: "STATUS", status: "DONE" }],
  ["xong", { kind: "STATUS", status: "DONE" }],
  ["done #12", { kind: "STATUS", status: "DONE", directiveRef: 12 }],
  ["xong bước 2 #7", { kind: "STATUS", status: "DONE", step: 2, directiveRef: 7 }],
  // In progress.
  ["bước 2 đang làm", { kind: "STATUS", status: "IN_PROGRESS", step: 2 }],
  ["buoc 2 dang lam", { kind: "STATUS", status: "IN_PROGRESS", step: 2 }],
  ["đang thực hiện bước 1", { kind: "STATUS", status: "IN_PROGRESS", step: 1 }],
  ["Trường đang hoàn thiện báo cáo", { kind: "STATUS", status: "IN_PROGRESS" }],
  ["dang thu thap minh chung", { kind: "STATUS", status: "IN_PROGRESS" }],
  ["đã bắt đầu bước 1", { kind: "STATUS", status: "IN_PROGRESS", step: 1 }],
  // Blocked, the note as written.
  ["vướng: chưa có minh chứng tiêu chí 2.3", { kind: "STATUS", status: "BLOCKED", note: "chưa có minh chứng tiêu chí 2.3" }],
  ["vuong: chua co minh chung tieu chi 2.3", { kind: "STATUS", status: "BLOCKED", note: "chua co minh chung tieu chi 2.3" }],
  ["Bước 2 vướng mắc - thiếu kinh phí", { kind: "STATUS", status: "BLOCKED", step: 2, note: "thiếu kinh phí" }],
  ["trường đang làm bước 2 nhưng vướng: thiếu kinh phí", { kind: "STATUS", status: "BLOCKED", step: 2, note: "thiếu kinh phí" }],
  ["gặp khó khăn", { kind: "STATUS", status: "BLOCKED" }],
  ["bước 1 bị kẹt", { kind: "STATUS", status: "BLOCKED", step: 1 }],
  // Extension requests.
  ["xin gia hạn đến 15/3", { kind: "EXTENSION", until: { day: 15, month: 3 } }],
  ["xin gia han den 15/03/2027", { kind: "EXTENSION", until: { day: 15, month: 3, year: 2027 } }],
  ["Trường xin gia hạn bước 2 đến ngày 20-4", { kind: "EXTENSION", step: 2, until: { day: 20, month: 4 } }],
  ["xin lùi hạn 1 tuần", { kind: "EXTENSION", delay: "P7D" }],
  ["xin lui han 2 tuan", { kind: "EXTENSION", delay: "P14D" }],
  ["đề nghị gia hạn thêm 3 ngày", { kind: "EXTENSION", delay: "P3D" }],
  ["cho trường xin thêm thời gian một tuần ạ", { kind: "EXTENSION", delay: "P7D" }],
  ["xin gia hạn ạ", { kind: "EXTENSION" }],
  ["xin gia hạn đến 45/3", { kind: "EXTENSION" }],
  ["xin gia hạn được không ạ?", { kind: "EXTENSION" }],
  // Questions: nothing changes.
  ["xong chưa?", { kind: "QUESTION" }],
  ["xong chua", { kind: "QUESTION" }],
  ["bước 2 nộp ở đâu ạ", { kind: "QUESTION" }],
  ["hạn bước 1 là khi nào?", { kind: "QUESTION" }],
  ["báo cáo nộp bản giấy hay bản mềm?", { kind: "QUESTION" }],
  ["đã nộp được chưa ạ", { kind: "QUESTION" }],
  ["cho em hỏi bước 3 làm thế nào", { kind: "QUESTION" }],
  // A negated completion: nothing changes.
  ["chưa xong bước 1", { kind: "NOT_DONE", step: 1 }],
  ["chua xong buoc 1", { kind: "NOT_DONE", step: 1 }],
  ["bước 2 chưa làm được", { kind: "NOT_DONE", step: 2 }],
  ["không kịp nộp", { kind: "NOT_DONE" }],
  ["chưa hoàn thành", { kind: "NOT_DONE" }],
  ["em chưa nộp ạ", { kind: "NOT_DONE" }],
  ["ko xong dc", { kind: "NOT_DONE" }],
  // Not about the checklist: the acknowledgement rules read these.
  ["đã nhận", null],
  ["da nhan a", null],
  ["cảm ơn", null],
  ["ok", null],
  ["", null],
  ["   ", null],
  ["chưa có minh chứng", null],
  ["👍", null],
];

describe("parseStatusReply", () => {
  it.each(CASES)("%j", (text, expected) => {
    const got = parseStatusReply(text);
    if (expected === null) expect(got).toBeNull();
    else {
      expect(got).toMatchObject(expected);
      // A step or a date the words do not give is never made up.
      if (!("step" in expected)) expect(got).not.toHaveProperty("step");
      if (expected.kind === "EXTENSION" && !("until" in expected)) expect(got).not.toHaveProperty("until");
    }
  });
});

describe("matchStep", () => {
  const k2018 = [
    { n: 1, title: "Tự đánh giá và hoàn thành báo cáo tự đánh giá" },
    { n: 2, title: "Đăng ký đánh giá ngoài" },
    { n: 3, title: "Đánh giá ngoài và đánh giá lại" },
    { n: 4, title: "Công nhận và cấp giấy chứng nhận" },
  ];
  const about = (text: string) => (parseStatusReply(text) as { about: string }).about;
  it("finds the step the words name", () => {
    expect(matchStep(about("đã nộp báo cáo tự đánh giá"), k2018)).toBe(1);
    expect(matchStep(about("da gui dang ky danh gia ngoai"), k2018)).toBe(2);
    expect(matchStep(about("đã xong đánh giá lại"), k2018)).toBe(3);
    expect(matchStep(about("đã hoàn tất thủ tục cấp giấy chứng nhận"), k2018)).toBe(4);
  });
  it("names no step when the words fit none or two equally", () => {
    expect(matchStep(about("xong"), k2018)).toBeNull();
    expect(matchStep(about("đã xong đánh giá"), k2018)).toBeNull();
    expect(matchStep("", k2018)).toBeNull();
  });
});
