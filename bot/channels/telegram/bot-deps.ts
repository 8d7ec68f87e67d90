/**
 * What every handler of the Telegram bot needs: the database, a logger, and two small readings of
 * the update — which language to answer in, and which person the chat belongs to.
 */
import type { Context } from "grammy";
import type { Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import { findChatPerson, type ChatPerson } from "../../../server/features/chat/find-chat-person.ts";
import type { Locale } from "../../../server/i18n.ts";

export type BotDeps = { db: Db; log: Logger };

/** Vietnamese unless the user's Telegram is set to English. */
export function localeOf(ctx: Context): Locale {
  return ctx.from?.language_code?.toLowerCase().startsWith("en") ? "en" : "vi";
}

/** The person linked to the update's chat, or null (also null for updates without a chat). */
export function chatPersonOf(ctx: Context, db: Db): Promise<ChatPerson | null> {
  if (!ctx.chat) return Promise.resolve(null);
  return findChatPerson(db, "TELEGRAM", String(ctx.chat.id));
}
