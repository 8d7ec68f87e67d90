/**
 * Zalo OA webhook events → {@link InboundEvent}s. Only events chidao acts on are read: text (and the
 * button presses that arrive as text), follow and unfollow, and the delivery and read receipts of
 * our messages. Anything else (images, stickers, echoes of our own sends) is reported as ignored.
 */
import { z } from "zod";
import type { InboundEvent } from "../../../server/domain/inbound-event.ts";
import { parseZaloOaPayload } from "./format-zalo-oa.ts";
import { ZaloIdSchema } from "./zalo-oa.schemas.ts";

const Stamp = ZaloIdSchema.pipe(z.string().regex(/^\d{9,16}$/));

const UserSendText = z.object({
  event_name: z.literal("user_send_text"),
  timestamp: Stamp,
  sender: z.object({ id: ZaloIdSchema }),
  message: z.object({ text: z.string(), msg_id: ZaloIdSchema }),
});
// Follow events name the person `follower`, not `sender`.
const FollowEvent = z.object({
  event_name: z.enum(["follow", "unfollow"]),
  timestamp: Stamp,
  follower: z.object({ id: ZaloIdSchema }),
});
// In receipts the sender is the OA and the recipient the person.
const Received = z.object({
  event_name: z.literal("user_received_message"),
  timestamp: Stamp,
  recipient: z.object({ id: ZaloIdSchema }),
  message: z.object({ msg_id: ZaloIdSchema }),
});
const Seen = z.object({
  event_name: z.literal("user_seen_message"),
  timestamp: Stamp,
  recipient: z.object({ id: ZaloIdSchema }),
  message: z.object({ msg_ids: z.array(ZaloIdSchema).min(1) }),
});

const ZaloOaEventSchema = z.discriminatedUnion("event_name", [UserSendText, FollowEvent, Received, Seen]);

/** Event names this parser reads. */
export const ZALO_OA_EVENTS = ["user_send_text", "follow", "unfollow", "user_received_message", "user_seen_message"] as const;

export type ParsedZaloOaEvent =
  | { ok: true; events: InboundEvent[] }
  /** Well-formed JSON with an event we do not act on (answer 200, do nothing). */
  | { ok: true; events: []; ignored: string }
  /** One of our events without the fields it must have. */
  | { ok: false; error: string };

function at(ts: string): Date {
  return new Date(ts.length <= 11 ? Number(ts) * 1000 : Number(ts));
}

/** Parses one webhook body (already verified and decoded with large ids kept as strings). */
export function parseZaloOaEvent(body: unknown): ParsedZaloOaEvent {
  const name = typeof body === "object" && body !== null ? (body as { event_name?: unknown }).event_name : undefined;
  if (typeof name !== "string") return { ok: false, error: "no event_name" };
  if (!(ZALO_OA_EVENTS as readonly string[]).includes(name)) return { ok: true, events: [], ignored: name };
  const parsed = ZaloOaEventSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: `${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` };
  const e = parsed.data;
  const base = { channel: "ZALO_OA" as const, at: at(e.timestamp) };
  switch (e.event_name) {
    case "user_send_text": {
      const text = e.message.text.normalize("NFC");
      const payload = parseZaloOaPayload(text);
      const common = { ...base, externalUserId: e.sender.id, messageId: e.message.msg_id, dedupeKey: `msg:${e.message.msg_id}` };
      return { ok: true, events: [payload !== null ? { ...common, kind: "button", payload } : { ...common, kind: "text", text }] };
    }
    case "follow":
    case "unfollow":
      // No message id: Zalo's retries repeat the timestamp, which makes it the key.
      return { ok: true, events: [{ ...base, kind: e.event_name, externalUserId: e.follower.id, dedupeKey: `${e.event_name}:${e.follower.id}:${e.timestamp}` }] };
    case "user_received_message":
      return { ok: true, events: [{ ...base, kind: "delivered", externalUserId: e.recipient.id, messageId: e.message.msg_id, dedupeKey: `delivered:${e.message.msg_id}` }] };
    case "user_seen_message":
      return { ok: true, events: e.message.msg_ids.map((id) => ({ ...base, kind: "seen" as const, externalUserId: e.recipient.id, messageId: id, dedupeKey: `seen:${id}` })) };
  }
}
