import { randomBytes } from "node:crypto";
import type { Db } from "../../db/prisma.ts";
import { CHANNEL_KINDS, linkUrlField, type ChannelPort, type LinkUrlField } from "../../domain/channel.ts";
import { AppError } from "../../domain/errors.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/** How long a link code stays valid. */
export const LINK_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The code, its expiry, and the way in on every channel (`telegram_url`, `zalo_oa_url`, …; null where the channel is off). */
export type LinkCodeJson = { code: string; expires_at: string } & Record<LinkUrlField, string | null>;

export type CreateLinkCodeOptions = {
  personId: number;
  user: AuthUser;
  /** The enabled channels; each gives its way in (deep link, follow link) for the code. */
  channels: readonly Pick<ChannelPort, "kind" | "linkUrl">[];
  now?: Date;
};

/**
 * Issues a single-use code that links a chat to a person: 128 random bits in base64url (22
 * characters, all allowed in a deep-link payload), valid for 7 days. The person's older
 * unused codes stop working at once, so only the latest letter or message handed out links.
 * @throws AppError NOT_FOUND when the person is unknown or outside the user's subtree.
 * @example await createLinkCode(db, { personId: 7, user, channels })
 * // { code: "q3…", expires_at: "…", telegram_url: "https://t.me/chidao_bot?start=q3…", zalo_oa_url: null, zalo_bot_url: null }
 */
export async function createLinkCode(db: Db, { personId, user, channels, now = new Date() }: CreateLinkCodeOptions): Promise<LinkCodeJson> {
  const person = await db.person.findUnique({ where: { id: personId }, select: { organizationId: true } });
  if (!person || !(await canAccessOrg(db, user, person.organizationId))) {
    throw new AppError("NOT_FOUND", `person ${personId}`, { messageKey: "errors.person_not_found", params: { id: personId } });
  }
  const code = randomBytes(16).toString("base64url");
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await db.$transaction(async (tx) => {
    const revoked = await tx.linkCode.updateMany({ where: { personId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    const created = await tx.linkCode.create({ data: { code, personId, expiresAt, createdById: user.id }, select: { id: true } });
    // The code itself is a credential and stays out of the audit trail.
    await tx.auditLog.create({
      data: {
        userId: user.id,
        action: "person.link_code",
        entityType: "person",
        entityId: String(personId),
        details: { linkCodeId: created.id, revoked: revoked.count, expiresAt: expiresAt.toISOString() },
      },
    });
  });
  const ways = Object.fromEntries(CHANNEL_KINDS.map((kind) => [linkUrlField(kind), channels.find((c) => c.kind === kind)?.linkUrl(code) ?? null])) as Record<
    LinkUrlField,
    string | null
  >;
  return { code, expires_at: expiresAt.toISOString(), ...ways };
}
