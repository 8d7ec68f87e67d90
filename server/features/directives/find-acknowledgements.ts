import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getAccessibleDirective } from "./get-accessible-directive.ts";

export type AcknowledgementRow = {
  at: Date;
  org_code: string;
  org_name: string;
  person_name: string;
  /** The channel the acknowledgement came on, lower case ("telegram"). */
  channel: string;
  /** How: a button press, words, or the web. */
  source: string;
  /** The reply exactly as received (button data or text): the evidence. */
  raw: string;
};

/**
 * Every acknowledgement of a directive in the order they arrived: the chart of acknowledgements
 * over time and the evidence report read them.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function findAcknowledgements(db: Db, user: AuthUser, directiveId: number): Promise<AcknowledgementRow[]> {
  await getAccessibleDirective(db, user, directiveId);
  const rows = await db.acknowledgement.findMany({
    where: { directiveId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { at: true, channel: true, source: true, raw: true, person: { select: { name: true, organization: { select: { code: true, name: true } } } } },
  });
  return rows.map((r) => ({
    at: r.at,
    org_code: r.person.organization.code,
    org_name: r.person.organization.name,
    person_name: r.person.name,
    channel: r.channel.toLowerCase(),
    source: r.source.toLowerCase(),
    raw: r.raw,
  }));
}
