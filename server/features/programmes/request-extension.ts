import type { Prisma } from "../../db/prisma.ts";
import type { ChannelKind } from "../../domain/channel.ts";

/**
 * Records a school's request to move a due date, for the issuing office to decide
 * (GET /extension-requests?status=pending). Returns the request's id.
 */
export async function requestExtension(
  tx: Prisma.TransactionClient,
  r: { directiveId: number; stepId: number | null; organizationId: number; personId: number; channel: ChannelKind; text: string; until: Date },
): Promise<number> {
  const created = await tx.extensionRequest.create({
    data: {
      directiveId: r.directiveId,
      stepId: r.stepId,
      organizationId: r.organizationId,
      personId: r.personId,
      channel: r.channel,
      text: r.text.slice(0, 2000),
      requestedUntil: r.until,
    },
    select: { id: true },
  });
  return created.id;
}
