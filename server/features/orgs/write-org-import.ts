/**
 * The database half of the import: a handful of set-based statements per 10,000 rows (arrays bound
 * as parameters and expanded with unnest), never one round trip per row.
 */
import { Prisma } from "../../db/generated/client.ts";
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

/** The rows as one parameter per column, expanded by unnest into a table `v`. */
function unnestOrgs(rows: OrgImportRow[]): Prisma.Sql {
  return Prisma.sql`unnest(
      ${rows.map((r) => r.code)}::text[],
      ${rows.map((r) => r.name)}::text[],
      ${rows.map((r) => toDbKind(r.kind))}::text[],
      ${rows.map((r) => (r.level ? toDbLevel(r.level) : null))}::text[],
      ${rows.map((r) => r.level === undefined)}::boolean[],
      ${rows.map((r) => r.symbol ?? null)}::text[],
      ${rows.map((r) => r.place ?? null)}::text[],
      ${rows.map((r) => r.governingBody ?? null)}::text[],
      ${rows.map((r) => r.registerPerType ?? false)}::boolean[]
    ) AS v(code, name, kind, level, level_keep, symbol, place, governing_body, register_per_type)`;
}

async function insertOrgs(tx: Tx, rows: OrgImportRow[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Organization" (code, name, kind, level, symbol, place, "governingBody", "registerPerType", "updatedAt")
    SELECT v.code, v.name, v.kind::"OrgKind", v.level::"SchoolLevel", v.symbol, v.place, v.governing_body, v.register_per_type, now()
    FROM ${unnestOrgs(rows)}`;
}

async function updateOrgs(tx: Tx, rows: OrgImportRow[], present: Present): Promise<void> {
  // A column the file does not carry is not assigned, so existing values stay.
  const optional: [boolean, Prisma.Sql][] = [
    [present.symbol, Prisma.sql`symbol = v.symbol`],
    [present.place, Prisma.sql`place = v.place`],
    [present.governingBody, Prisma.sql`"governingBody" = v.governing_body`],
    [present.registerPerType, Prisma.sql`"registerPerType" = v.register_per_type`],
  ];
  const assignments = [
    Prisma.sql`name = v.name`,
    Prisma.sql`kind = v.kind::"OrgKind"`,
    Prisma.sql`level = CASE WHEN v.level_keep THEN o.level ELSE v.level::"SchoolLevel" END`,
    ...optional.filter(([isPresent]) => isPresent).map(([, sql]) => sql),
    Prisma.sql`"updatedAt" = now()`,
  ];
  await tx.$executeRaw`
    UPDATE "Organization" o SET ${Prisma.join(assignments, ", ")}
    FROM ${unnestOrgs(rows)}
    WHERE o.code = v.code`;
}

async function linkParents(tx: Tx, rows: OrgImportRow[]): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Organization" o SET "parentId" = p.id, "updatedAt" = now()
    FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.parentCode ?? null)}::text[]) AS v(code, parent_code)
    LEFT JOIN "Organization" p ON p.code = v.parent_code
    WHERE o.code = v.code AND o."parentId" IS DISTINCT FROM p.id`;
}

/** Updates each organisation's first PRINCIPAL, or creates one, in one statement. */
async function upsertPrincipals(tx: Tx, rows: OrgImportRow[]): Promise<void> {
  const withPrincipal = rows.filter((r) => r.principal !== null);
  if (withPrincipal.length === 0) return;
  await tx.$executeRaw`
    WITH v AS (
      SELECT * FROM unnest(
        ${withPrincipal.map((r) => r.code)}::text[],
        ${withPrincipal.map((r) => r.principal!.name)}::text[],
        ${withPrincipal.map((r) => r.principal!.phone ?? null)}::text[],
        ${withPrincipal.map((r) => r.principal!.phone === undefined)}::boolean[]
      ) AS v(code, name, phone, phone_keep)
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
    SELECT t.name, t.phone, 'PRINCIPAL', t.org_id, now() FROM target t WHERE t.person_id IS NULL`;
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
