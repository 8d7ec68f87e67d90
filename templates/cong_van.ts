/** Công văn (Mẫu 1.5): no type name or code; "V/v" under the number; "Kính gửi:"; Nơi nhận starts "- Như trên;". */
import { letterTemplate } from "./letter.ts";

export const congVan = letterTemplate("cong_van", "Công văn", "", null);
