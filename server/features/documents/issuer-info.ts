import type { IssuerInfo } from "../../documents/index.ts";

/** What the document header needs from an organisation row. */
export function issuerInfo(org: { name: string; symbol: string | null; place: string | null; governingBody: string | null }): IssuerInfo {
  return { name: org.name, symbol: org.symbol, place: org.place, governingBody: org.governingBody };
}
