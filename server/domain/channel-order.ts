/**
 * A person's channel order: the channels a delivery tries, first to last. The stored preference
 * (PATCH /people/:id `channel_order`) comes first, then any linked channel it does not list, in the
 * order it was linked; a preference that lists nothing means "the order of linking". Listed
 * channels that are not linked are skipped. The SQL that picks a delivery's channel
 * (server/db/channel-order-sql.ts) orders the same way.
 */
import { z } from "zod";
import { CHANNEL_KINDS, type ChannelKind } from "./channel.ts";

/** `channel_order` as an API client writes it: known channels (any case), each once. */
export const ChannelOrderSchema = z
  .array(
    z
      .string()
      .max(20)
      .transform((s) => s.toUpperCase())
      .pipe(z.enum(CHANNEL_KINDS)),
  )
  .max(CHANNEL_KINDS.length * 2)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c))
        ctx.addIssue({ code: "custom", path: [i], message: `${c} listed twice`, params: { messageKey: "errors.channel_order_duplicate", channel: c.toLowerCase() } });
      seen.add(c);
    });
  });

/**
 * The linked channels in the order a delivery tries them.
 * @example orderChannels(["ZALO_OA"], [{ channel: "TELEGRAM", linkedAt: t1 }, { channel: "ZALO_OA", linkedAt: t2 }]) // ["ZALO_OA", "TELEGRAM"]
 */
export function orderChannels(preference: readonly ChannelKind[], linked: readonly { channel: ChannelKind; linkedAt: Date }[]): ChannelKind[] {
  const rank = (c: ChannelKind) => {
    const i = preference.indexOf(c);
    return i < 0 ? preference.length : i;
  };
  return [...linked].sort((a, b) => rank(a.channel) - rank(b.channel) || a.linkedAt.getTime() - b.linkedAt.getTime()).map((l) => l.channel);
}
