import { fromDbKind, fromDbLevel, type OrgKindName, type SchoolLevelName } from "../../domain/org.ts";

/** An organisation as the API shows it. */
export type OrgJson = {
  id: number;
  code: string;
  name: string;
  kind: OrgKindName;
  level: SchoolLevelName | null;
  parent_code: string | null;
  symbol: string | null;
  place: string | null;
  governing_body: string | null;
  register_per_type: boolean;
};

/** The Prisma `select` that {@link toOrgJson} needs. */
export const ORG_JSON_SELECT = {
  id: true,
  code: true,
  name: true,
  kind: true,
  level: true,
  symbol: true,
  place: true,
  governingBody: true,
  registerPerType: true,
  parent: { select: { code: true } },
} as const;

type OrgRow = {
  id: number;
  code: string;
  name: string;
  kind: string;
  level: string | null;
  symbol: string | null;
  place: string | null;
  governingBody: string | null;
  registerPerType: boolean;
  parent: { code: string } | null;
};

/** Converts a row selected with {@link ORG_JSON_SELECT} to its API shape (snake_case, lowercase enums). */
export function toOrgJson(o: OrgRow): OrgJson {
  return {
    id: o.id,
    code: o.code,
    name: o.name,
    kind: fromDbKind(o.kind),
    level: fromDbLevel(o.level),
    parent_code: o.parent?.code ?? null,
    symbol: o.symbol,
    place: o.place,
    governing_body: o.governingBody,
    register_per_type: o.registerPerType,
  };
}
