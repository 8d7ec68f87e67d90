/**
 * The database half of the import: a handful of set-based statements per 10,000 rows (arrays bound
 * as parameters and expanded with unnest), never one round trip per row.
 */
import type { Prisma } from "../../db/prisma.ts";
import type { OrgImportRow } from "../../domain/org-import.ts";
import { toDbKind, toDbLevel } from "../../domain/org.ts";

type Tx = Prisma.TransactionClient;
const CHUNK = 10_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Which optional columns the file carries (a column that is absent leaves existing values alone). */
type Present = { symbol: boolean; place: boolean; governingBody: boolean; registerPerType: boolean; parent: boolean; phone: boolean };

function presentColumns(rows: OrgImportRow[]): Present {
  const first = rows[0];
  return {
    symbol: first?.symbol !== undefined,
    place: first?.place !== undefined,
    governingBody: first?.governingBody !== undefined,
    registerPerType: first?.registerPerType !== undefined,
    parent: first?.parentCode !== undefined,
    phone: rows.some((r) => r.principal?.phone !== undefined),
  };
}

const orgArrays = (rows: OrgImportRow[]) => [
  rows.map((r) => r.code),
  rows.map((r) => r.name),
  rows.map((r) => toDbKind(r.kind)),
  rows.map((r) => (r.level ? toDbLevel(r.level) : null)),
  rows.map((r) => r.level === undefined),
  rows.map((r) => r.symbol ?? null),
  rows.map((r) => r.place ?? null),
  rows.map((r) => r.governingBody ?? null),
  rows.map((r) => r.registerPerType ?? false),
];

const UNNEST_ORGS = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::boolean[])
  AS v(code, name, kind, level, level_keep, symbol, place, governing_body, register_per_type)`;

async function insertOrgs(tx: Tx, rows: OrgImportRow[]): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "Organization" (code, name, kind, level, symbol, place, "governingBody", "registerPerType", "updatedAt")
     SELECT v.code, v.name, v.kind::"OrgKind", v.level::"SchoolLevel", v.symbol, v.place, v.governing_body, v.register_per_type, now()
     FROM ${UNNEST_ORGS}`,
    ...orgArrays(rows),
  );
}

async function updateOrgs(tx: Tx, rows: OrgImportRow[], present: Present): Promise<void> {
  const keep = (column: string, field: string, isPresent: boolean) => (isPresent ? `${column} = v.${field}` : `${column} = o.${column}`);
  await tx.$executeRawUnsafe(
    `UPDATE "Organization" o SET
       name = v.name,
       kind = v.kind::"OrgKind",
       level = CASE WHEN v.level_keep THEN o.level ELSE v.level::"SchoolLevel" END,
       ${keep("symbol", "symbol", present.symbol)},
       ${keep("place", "place", present.place)},
       ${keep(`"governingBody"`, "governing_body", present.governingBody)},
       ${keep(`"registerPerType"`, "register_per_type", present.registerPerType)},
       "updatedAt" = now()
     FROM ${UNNEST_ORGS}
     WHERE o.code = v.code`,
    ...orgArrays(rows),
  );
}

async function linkParents(tx: Tx, rows: OrgImportRow[]): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE "Organization" o SET "parentId" = p.id, "updatedAt" = now()
     FROM unnest($1::text[], $2::text[]) AS v(code, parent_code)
     LEFT JOIN "Organization" p ON p.code = v.parent_code
     WHERE o.code = v.code AND o."parentId" IS DISTINCT FROM p.id`,
    rows.map((r) => r.code),
    rows.map((r) => r.parentCode ?? null),
  );
}

/** Updates each organisation's first PRINCIPAL, or creates one, in one statement. */
async function upsertPrincipals(tx: Tx, rows: OrgImportRow[]): Promise<void> {
  const withPrincipal = rows.filter((r) => r.principal !== null);
  if (withPrincipal.length === 0) return;
  await tx.$executeRawUnsafe(
    `WITH v AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS v(code, name, phone, phone_keep)
     ),
     target AS (
       SELECT v.*, o.id AS org_id,
              (SELECT min(p.id) FROM "Person" p WHERE p."organizationId" = o.id AND p.role = 'PRINCIPAL') AS person_id
       FROM v JOIN "Organization" o ON o.code = v.code
     ),
     updated AS (
       UPDATE "Person" p SET name = t.name, phone = CASE WHEN t.phone_keep THEN p.phone ELSE t.phone END, "updatedAt" = now()
       FROM target t WHERE p.id = t.person_id
       RETURNING p.id
     )
     INSERT INTO "Person" (name, phone, role, "organizationId", "updatedAt")
     SELECT t.name, t.phone, 'PRINCIPAL', t.org_id, now() FROM target t WHERE t.person_id IS NULL`,
    withPrincipal.map((r) => r.code),
    withPrincipal.map((r) => r.principal!.name),
    withPrincipal.map((r) => r.principal!.phone ?? null),
    withPrincipal.map((r) => r.principal!.phone === undefined),
  );
}

/**
 * Writes accepted rows inside `tx`: inserts new organisations, updates existing ones, then links
 * parents (so a parent may come after its child in the file) and upserts principals.
 */
export async function writeOrgImport(tx: Tx, rows: OrgImportRow[], existingCodes: Set<string>): Promise<{ created: number; updated: number }> {
  const present = presentColumns(rows);
  const fresh = rows.filter((r) => !existingCodes.has(r.code));
  const old = rows.filter((r) => existingCodes.has(r.code));
  for (const c of chunks(fresh)) await insertOrgs(tx, c);
  for (const c of chunks(old)) await updateOrgs(tx, c, present);
  if (present.parent) for (const c of chunks(rows)) await linkParents(tx, c);
  for (const c of chunks(rows)) await upsertPrincipals(tx, c);
  return { created: fresh.length, updated: old.length };
}
