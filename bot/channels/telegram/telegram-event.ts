/**
 * Telegram updates → the conversation core's events, and what the adapter keeps to answer them
 * (stored with the event in the inbox, so the sweep can answer without the update).
 */
import type { Update } from "grammy/types";
import type { ConversationEvent } from "../../conversation/conversation-event.ts";
import { t, type Locale } from "../../../server/i18n.ts";

/** What the Telegram adapter needs to answer an event. */
export type TelegramContext = {
  /** The private chat to answer in (null for a button under an inline message). */
  chatId: number | null;
  callbackQueryId?: string | undefined;
  /** The bot's message whose button was pressed, as it is now (for the stamp). */
  carrier?: { messageId: number; text?: string | undefined; entities?: unknown[] | undefined } | undefined;
};

/** The key an update is remembered by: update ids are counted per bot, and an office may change bots. */
export const updateKey = (botId: number, updateId: number): string => `${botId}:${updateId}`;

/** Vietnamese unless the user's Telegram is set to English. */
const localeOf = (languageCode: string | undefined): Locale => (languageCode?.toLowerCase().startsWith("en") ? "en" : "vi");

/**
 * Reads one update; null for what chidao does not handle: other update types, and anything outside
 * private chats (principals are reached in private chats only, never in groups or channels).
 */
export function toTelegramEvent(update: Update, botId: number): { event: ConversationEvent; context: TelegramContext } | null {
  const dedupeKey = updateKey(botId, update.update_id);
  if (update.message) {
    const m = update.message;
    if (m.chat.type !== "private") return null;
    // The words of a message: its text, a caption, or the emoji a sticker stands for (a 👍 sticker).
    const text = m.text ?? m.caption ?? m.sticker?.emoji ?? "";
    const attachment = m.document?.file_name ?? (m.photo ? t("vi", "bot.photo") : undefined);
    const displayName = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(" ") || null;
    const event: ConversationEvent = {
      channel: "TELEGRAM",
      externalUserId: String(m.chat.id),
      kind: "text",
      text,
      messageId: String(m.message_id),
      at: new Date(m.date * 1000),
      dedupeKey,
      locale: localeOf(m.from?.language_code),
      displayName,
      ...(attachment === undefined ? {} : { attachment }),
    };
    return { event, context: { chatId: m.chat.id } };
  }
  if (update.callback_query?.data !== undefined) {
    const q = update.callback_query;
    const message = q.message;
    if (message && message.chat.type !== "private") return null;
    // A message Telegram no longer shows us (date 0) cannot be edited.
    const carrier = message && message.date !== 0 ? message : undefined;
    const payloads = (carrier?.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => ("callback_data" in b && b.callback_data ? [b.callback_data] : []));
    const event: ConversationEvent = {
      channel: "TELEGRAM",
      externalUserId: String(message?.chat.id ?? q.from.id),
      kind: "button",
      payload: q.data,
      at: new Date(),
      dedupeKey,
      locale: localeOf(q.from.language_code),
      ...(carrier ? { carrier: { messageId: String(carrier.message_id), payloads } } : {}),
    };
    const context: TelegramContext = {
      chatId: message?.chat.id ?? null,
      callbackQueryId: q.id,
      ...(carrier ? { carrier: { messageId: carrier.message_id, text: carrier.text, entities: carrier.entities } } : {}),
    };
    return { event, context };
  }
  if (update.my_chat_member) {
    const { chat, new_chat_member: member, date } = update.my_chat_member;
    if (chat.type !== "private") return null;
    // Telegram tells a bot when a user blocks it ("kicked") and unblocks it ("member").
    const kind = member.status === "kicked" ? "unfollow" : member.status === "member" ? "follow" : null;
    if (!kind) return null;
    return { event: { channel: "TELEGRAM", externalUserId: String(chat.id), kind, at: new Date(date * 1000), dedupeKey }, context: { chatId: chat.id } };
  }
  return null;
}
