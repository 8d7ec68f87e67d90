/** Chỉ thị (CT), Mẫu 1.4. */
import { letterTemplate } from "./letter.ts";

export const chiThi = letterTemplate("chi_thi", "Chỉ thị", "CHỈ THỊ", "CT");
