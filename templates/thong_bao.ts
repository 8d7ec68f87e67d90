/** Thông báo (TB), Mẫu 1.4. */
import { letterTemplate } from "./letter.ts";

export const thongBao = letterTemplate("thong_bao", "Thông báo", "THÔNG BÁO", "TB");
