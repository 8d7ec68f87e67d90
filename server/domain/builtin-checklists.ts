/**
 * The built-in checklist templates, as versioned data. A template's name never changes meaning:
 * new wording is a new version, and a directive records the name and version it copied
 * ("kiem-dinh-2018@1"), so an old directive still says what it asked.
 *
 * No step carries a fixed due date or offset: the circulars leave the schedule to the province
 * (and the windows between the accreditation steps are not confirmed), so the officer sets the
 * dates when creating the directive (`checklist_dues`). The wording follows:
 * - the 2018 regime (TT 17/2018, 18/2018, 19/2018/TT-BGDĐT): four steps, tự đánh giá → đăng ký
 *   đánh giá ngoài → đánh giá ngoài (and đánh giá lại) → công nhận; registration is an official
 *   letter plus 02 copies of the self-assessment report; five-year cycle;
 * - the 2026 regime (TT 57/2026/TT-BGDĐT, in force 07/7/2026, "bảo đảm chất lượng"): the
 *   self-assessment report is Mẫu 1, the improvement plan Mẫu 2, the plan is reviewed at least
 *   twice a school year (end of HK I and end of year);
 * - publication (công khai) under TT 09/2024/TT-BGDĐT (which replaced TT 36/2017): content groups
 *   of Điều 4, 5, 8, 9 and the annual report of Điều 14, on the school's website by 30 June.
 */
import type { ChecklistTemplate } from "./checklist.ts";

export const BUILTIN_CHECKLISTS: readonly ChecklistTemplate[] = [
  {
    name: "kiem-dinh-2018",
    version: 1,
    builtin: true,
    title: "Kiểm định chất lượng giáo dục và công nhận đạt chuẩn quốc gia (TT 17, 18, 19/2018)",
    basis: "TT 17/2018/TT-BGDĐT, TT 18/2018/TT-BGDĐT, TT 19/2018/TT-BGDĐT; CV 5932, 5942/BGDĐT-QLCL",
    description: "Chu kỳ kiểm định 05 năm.",
    steps: [
      { title: "Tự đánh giá và hoàn thành báo cáo tự đánh giá", evidence: "Báo cáo tự đánh giá" },
      { title: "Đăng ký đánh giá ngoài", evidence: "Công văn đăng ký đánh giá ngoài và 02 bản báo cáo tự đánh giá" },
      { title: "Đánh giá ngoài và đánh giá lại", evidence: "Ý kiến của trường về dự thảo báo cáo đánh giá ngoài" },
      { title: "Công nhận và cấp giấy chứng nhận", evidence: "Quyết định công nhận" },
    ],
  },
  {
    name: "bao-dam-chat-luong-2026",
    version: 1,
    builtin: true,
    title: "Bảo đảm chất lượng giáo dục và công nhận đạt chuẩn quốc gia (TT 57/2026)",
    basis: "TT 57/2026/TT-BGDĐT (hiệu lực 07/7/2026), thay thế TT 17, 18, 19/2018 và TT 22/2024",
    description: "4 tiêu chuẩn, 15 tiêu chí, 2 mức.",
    steps: [
      { title: "Tự đánh giá và hoàn thành báo cáo tự đánh giá (Mẫu 1)", evidence: "Báo cáo tự đánh giá (Mẫu 1)" },
      { title: "Đăng ký đánh giá ngoài", evidence: "Công văn đăng ký đánh giá ngoài và báo cáo tự đánh giá" },
      { title: "Đánh giá ngoài và đánh giá lại", evidence: "Ý kiến của trường về dự thảo báo cáo đánh giá ngoài" },
      { title: "Công nhận và cấp giấy chứng nhận", evidence: "Quyết định công nhận" },
    ],
  },
  {
    name: "cai-tien-chat-luong",
    version: 1,
    builtin: true,
    title: "Kế hoạch cải tiến chất lượng và báo cáo kết quả thực hiện năm học",
    basis: "TT 18/2018/TT-BGDĐT (và các thông tư cùng kỳ); TT 57/2026/TT-BGDĐT (Mẫu 2)",
    steps: [
      { title: "Xây dựng và ban hành kế hoạch cải tiến chất lượng năm học", evidence: "Kế hoạch cải tiến chất lượng (Mẫu 2)" },
      { title: "Rà soát thực hiện kế hoạch cuối học kỳ I", evidence: "Biên bản rà soát" },
      { title: "Báo cáo kết quả thực hiện kế hoạch cải tiến chất lượng cuối năm học", evidence: "Báo cáo kết quả thực hiện" },
      { title: "Công khai kế hoạch và báo cáo kết quả cải tiến chất lượng", evidence: "Đường dẫn trang thông tin điện tử của trường" },
    ],
  },
  {
    name: "cong-khai",
    version: 1,
    builtin: true,
    title: "Thực hiện công khai năm học (TT 09/2024)",
    basis: "TT 09/2024/TT-BGDĐT (thay thế TT 36/2017/TT-BGDĐT), Điều 4, 5, 8, 9, 14, 15",
    description: "Công khai trên trang thông tin điện tử của trường trước ngày 30/6 hằng năm; cập nhật khi có thay đổi.",
    steps: [
      { title: "Công khai thông tin chung về cơ sở giáo dục", evidence: "Đường dẫn trang công khai" },
      { title: "Công khai thu, chi tài chính", evidence: "Đường dẫn trang công khai" },
      { title: "Công khai đội ngũ, cơ sở vật chất và tài liệu học tập", evidence: "Đường dẫn trang công khai" },
      { title: "Công khai kết quả tự đánh giá, kế hoạch cải tiến chất lượng, đánh giá ngoài và công nhận đạt chuẩn quốc gia", evidence: "Đường dẫn trang công khai" },
      { title: "Công khai kế hoạch giáo dục năm học và kết quả năm học trước", evidence: "Đường dẫn trang công khai" },
      { title: "Báo cáo thường niên", evidence: "Báo cáo thường niên" },
    ],
  },
];

/** The newest built-in version of `name`, if there is one. */
export function findBuiltinChecklist(name: string): ChecklistTemplate | undefined {
  return BUILTIN_CHECKLISTS.filter((c) => c.name === name).sort((a, b) => b.version - a.version)[0];
}
