/**
 * The Telegram bot's inbound side: linking (/start <code>), acknowledgements by button or by words,
 * /pending and /help. Handlers are thin: the rules live in server/features/chat and
 * server/domain/reply-intent.ts, so another channel (Zalo) can reuse them.
 */
import { Bot, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { registerSecret, type Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import { claimUpdate } from "../../../server/features/chat/claim-update.ts";
import { clearChatBlock } from "../../../server/features/chat/clear-chat-block.ts";
import { t } from "../../../server/i18n.ts";
import { ackButton } from "./ack-button.ts";
import { chatMember } from "./chat-member.ts";
import { localeOf, type BotDeps } from "./bot-deps.ts";
import { infoCommands } from "./info-commands.ts";
import { startCommand } from "./start-command.ts";
import { textReply } from "./text-reply.ts";

export type TelegramBotOptions = {
  token: string;
  /** Bot API server; the official one when unset. */
  apiRoot?: string | undefined;
  db: Db;
  logger: Logger;
  /** Skips getMe (tests that know the bot). */
  botInfo?: UserFromGetMe | undefined;
};

/** The key an update is remembered by: update ids are counted per bot, and an office may change bots. */
export const updateKey = (botId: number, updateId: number): string => `${botId}:${updateId}`;

/**
 * Tells the user something went wrong, so they can try again; their update will not come back
 * (it is claimed, and Telegram got its answer). Errors while apologising are ignored.
 */
async function apologise(ctx: Context): Promise<void> {
  const text = t(localeOf(ctx), "bot.failed");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else if (ctx.chat?.type === "private") await ctx.reply(text);
  } catch {
    // The failure may be Telegram itself; the error is already logged.
  }
}

/** Builds the bot; call `bot.start()` (polling) or mount `webhookCallback(bot, …)`. */
export function createTelegramBot({ token, apiRoot, db, logger, botInfo }: TelegramBotOptions): Bot {
  // grammY puts the token in every request URL, and so in every network error's message and stack.
  registerSecret(token);
  const bot = new Bot(token, { ...(apiRoot ? { client: { apiRoot } } : {}), ...(botInfo ? { botInfo } : {}) });
  const log = logger.child({ module: "telegram-bot" });
  const deps: BotDeps = { db, log };

  // Every failure stops here, in polling and in webhook mode alike (grammY's bot.catch sees only
  // polling errors; a webhook error would reach Express as a 500 and make Telegram resend an
  // update that is already claimed).
  const guarded = bot.errorBoundary(async (err) => {
    log.error({ err: err.error, updateId: err.ctx.update.update_id, chatId: err.ctx.chat?.id }, "telegram handler failed");
    await apologise(err.ctx);
  });

  // Each update once: a webhook retry or a replayed poll finds its key already claimed.
  guarded.use(async (ctx, next) => {
    if (!(await claimUpdate(db, "TELEGRAM", updateKey(ctx.me.id, ctx.update.update_id)))) {
      log.info({ updateId: ctx.update.update_id }, "duplicate update ignored");
      return;
    }
    await next();
  });

  // Only private chats with people: groups and channels are not how principals are reached.
  const privateChats = guarded.filter((ctx) => ctx.chat === undefined || ctx.chat.type === "private");

  // Someone writing or pressing a button has not blocked us (any more): sends to this chat may resume.
  privateChats.on(["message", "callback_query"]).use(async (ctx, next) => {
    // A button under an inline message comes without a chat.
    if (ctx.chat) await clearChatBlock(db, "TELEGRAM", String(ctx.chat.id));
    await next();
  });

  privateChats.use(chatMember(deps), startCommand(deps), infoCommands(deps), ackButton(deps), textReply(deps));

  bot.catch((err) => {
    log.error({ err: err.error, updateId: err.ctx.update.update_id }, "telegram update failed outside the handlers");
  });
  return bot;
}
