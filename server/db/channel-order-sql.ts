/**
 * The channel order in SQL, written once (the rule itself: server/domain/channel-order.ts): a
 * person's `channelOrder` first, then the channels it does not list by the time they were linked.
 */
import { Prisma } from "./generated/client.ts";

/**
 * The `ORDER BY` terms that rank chat identity `ci` of person `p` (aliases as given), best first.
 * @example Prisma.sql`… ORDER BY ${channelRank("p", "ci")}`
 */
export function channelRank(person: string, identity: string): Prisma.Sql {
  const p = Prisma.raw(`"${person}"`);
  const ci = Prisma.raw(`"${identity}"`);
  return Prisma.sql`array_position(COALESCE(${p}."channelOrder", ARRAY[]::"Channel"[]), ${ci}.channel) NULLS LAST, ${ci}."linkedAt", ${ci}.id`;
}
