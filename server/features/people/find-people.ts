import { z } from "zod";
import type { Db } from "../../db/prisma.ts";
import { subtreeIds } from "../../db/org-tree-sql.ts";
import { orderChannels } from "../../domain/channel-order.ts";
import { OrgCodeSchema } from "../../domain/org.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { getOrg } from "../orgs/get-org.ts";

export const FindPeopleQuerySchema = z
  .object({
    org: OrgCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(5000).optional(),
    offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();
export type FindPeopleQuery = z.infer<typeof FindPeopleQuerySchema>;

export type PersonJson = {
  id: number;
  name: string;
  phone: string | null;
  org_code: string;
  channels: { channel: string; linked_at: string }[];
  /** The linked channels in the order a delivery tries them. */
  channel_order: string[];
  /** The order as set with PATCH (channels not linked included); empty: the order of linking. */
  channel_preference: string[];
};

const PERSON_SELECT = {
  id: true,
  name: true,
  phone: true,
  channelOrder: true,
  organization: { select: { code: true } },
  chatIdentities: { select: { channel: true, linkedAt: true }, orderBy: { channel: "asc" } },
} as const;

type PersonRow = {
  id: number;
  name: string;
  phone: string | null;
  channelOrder: ChannelRow["channel"][];
  organization: { code: string };
  chatIdentities: ChannelRow[];
};
type ChannelRow = { channel: "TELEGRAM" | "ZALO_OA" | "ZALO_BOT"; linkedAt: Date };

function toPersonJson(p: PersonRow): PersonJson {
  return {
    id: p.id,
    name: p.name,
    phone: p.phone,
    org_code: p.organization.code,
    channels: p.chatIdentities.map((c) => ({ channel: c.channel.toLowerCase(), linked_at: c.linkedAt.toISOString() })),
    channel_order: orderChannels(p.channelOrder, p.chatIdentities).map((c) => c.toLowerCase()),
    channel_preference: p.channelOrder.map((c) => c.toLowerCase()),
  };
}

/** One person as the people routes show them (access is the caller's to check). */
export async function getPerson(db: Db, id: number): Promise<PersonJson> {
  return toPersonJson(await db.person.findUniqueOrThrow({ where: { id }, select: PERSON_SELECT }));
}

/**
 * People of organisation `org` (which the user must be able to see), or, without it, a page of
 * everyone in the user's subtree ordered by id (`limit` defaults to 1,000), each with the chat
 * channels they have linked.
 * @throws AppError NOT_FOUND when `org` is unknown or outside the user's subtree.
 */
export async function findPeople(db: Db, user: AuthUser, query: FindPeopleQuery): Promise<PersonJson[]> {
  let where: { organizationId: number } | { id: { in: number[] } } | object = {};
  if (query.org) where = { organizationId: (await getOrg(db, user, query.org)).id };
  else if (user.organizationId !== null) {
    // Only the page's ids come back from the subtree walk, so the IN list stays small.
    const rows = await db.$queryRaw<{ id: number }[]>`
      SELECT p.id FROM "Person" p WHERE p."organizationId" IN (${subtreeIds(user.organizationId)})
      ORDER BY p.id LIMIT ${query.limit ?? 1000} OFFSET ${query.offset ?? 0}`;
    where = { id: { in: rows.map((r) => r.id) } };
  }
  const paged = query.org || user.organizationId === null;
  const people = await db.person.findMany({
    where,
    select: PERSON_SELECT,
    orderBy: { id: "asc" },
    ...(paged ? { take: query.limit ?? 1000, skip: query.offset ?? 0 } : {}),
  });
  return people.map(toPersonJson);
}
