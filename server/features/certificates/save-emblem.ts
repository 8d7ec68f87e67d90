import type { Db } from "../../db/prisma.ts";
import { readImageInfo, toEmblemImage } from "../../documents/certificate/emblem-image.ts";
import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getIssuerForUser } from "../documents/get-issuer-for-user.ts";

/** Largest side of an emblem in pixels: 2,000 px is 700 dpi at the 72 pt it prints at. */
export const EMBLEM_MAX_SIDE = 2000;

/**
 * Stores the emblem or logo an office prints on its certificates: a PNG or JPEG (checked by its
 * bytes, not its name), at most `maxBytes` and {@link EMBLEM_MAX_SIDE} pixels a side, that decodes.
 * @throws AppError UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, VALIDATION (undecodable), FORBIDDEN
 */
export async function saveEmblem(
  db: Db,
  user: AuthUser,
  orgCode: string,
  bytes: Buffer,
  maxBytes: number,
): Promise<{ organization: string; media_type: string; width: number; height: number; bytes: number }> {
  const org = await getIssuerForUser(db, user, orgCode, "code");
  if (bytes.length > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", "emblem too large", { messageKey: "errors.payload_too_large", params: { limit: maxBytes } });
  const info = readImageInfo(bytes);
  if (!info)
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "emblem type", { messageKey: "errors.unsupported_media_type", params: { type: "(bytes)", expected: "image/png, image/jpeg" } });
  if (info.width < 1 || info.height < 1 || info.width > EMBLEM_MAX_SIDE || info.height > EMBLEM_MAX_SIDE) {
    throw new AppError("VALIDATION", "emblem size", { messageKey: "certificates.errors.emblem_size", params: { max: EMBLEM_MAX_SIDE, width: info.width, height: info.height } });
  }
  try {
    toEmblemImage(bytes);
  } catch (cause) {
    throw new AppError("VALIDATION", "emblem does not decode", { messageKey: "certificates.errors.emblem_unreadable", cause });
  }
  const data = { mediaType: info.mediaType, bytes: new Uint8Array(bytes), width: info.width, height: info.height };
  await db.$transaction([
    db.orgEmblem.upsert({ where: { organizationId: org.id }, create: { organizationId: org.id, ...data }, update: data }),
    db.auditLog.create({ data: { userId: user.id, action: "org.emblem", entityType: "organization", entityId: org.code, details: { bytes: bytes.length, ...info } } }),
  ]);
  return { organization: org.code, media_type: info.mediaType, width: info.width, height: info.height, bytes: bytes.length };
}
