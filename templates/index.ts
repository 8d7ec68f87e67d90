/** The document templates, by name. */
import { baoCao } from "./bao_cao.ts";
import { chiThi } from "./chi_thi.ts";
import { congVan } from "./cong_van.ts";
import { giayMoi } from "./giay_moi.ts";
import { keHoach } from "./ke_hoach.ts";
import { quyetDinh } from "./quyet_dinh.ts";
import type { DocumentTemplate } from "../server/documents/document-template.ts";
import { thongBao } from "./thong_bao.ts";

export type { DocumentTemplate } from "../server/documents/document-template.ts";

const TEMPLATES: ReadonlyMap<string, DocumentTemplate> = new Map([congVan, thongBao, chiThi, keHoach, giayMoi, baoCao, quyetDinh].map((t) => [t.name, t]));

/** The template called `name`, if there is one. */
export function getTemplate(name: string): DocumentTemplate | undefined {
  return TEMPLATES.get(name);
}

/** Every template, in the order forms list them. */
export function listTemplates(): DocumentTemplate[] {
  return [...TEMPLATES.values()];
}
