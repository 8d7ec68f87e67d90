import type { Db } from "../../db/prisma.ts";
import { toEmblemImage, type EmblemImage } from "../../documents/certificate/emblem-image.ts";

/** The emblem an organisation uploaded, ready to embed, or null. */
export async function loadEmblem(db: Db, organizationId: number): Promise<EmblemImage | null> {
  const row = await db.orgEmblem.findUnique({ where: { organizationId }, select: { bytes: true } });
  return row ? toEmblemImage(Buffer.from(row.bytes)) : null;
}
