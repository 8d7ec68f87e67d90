import type { Db } from "../../db/prisma.ts";
import { ancestorOrSelfIds } from "../../db/org-tree-sql.ts";
import { AppError } from "../../domain/errors.ts";
import { parseImportRows, type ImportTable, type RowIssue } from "../../domain/org-import.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { assertPrintableImport } from "./assert-printable-import.ts";
import { resolveImportGraph, type ExistingLinks } from "./resolve-import-graph.ts";
import { writeOrgImport } from "./write-org-import.ts";

export type ImportOrgsResult = { created: number; updated: number; errors: RowIssue[] };

/** Thrown inside a dry run's transaction so that nothing it wrote is kept. */
class DryRunRollback extends Error {
  constructor(readonly result: ImportOrgsResult) {
    super("dry run");
  }
}

/**
 * The current parent links of `codes` and of every ancestor of them: what a cycle or a subtree
 * check may walk through, in one query.
 */
async function loadExistingLinks(db: Pick<Db, "$queryRaw">, codes: string[]): Promise<ExistingLinks> {
  const rows = await db.$queryRaw<{ code: string; parent_code: string | null }[]>`
    SELECT o.code, p.code AS parent_code
    FROM "Organization" o LEFT JOIN "Organization" p ON p.id = o."parentId"
    WHERE o.id IN (${ancestorOrSelfIds({ codes })})`;
  return new Map(rows.map((r) => [r.code, { parentCode: r.parent_code }]));
}

/**
 * Imports organisations and their principals from a table (CSV or XLSX already read). Rows are
 * upserted by code; a wrong row is reported and skipped while the others import; everything that
 * is written is written in one transaction with an audit entry.
 * @throws AppError VALIDATION for missing columns, an empty file, or a printed cell (name, symbol,
 * place, governing body) with characters the document font lacks; CONFLICT when another import
 * created the same codes at the same moment.
 * With `dryRun`, everything runs (so the counts and every row's problems are exactly what an import
 * would give) and the transaction is rolled back: the dashboard shows this report before anything
 * is written.
 */
export async function importOrgs(db: Db, user: AuthUser, table: ImportTable, format: "csv" | "xlsx", { dryRun = false }: { dryRun?: boolean } = {}): Promise<ImportOrgsResult> {
  const parsed = parseImportRows(table);
  assertPrintableImport(table);
  const scopeCode = user.organizationId === null ? null : ((await db.organization.findUnique({ where: { id: user.organizationId }, select: { code: true } }))?.code ?? "");
  try {
    return await db.$transaction(
      async (tx) => {
        const codes = new Set<string>();
        for (const r of parsed.rows) {
          codes.add(r.code);
          if (r.parentCode) codes.add(r.parentCode);
        }
        if (scopeCode) codes.add(scopeCode);
        const existing = await loadExistingLinks(tx, [...codes]);
        const graph = resolveImportGraph({ rows: parsed.rows, existing, scopeCode });
        const written = await writeOrgImport(tx, graph.accepted, new Set(existing.keys()));
        const errors = [...parsed.issues, ...graph.issues].sort((a, b) => a.row - b.row);
        await tx.auditLog.create({
          data: {
            userId: user.id,
            action: "orgs.import",
            entityType: "organization",
            details: { format, rows: table.rows.length, ...written, errors: errors.length, codes: graph.accepted.slice(0, 200).map((r) => r.code) },
          },
        });
        if (dryRun) throw new DryRunRollback({ ...written, errors });
        return { ...written, errors };
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result;
    if (/23505|unique constraint/i.test(String((err as Error).message))) {
      throw new AppError("CONFLICT", "concurrent import", { messageKey: "errors.import.conflict", cause: err });
    }
    throw err;
  }
}
