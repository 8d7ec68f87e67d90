/**
 * `/start <code>`: the deep link an office sends a principal (t.me/<bot>?start=<code>) links this
 * chat to that principal. A bare `/start` greets a linked chat and tells a stranger how to link.
 */
import { Composer, type Context } from "grammy";
import { linkChat } from "../../../server/features/chat/link-chat.ts";
import { t } from "../../../server/i18n.ts";
import { chatPersonOf, localeOf, type BotDeps } from "./bot-deps.ts";

/** Handles `/start` with and without a link code. */
export function startCommand({ db, log }: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("start", async (ctx) => {
    const locale = localeOf(ctx);
    const code = ctx.match.trim();
    if (!code) {
      const person = await chatPersonOf(ctx, db);
      await ctx.reply(person ? t(locale, "bot.start_hello", { name: person.name, org: person.orgName }) : t(locale, "bot.start_unlinked"));
      return;
    }
    const displayName = [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(" ") || null;
    const result = await linkChat(db, { channel: "TELEGRAM", externalId: String(ctx.chat.id), code, displayName });
    switch (result.kind) {
      case "linked":
        log.info({ personId: result.personId, chatId: ctx.chat.id, replacedChat: result.replacedChat, previousPersonId: result.previousPersonId }, "telegram chat linked");
        await ctx.reply(t(locale, "bot.start_linked", { name: result.name, org: result.orgName }));
        return;
      case "already_linked":
        await ctx.reply(t(locale, "bot.start_already", { name: result.name, org: result.orgName }));
        return;
      case "unknown":
      case "used":
      case "expired":
        log.info({ chatId: ctx.chat.id, outcome: result.kind }, "telegram link refused");
        await ctx.reply(t(locale, `bot.start_${result.kind}`));
        return;
    }
  });
  return composer;
}
