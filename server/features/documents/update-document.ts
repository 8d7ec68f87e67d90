import { z } from "zod";
import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDocument } from "./get-accessible-document.ts";
import { getDocumentTemplate } from "./get-document-template.ts";
import { parseTemplateData } from "./parse-template-data.ts";

export const UpdateDocumentSchema = z.object({ data: z.record(z.string(), z.unknown()) }).strict();

/**
 * Replaces a draft's data (the whole object, validated again by its template).
 * @throws AppError NOT_FOUND, CONFLICT when the document is no longer a draft, VALIDATION per field.
 */
export async function updateDocument(db: Db, user: AuthUser, id: number, input: z.infer<typeof UpdateDocumentSchema>): Promise<void> {
  const doc = await getAccessibleDocument(db, user, id);
  const data = parseTemplateData(getDocumentTemplate(doc.template), input.data);
  await db.$transaction(async (tx) => {
    // The status condition makes the check and the write one step: an issue that commits in between wins.
    const { count } = await tx.document.updateMany({ where: { id, status: "DRAFT" }, data: { data: data as Prisma.InputJsonValue } });
    if (count === 0) throw new AppError("CONFLICT", "not a draft", { messageKey: "documents.errors.not_draft" });
    await tx.auditLog.create({ data: { userId: user.id, action: "document.update", entityType: "document", entityId: String(id) } });
  });
}
