/**
 * Telegram tells a bot when a user blocks it (my_chat_member, status "kicked") and when they
 * unblock it ("member"). The chat's block is recorded or cleared at once, so the data shows who
 * cannot be reached before a send meets a 403.
 */
import { Composer, type Context } from "grammy";
import { clearChatBlock } from "../../../server/features/chat/clear-chat-block.ts";
import { markChatBlocked } from "../../../server/features/chat/mark-chat-blocked.ts";
import type { BotDeps } from "./bot-deps.ts";

/** Handles my_chat_member updates of private chats. */
export function chatMember({ db, log }: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("my_chat_member", async (ctx) => {
    const { chat, new_chat_member: member, date } = ctx.myChatMember;
    const externalId = String(chat.id);
    if (member.status === "kicked") {
      if (await markChatBlocked(db, "TELEGRAM", externalId, new Date(date * 1000))) log.info({ chatId: chat.id }, "telegram chat blocked the bot");
    } else if (member.status === "member") {
      if (await clearChatBlock(db, "TELEGRAM", externalId)) log.info({ chatId: chat.id }, "telegram chat unblocked the bot");
    }
  });
  return composer;
}
