import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { userText } from "../../domain/text.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDocument } from "./get-accessible-document.ts";

export const WithdrawDocumentSchema = z.object({ reason: userText({ max: 500 }) }).strict();

/**
 * Withdraws (thu hồi) an issued document. The document and its register entry are marked
 * WITHDRAWN with the reason and time; the number stays taken and is never given again.
 * @throws AppError NOT_FOUND, CONFLICT when the document is a draft or already withdrawn
 */
export async function withdrawDocument(
  db: Db,
  user: AuthUser,
  id: number,
  input: z.infer<typeof WithdrawDocumentSchema>,
  now = new Date(),
): Promise<{ id: number; status: "withdrawn"; symbol: string; withdrawn_at: string }> {
  await getAccessibleDocument(db, user, id);
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ status: string; symbol: string | null }[]>`SELECT status::text AS status, symbol FROM "Document" WHERE id = ${id}::int FOR UPDATE`;
    const status = locked[0]?.status;
    if (status === "WITHDRAWN") throw new AppError("CONFLICT", "already withdrawn", { messageKey: "documents.errors.already_withdrawn" });
    if (status !== "ISSUED")
      throw new AppError("CONFLICT", "not issued", { messageKey: "documents.errors.not_issued", params: { preview: `/api/v1/documents/${id}/preview.pdf` } });
    await tx.document.update({ where: { id }, data: { status: "WITHDRAWN" } });
    await tx.registerEntry.update({ where: { documentId: id }, data: { status: "WITHDRAWN", withdrawnAt: now, withdrawnReason: input.reason } });
    await tx.auditLog.create({ data: { userId: user.id, action: "document.withdraw", entityType: "document", entityId: String(id), details: { reason: input.reason } } });
    return { id, status: "withdrawn" as const, symbol: locked[0]?.symbol ?? "", withdrawn_at: now.toISOString() };
  });
}
