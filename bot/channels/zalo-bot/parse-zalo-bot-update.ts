/**
 * Zalo Bot Platform updates → {@link InboundEvent}. The webhook delivers the update bare
 * (`{event_name, message}`) and some clients see it wrapped (`{ok, result}`); getUpdates' samples
 * omit `event_name`. Names of the sender differ between descriptions, so none is required. Only
 * private text messages are read; the platform offers nothing else we can act on.
 */
import { z } from "zod";
import type { InboundEvent } from "../../../server/domain/inbound-event.ts";

const Id = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

const Update = z.object({
  event_name: z.string().optional(),
  message: z.object({
    message_id: Id,
    date: Id.pipe(z.string().regex(/^\d{9,16}$/)),
    text: z.string().optional(),
    chat: z.object({ id: Id, chat_type: z.string().optional() }),
    from: z.object({ id: Id }).optional(),
  }),
});

export type ParsedZaloBotUpdate = { ok: true; event: InboundEvent } | { ok: true; event: null; ignored: string } | { ok: false; error: string };

/** Parses one update (from the webhook or getUpdates). */
export function parseZaloBotUpdate(body: unknown): ParsedZaloBotUpdate {
  const bare = typeof body === "object" && body !== null && "result" in body && (body as { ok?: unknown }).ok === true ? body.result : body;
  const parsed = Update.safeParse(bare);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ") };
  const { event_name: name, message: m } = parsed.data;
  if (name !== undefined && name !== "message.text.received") return { ok: true, event: null, ignored: name };
  if (m.text === undefined) return { ok: true, event: null, ignored: "message without text" };
  if (m.chat.chat_type !== undefined && m.chat.chat_type !== "PRIVATE") return { ok: true, event: null, ignored: `chat ${m.chat.chat_type}` };
  const date = m.date.length <= 11 ? Number(m.date) * 1000 : Number(m.date);
  return {
    ok: true,
    event: {
      channel: "ZALO_BOT",
      // In a private chat the chat is the person, and the chat id is what sendMessage takes.
      externalUserId: m.chat.id,
      kind: "text",
      text: m.text.normalize("NFC"),
      messageId: m.message_id,
      at: new Date(date),
      dedupeKey: `message.text.received:${m.message_id}`,
    },
  };
}
