/**
 * `/pending` lists what still awaits the principal's acknowledgement, with deadlines and one
 * button per directive; `/help` explains how the bot works.
 */
import { Composer, type Context } from "grammy";
import { findPendingDirectives } from "../../../server/features/chat/find-pending-directives.ts";
import { t } from "../../../server/i18n.ts";
import { chatPersonOf, localeOf, type BotDeps } from "./bot-deps.ts";
import { pendingKeyboard, pendingListText } from "./pending-keyboard.ts";

/** The commands shown in Telegram's menu, in Vietnamese (set by the runtime). */
export const BOT_COMMANDS = [
  { command: "pending", description: "Văn bản chờ xác nhận" },
  { command: "help", description: "Hướng dẫn" },
] as const;

/** Handles `/pending` and `/help`. */
export function infoCommands({ db }: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("help", async (ctx) => {
    await ctx.reply(t(localeOf(ctx), "bot.help"));
  });
  composer.command("pending", async (ctx) => {
    const locale = localeOf(ctx);
    const person = await chatPersonOf(ctx, db);
    if (!person) return void (await ctx.reply(t(locale, "bot.unlinked")));
    const pending = await findPendingDirectives(db, person.personId);
    if (!pending.length) return void (await ctx.reply(t(locale, "bot.nothing_pending")));
    await ctx.reply(pendingListText(locale, pending), { reply_markup: pendingKeyboard(pending) });
  });
  return composer;
}
