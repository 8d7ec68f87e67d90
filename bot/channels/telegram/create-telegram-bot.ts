/**
 * The Telegram bot's inbound side: a thin adapter around the channel-neutral conversation core
 * (bot/conversation/). Each update becomes an event, goes through the inbox (processInbound), and
 * the replies the core decides are rendered as Telegram messages, callback answers and edits.
 */
import { Bot, type Api } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { registerSecret, type Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import type { ConversationEvent } from "../../conversation/conversation-event.ts";
import { processInbound, type ConversationChannel, type ConversationDeps } from "../../conversation/process-inbound.ts";
import { apologiseOnTelegram, renderTelegramReplies } from "./render-telegram-replies.ts";
import { toTelegramEvent, type TelegramContext } from "./telegram-event.ts";

export { updateKey } from "./telegram-event.ts";

export type TelegramBotOptions = {
  token: string;
  /** Bot API server; the official one when unset. */
  apiRoot?: string | undefined;
  db: Db;
  logger: Logger;
  /** Skips getMe (tests that know the bot). */
  botInfo?: UserFromGetMe | undefined;
  /** Inbox lease and the crash hook (see {@link ConversationDeps}). */
  leaseMs?: number | undefined;
  afterEffect?: ((event: ConversationEvent) => Promise<void>) | undefined;
};

/** Telegram as the conversation core sees it: replies rendered through `api`. */
export function telegramConversation(api: Api, log: Logger): ConversationChannel {
  return {
    kind: "TELEGRAM",
    name: "Telegram",
    sendReplies: (replies, context) => renderTelegramReplies(api, log, replies, context as TelegramContext),
  };
}

/** Builds the bot; call `bot.start()` (polling) or mount `webhookCallback(bot, …)`. */
export function createTelegramBot({ token, apiRoot, db, logger, botInfo, leaseMs, afterEffect }: TelegramBotOptions): Bot {
  // grammY puts the token in every request URL, and so in every network error's message and stack.
  registerSecret(token);
  const bot = new Bot(token, { ...(apiRoot ? { client: { apiRoot } } : {}), ...(botInfo ? { botInfo } : {}) });
  const log = logger.child({ module: "telegram-bot" });
  const deps: ConversationDeps = { db, log, leaseMs, afterEffect };
  const channel = telegramConversation(bot.api, log);

  // Every failure stops here, in polling and in webhook mode alike (grammY's bot.catch sees only
  // polling errors; a webhook error would reach Express as a 500). The inbox keeps what failed for
  // another attempt, so the person is asked to bear with us rather than left without an answer.
  const guarded = bot.errorBoundary(async (err) => {
    log.error({ err: err.error, updateId: err.ctx.update.update_id, chatId: err.ctx.chat?.id }, "telegram handler failed");
    const read = toTelegramEvent(err.ctx.update, err.ctx.me.id);
    if (read && read.event.kind !== "unfollow") await apologiseOnTelegram(bot.api, read.context, read.event.locale ?? "vi");
  });

  guarded.use(async (ctx) => {
    const read = toTelegramEvent(ctx.update, ctx.me.id);
    if (read) await processInbound(deps, channel, read.event, read.context);
  });

  bot.catch((err) => {
    log.error({ err: err.error, updateId: err.ctx.update.update_id }, "telegram update failed outside the handlers");
  });
  return bot;
}
