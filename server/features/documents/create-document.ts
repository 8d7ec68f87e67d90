import { z } from "zod";
import { OrgCodeSchema } from "../../domain/org.ts";
import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getIssuerForUser } from "./get-issuer-for-user.ts";
import { getDocumentTemplate } from "./get-document-template.ts";
import { parseTemplateData } from "./parse-template-data.ts";

export const CreateDocumentSchema = z
  .object({
    template: z.string().trim().min(1).max(64),
    /** Code of the issuing organisation. */
    issuer: OrgCodeSchema,
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type CreateDocumentInput = z.infer<typeof CreateDocumentSchema>;

/**
 * Creates a draft. Drafts have no number: numbers are taken only when a clerk issues the document.
 * The stored data is the validated form (NFC, trimmed, defaults filled), so what is rendered later
 * is exactly what passed validation.
 * @throws AppError VALIDATION (unknown template or issuer, each bad `data.*` field), FORBIDDEN (issuer outside the user's subtree)
 */
export async function createDocument(db: Db, user: AuthUser, input: CreateDocumentInput): Promise<{ id: number; status: "draft" }> {
  const template = getDocumentTemplate(input.template);
  const issuer = await getIssuerForUser(db, user, input.issuer);
  const data = parseTemplateData(template, input.data);
  const doc = await db.$transaction(async (tx) => {
    const created = await tx.document.create({
      data: { template: template.name, issuerOrgId: issuer.id, data: data as Prisma.InputJsonValue, createdById: user.id },
      select: { id: true },
    });
    await tx.auditLog.create({
      data: { userId: user.id, action: "document.create", entityType: "document", entityId: String(created.id), details: { template: template.name, issuer: issuer.code } },
    });
    return created;
  });
  return { id: doc.id, status: "draft" };
}
