/** Báo cáo (BC), Mẫu 1.4; a report sent upward names its recipients after "Kính gửi:". */
import { letterTemplate } from "./letter.ts";

export const baoCao = letterTemplate("bao_cao", "Báo cáo", "BÁO CÁO", "BC");
