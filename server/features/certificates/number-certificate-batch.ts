import type { Db } from "../../db/prisma.ts";
import { formatDocumentSymbol } from "../../domain/document-number.ts";
import { newVerifyCode } from "../documents/verify-code.ts";
import { allocateNumbers } from "../register/allocate-numbers.ts";
import { withRegisterTurn } from "../register/with-register-turn.ts";
import { getCertificateTemplate } from "./get-certificate-template.ts";

/**
 * Reserves the batch's register numbers before anything is rendered: in one transaction, under the
 * batch row's lock, every row gets its number (consecutive, in ceremony order), số/ký hiệu and
 * verification code, and the register gets one entry per certificate. Run again — after a crash,
 * by a second worker — it finds the batch numbered and does nothing, so no number is ever taken
 * twice; a crash before the commit takes none.
 * @returns the first number (null when the batch was numbered before).
 */
export async function numberCertificateBatch(db: Db, batchId: number, hooks: { beforeCommit?: () => Promise<void> } = {}): Promise<number | null> {
  const batch = await db.certificateBatch.findUniqueOrThrow({
    where: { id: batchId },
    select: { template: true, series: true, year: true, total: true, issuedAt: true, numberedAt: true, issuerOrg: { select: { id: true, symbol: true } } },
  });
  if (batch.numberedAt) return null;
  const template = getCertificateTemplate(batch.template);
  const org = batch.issuerOrg;
  return withRegisterTurn(`${org.id}:${batch.year}:${batch.series}`, () =>
    db.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ numberedAt: Date | null }[]>`SELECT "numberedAt" FROM "CertificateBatch" WHERE id = ${batchId}::int FOR UPDATE`;
        if (locked[0]?.numberedAt) return null;
        const first = await allocateNumbers(tx, { organizationId: org.id, year: batch.year, series: batch.series, count: batch.total });
        for (let from = 0; from < batch.total; from += 2000) {
          const items = await tx.certificateItem.findMany({
            where: { batchId, seq: { gte: from, lt: from + 2000 } },
            orderBy: { seq: "asc" },
            select: { id: true, seq: true },
          });
          const ids = items.map((i) => i.id);
          const numbers = items.map((i) => first + i.seq);
          const symbols = numbers.map((n) => formatDocumentSymbol({ number: n, typeAbbreviation: template.abbreviation, issuerSymbol: org.symbol ?? "" }));
          const codes = items.map(() => newVerifyCode());
          await tx.$executeRaw`
            UPDATE "CertificateItem" AS i SET number = u.number, symbol = u.symbol, "verifyCode" = u.code
            FROM unnest(${ids}::int[], ${numbers}::int[], ${symbols}::text[], ${codes}::text[]) AS u(id, number, symbol, code)
            WHERE i.id = u.id`;
          await tx.$executeRaw`
            INSERT INTO "RegisterEntry" ("organizationId", year, series, number, symbol, "issuedAt", "documentType", subject, "signerName", note, "createdAt", "updatedAt")
            SELECT ${org.id}::int, ${batch.year}::int, ${batch.series}, i.number, i.symbol, ${batch.issuedAt}, ${template.label}, i.subject, i.data->>'signer_name',
                   ${`Lô giấy chứng nhận số ${batchId}`}, now(), now()
            FROM "CertificateItem" i WHERE i."batchId" = ${batchId}::int AND i.seq >= ${from}::int AND i.seq < ${from + 2000}::int`;
        }
        await tx.certificateBatch.update({ where: { id: batchId }, data: { numberedAt: new Date(), status: "RENDERING" } });
        await hooks.beforeCommit?.();
        return first;
      },
      { timeout: 300_000, maxWait: 60_000 },
    ),
  );
}
