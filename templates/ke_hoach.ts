/** Kế hoạch (KH), Mẫu 1.4. */
import { letterTemplate } from "./letter.ts";

export const keHoach = letterTemplate("ke_hoach", "Kế hoạch", "KẾ HOẠCH", "KH");
