/**
 * The Telegram bot's inbound side: linking (/start <code>), acknowledgements by button or by words,
 * /pending and /help. Handlers are thin: every rule lives in server/features/chat and
 * server/domain/reply-intent.ts, so Zalo can reuse them.
 */
import { Bot, InlineKeyboard, type Context } from "grammy";
import type { Message, MessageEntity, UserFromGetMe } from "grammy/types";
import type { Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import { parseReply } from "../../../server/domain/reply-intent.ts";
import { acknowledgeDirective } from "../../../server/features/chat/acknowledge-directive.ts";
import { claimUpdate } from "../../../server/features/chat/claim-update.ts";
import { findChatPerson, type ChatPerson } from "../../../server/features/chat/find-chat-person.ts";
import { findPendingDirectives, type PendingDirective } from "../../../server/features/chat/find-pending-directives.ts";
import { linkChat } from "../../../server/features/chat/link-chat.ts";
import { latestDirectiveFor, recordInbound } from "../../../server/features/chat/record-inbound.ts";
import { t, type Locale } from "../../../server/i18n.ts";
import { formatDeadline, formatStamp, TELEGRAM_TEXT_LIMIT } from "./format-directive.ts";

export type TelegramBotOptions = {
  token: string;
  apiRoot?: string | undefined;
  db: Db;
  logger: Logger;
  /** Skips getMe (tests that know the bot). */
  botInfo?: UserFromGetMe | undefined;
};

/** Button data: `ack:<id>` under a directive, `pick:<id>` in a list the bot made (/pending, "which one?"). */
const ACK_DATA = /^(ack|pick):(\d{1,9})$/;

function localeOf(ctx: Context): Locale {
  return ctx.from?.language_code?.toLowerCase().startsWith("en") ? "en" : "vi";
}

function shorten(title: string, max = 60): string {
  return title.length <= max ? title : `${title.slice(0, max - 1)}…`;
}

function pendingKeyboard(pending: PendingDirective[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const d of pending.slice(0, 10)) kb.text(`✅ ${shorten(d.title)}`, `pick:${d.id}`).row();
  return kb;
}

/** Appends the acknowledgement stamp to the bot's own message, keeping its formatting. */
async function stampMessage(ctx: Context, message: Message | undefined, stamp: string): Promise<void> {
  const text = message && "text" in message ? message.text : undefined;
  if (!message || text === undefined) return;
  if (text.includes(stamp)) return;
  const combined = `${text}\n\n${stamp}`;
  if (combined.length <= TELEGRAM_TEXT_LIMIT) {
    const entities = ("entities" in message ? message.entities : undefined) as MessageEntity[] | undefined;
    await ctx.editMessageText(combined, entities?.length ? { entities } : {});
  } else {
    await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() });
  }
}

/** Builds the bot; call `bot.start()` (polling) or mount `webhookCallback(bot, …)`. */
export function createTelegramBot({ token, apiRoot, db, logger, botInfo }: TelegramBotOptions): Bot {
  const bot = new Bot(token, { ...(apiRoot ? { client: { apiRoot } } : {}), ...(botInfo ? { botInfo } : {}) });
  const log = logger.child({ module: "telegram-bot" });

  // Each update once: a webhook retry or a replayed poll finds its id already claimed. Update ids
  // are per bot, so the key carries the bot's id (an office may move to a new bot).
  bot.use(async (ctx, next) => {
    if (!(await claimUpdate(db, "TELEGRAM", `${ctx.me.id}:${ctx.update.update_id}`))) {
      log.info({ updateId: ctx.update.update_id }, "duplicate update ignored");
      return;
    }
    await next();
  });

  // Only private chats with people: groups and channels are not how principals are reached.
  bot.drop((ctx) => ctx.chat !== undefined && ctx.chat.type !== "private");

  const person = (ctx: Context): Promise<ChatPerson | null> => findChatPerson(db, "TELEGRAM", String(ctx.chat!.id));

  bot.command("start", async (ctx) => {
    const locale = localeOf(ctx);
    const code = ctx.match.trim();
    if (!code) {
      const p = await person(ctx);
      await ctx.reply(p ? t(locale, "bot.start_hello", { name: p.name, org: p.orgName }) : t(locale, "bot.start_unlinked"));
      return;
    }
    const displayName = [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(" ") || null;
    const result = await linkChat(db, { channel: "TELEGRAM", externalId: String(ctx.chat.id), code, displayName });
    switch (result.kind) {
      case "linked":
        log.info({ personId: result.personId, chatId: ctx.chat.id }, "telegram chat linked");
        await ctx.reply(t(locale, "bot.start_linked", { name: result.name, org: result.orgName }));
        return;
      case "already_linked":
        await ctx.reply(t(locale, "bot.start_already", { name: result.name, org: result.orgName }));
        return;
      default:
        await ctx.reply(t(locale, `bot.start_${result.kind}`));
    }
  });

  bot.command("help", async (ctx) => {
    await ctx.reply(t(localeOf(ctx), "bot.help"));
  });

  bot.command("pending", async (ctx) => {
    const locale = localeOf(ctx);
    const p = await person(ctx);
    if (!p) return void (await ctx.reply(t(locale, "bot.unlinked")));
    const pending = await findPendingDirectives(db, p.personId);
    if (!pending.length) return void (await ctx.reply(t(locale, "bot.nothing_pending")));
    const lines = pending.slice(0, 10).map((d, i) => `${i + 1}. ${d.title}${d.deadline ? ` — ${t(locale, "bot.pending_deadline", { deadline: formatDeadline(d.deadline) })}` : ""}`);
    await ctx.reply(`${t(locale, "bot.pending_title", { count: pending.length })}\n${lines.join("\n")}`, { reply_markup: pendingKeyboard(pending) });
  });

  bot.on("callback_query:data", async (ctx) => {
    const locale = localeOf(ctx);
    const m = ACK_DATA.exec(ctx.callbackQuery.data);
    if (!m) return void (await ctx.answerCallbackQuery());
    const p = ctx.chat ? await person(ctx) : null;
    if (!p) return void (await ctx.answerCallbackQuery({ text: t(locale, "bot.unlinked").slice(0, 200), show_alert: true }));
    const directiveId = Number(m[2]);
    const result = await acknowledgeDirective(db, { directiveId, personId: p.personId, channel: "TELEGRAM", source: "BUTTON", raw: ctx.callbackQuery.data });
    if (result.kind === "not_found") return void (await ctx.answerCallbackQuery({ text: t(locale, "bot.ack_not_found") }));
    const stampText = formatStamp(result.at);
    await ctx.answerCallbackQuery({ text: result.kind === "acknowledged" ? t(locale, "bot.ack_done") : t(locale, "bot.ack_already", { at: stampText }) });
    try {
      if (m[1] === "ack") {
        await stampMessage(ctx, ctx.callbackQuery.message as Message | undefined, t("vi", "bot.ack_stamp", { at: stampText }));
      } else {
        // A list the bot made: confirm in words and offer what is still pending.
        const pending = await findPendingDirectives(db, p.personId);
        await ctx.editMessageReplyMarkup({ reply_markup: pending.length ? pendingKeyboard(pending) : new InlineKeyboard() });
        if (result.kind === "acknowledged") await ctx.reply(t(locale, "bot.ack_text_done", { title: result.title }));
      }
    } catch (err) {
      // The acknowledgement is recorded; a message too old to edit is not worth failing for.
      log.warn({ err, directiveId }, "could not edit the acknowledged message");
    }
  });

  bot.on("message", async (ctx) => {
    const locale = localeOf(ctx);
    const text = ctx.message.text ?? ctx.message.caption ?? "";
    if (text.startsWith("/")) return void (await ctx.reply(t(locale, "bot.help")));
    const p = await person(ctx);
    if (!p) return void (await ctx.reply(t(locale, "bot.unlinked")));
    const reply = parseReply(text);
    if (reply.intent === "ACK") {
      const pending = await findPendingDirectives(db, p.personId);
      const target = reply.directiveRef !== undefined ? reply.directiveRef : pending.length === 1 ? pending[0]!.id : null;
      if (target === null) {
        if (!pending.length) return void (await ctx.reply(t(locale, "bot.nothing_pending")));
        return void (await ctx.reply(t(locale, "bot.ack_which"), { reply_markup: pendingKeyboard(pending) }));
      }
      const result = await acknowledgeDirective(db, { directiveId: target, personId: p.personId, channel: "TELEGRAM", source: "TEXT", raw: text });
      if (result.kind === "acknowledged") return void (await ctx.reply(t(locale, "bot.ack_text_done", { title: result.title })));
      if (result.kind === "already") return void (await ctx.reply(t(locale, "bot.ack_text_already", { title: result.title, at: formatStamp(result.at) })));
      return void (await ctx.reply(t(locale, "bot.ack_not_found")));
    }
    const directiveId = await latestDirectiveFor(db, p.personId);
    await recordInbound(db, { channel: "TELEGRAM", externalChatId: String(ctx.chat.id), personId: p.personId, directiveId, text: text || "(không có chữ)", intent: reply.intent });
    const key = reply.intent === "DECLINE" ? "bot.reply_decline" : reply.intent === "QUESTION" ? "bot.reply_question" : "bot.reply_unknown";
    await ctx.reply(t(locale, key));
  });

  bot.catch((err) => {
    log.error({ err: err.error, updateId: err.ctx.update.update_id }, "telegram handler failed");
  });
  return bot;
}
