import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { ChannelOrderSchema } from "../../domain/channel-order.ts";
import { AppError } from "../../domain/errors.ts";
import { canAccessOrg } from "../access/can-access-org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getPerson, type PersonJson } from "./find-people.ts";

/** `PATCH /people/:id`: what may change on a person (the channel order, for now). */
export const UpdatePersonSchema = z.object({ channel_order: ChannelOrderSchema }).strict();
export type UpdatePerson = z.infer<typeof UpdatePersonSchema>;

/**
 * Sets the order in which deliveries try the person's channels. Channels not linked yet may be
 * listed (they are skipped until linked); linked channels left out follow, in the order they were
 * linked; an empty list means the order of linking. Deliveries already under way keep their channel
 * and use the new order for the next one they fall back to.
 * @throws AppError NOT_FOUND when the person is unknown or outside the user's subtree.
 */
export async function updateChannelOrder(db: Db, user: AuthUser, personId: number, input: UpdatePerson): Promise<PersonJson> {
  const person = await db.person.findUnique({ where: { id: personId }, select: { organizationId: true, channelOrder: true } });
  if (!person || !(await canAccessOrg(db, user, person.organizationId))) {
    throw new AppError("NOT_FOUND", `person ${personId}`, { messageKey: "errors.person_not_found", params: { id: personId } });
  }
  await db.$transaction([
    db.person.update({ where: { id: personId }, data: { channelOrder: input.channel_order } }),
    db.auditLog.create({
      data: { userId: user.id, action: "person.channel_order", entityType: "person", entityId: String(personId), details: { from: person.channelOrder, to: input.channel_order } },
    }),
  ]);
  return getPerson(db, personId);
}
