/** The certificate templates, by name. */
import type { CertificateTemplate } from "../../server/documents/certificate/certificate-template.ts";
import { chungNhanKiemDinh } from "./chung_nhan_kiem_dinh.ts";
import { congNhanChuanQuocGia } from "./cong_nhan_chuan_quoc_gia.ts";
import { giayKhen } from "./giay_khen.ts";

export type { CertificateTemplate } from "../../server/documents/certificate/certificate-template.ts";

const CERTIFICATES: ReadonlyMap<string, CertificateTemplate> = new Map([chungNhanKiemDinh, congNhanChuanQuocGia, giayKhen].map((t) => [t.name, t]));

/** The certificate template called `name`, if there is one. */
export function getCertificateTemplate(name: string): CertificateTemplate | undefined {
  return CERTIFICATES.get(name);
}

/** Every certificate template. */
export function listCertificateTemplates(): CertificateTemplate[] {
  return [...CERTIFICATES.values()];
}
