import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "./get-accessible-directive.ts";

export type ReplyJson = {
  id: number;
  channel: string;
  intent: string;
  text: string;
  at: string;
  person_id: number | null;
  person_name: string | null;
  org_code: string | null;
};

/**
 * The chat messages recorded against a directive (questions, "not received", unreadable replies)
 * in the order they came, for the officer to answer.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function findDirectiveReplies(db: Db, user: AuthUser, directiveId: number): Promise<ReplyJson[]> {
  await getAccessibleDirective(db, user, directiveId);
  const replies = await db.inboundMessage.findMany({
    where: { directiveId },
    orderBy: { createdAt: "asc" },
    select: { id: true, channel: true, text: true, intent: true, createdAt: true, person: { select: { id: true, name: true, organization: { select: { code: true } } } } },
  });
  return replies.map((r) => ({
    id: r.id,
    channel: r.channel.toLowerCase(),
    intent: r.intent.toLowerCase(),
    text: r.text,
    at: r.createdAt.toISOString(),
    person_id: r.person?.id ?? null,
    person_name: r.person?.name ?? null,
    org_code: r.person?.organization.code ?? null,
  }));
}
