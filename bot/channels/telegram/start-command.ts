/**
 * `/start <code>`: the deep link an office sends a principal (t.me/<bot>?start=<code>) links this
 * chat to that principal. A bare `/start` greets a linked chat and tells a stranger how to link.
 */
import { Composer, type Context } from "grammy";
import { linkChat } from "../../../server/features/chat/link-chat.ts";
import { t } from "../../../server/i18n.ts";
import { chatPersonOf, localeOf, type BotDeps } from "./bot-deps.ts";

/**
 * A link code typed or pasted as a message rather than opened as a deep link: the bare code
 * (base64url, as create-link-code.ts makes them) or the whole t.me link carrying it.
 */
export function pastedLinkCode(text: string): string | null {
  const m = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/\w+\?start=([A-Za-z0-9_-]{1,64})$|^([A-Za-z0-9_-]{16,64})$/.exec(text.trim());
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** Links the chat with `code` and answers: the person and school, or why nothing was linked. */
export async function linkByCode(ctx: Context, { db, log }: BotDeps, code: string): Promise<void> {
  const locale = localeOf(ctx);
  const chatId = ctx.chat!.id;
  const displayName = [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(" ") || null;
  const result = await linkChat(db, { channel: "TELEGRAM", externalId: String(chatId), code, displayName });
  switch (result.kind) {
    case "linked":
      log.info({ personId: result.personId, chatId, replacedChat: result.replacedChat, previousPersonId: result.previousPersonId }, "telegram chat linked");
      await ctx.reply(t(locale, "bot.start_linked", { name: result.name, org: result.orgName }));
      return;
    case "already_linked":
      await ctx.reply(t(locale, "bot.start_already", { name: result.name, org: result.orgName }));
      return;
    case "unknown":
    case "used":
    case "expired":
      log.info({ chatId, outcome: result.kind }, "telegram link refused");
      await ctx.reply(t(locale, `bot.start_${result.kind}`));
      return;
  }
}

/** Handles `/start` with and without a link code. */
export function startCommand(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("start", async (ctx) => {
    const code = ctx.match.trim();
    if (code) return linkByCode(ctx, deps, code);
    const person = await chatPersonOf(ctx, deps.db);
    const locale = localeOf(ctx);
    await ctx.reply(person ? t(locale, "bot.start_hello", { name: person.name, org: person.orgName }) : t(locale, "bot.start_unlinked"));
  });
  return composer;
}
