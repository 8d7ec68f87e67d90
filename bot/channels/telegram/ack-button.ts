/**
 * The "✅ Đã nhận" button (`ack:<directiveId>`), under a directive or in a list the bot made.
 * Pressing it records the acknowledgement once, answers the callback (which stops the spinner on
 * the phone), then updates the message pressed: a directive gets "✅ Đã nhận lúc …" appended and
 * loses its button; a list keeps buttons only for what is still pending, and the acknowledgement
 * is confirmed in words.
 */
import { Composer, type Context } from "grammy";
import type { InlineKeyboardButton, Message, MessageEntity } from "grammy/types";
import { acknowledgeDirective } from "../../../server/features/chat/acknowledge-directive.ts";
import { findPendingDirectives } from "../../../server/features/chat/find-pending-directives.ts";
import { isDirectiveMessage } from "../../../server/features/chat/is-directive-message.ts";
import { t, type Locale } from "../../../server/i18n.ts";
import { chatPersonOf, localeOf, type BotDeps } from "./bot-deps.ts";
import { formatStamp, TELEGRAM_TEXT_LIMIT } from "./format-directive.ts";
import { parseAckData, pendingKeyboard } from "./pending-keyboard.ts";

/** Telegram shows at most 200 characters in a callback answer. */
const CALLBACK_TEXT_LIMIT = 200;

/** Directive ids of the acknowledgement buttons on a message, in order, without repeats. */
function ackIdsOn(message: Message): number[] {
  const rows: InlineKeyboardButton[][] = message.reply_markup?.inline_keyboard ?? [];
  const ids: number[] = [];
  for (const button of rows.flat()) {
    const id = "callback_data" in button ? parseAckData(button.callback_data) : null;
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * Appends the stamp to the bot's own message, keeping its formatting (entities are offsets into the
 * text, and appending leaves them valid) and dropping the button. When the result would be too long
 * for Telegram, the button goes and the stamp comes as a reply to the message instead.
 */
async function stampMessage(ctx: Context, message: Message, stamp: string): Promise<void> {
  const text = message.text;
  if (text !== undefined && text.includes(stamp)) return;
  if (text !== undefined && text.length + 2 + stamp.length <= TELEGRAM_TEXT_LIMIT) {
    const entities: MessageEntity[] | undefined = message.entities;
    await ctx.editMessageText(`${text}\n\n${stamp}`, entities?.length ? { entities } : {});
    return;
  }
  // Without reply_markup, Telegram removes the keyboard.
  await ctx.editMessageReplyMarkup();
  await ctx.reply(stamp, { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } });
}

/** A list the bot made: keep buttons only for what is still pending (none left: no keyboard). */
async function refreshList(ctx: Context, deps: BotDeps, o: { personId: number; listed: number[] }): Promise<void> {
  const pending = await findPendingDirectives(deps.db, o.personId);
  const stillListed = o.listed.map((id) => pending.find((d) => d.id === id)).filter((d) => d !== undefined);
  // Telegram refuses an edit that changes nothing ("message is not modified").
  if (stillListed.length === o.listed.length) return;
  await ctx.editMessageReplyMarkup(stillListed.length ? { reply_markup: pendingKeyboard(stillListed) } : {});
}

async function answer(ctx: Context, text: string, alert = false): Promise<void> {
  await ctx.answerCallbackQuery({ text: text.slice(0, CALLBACK_TEXT_LIMIT), show_alert: alert });
}

/** Handles every callback query; unknown button data only stops the spinner. */
export function ackButton(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("callback_query:data", async (ctx) => {
    const locale: Locale = localeOf(ctx);
    const directiveId = parseAckData(ctx.callbackQuery.data);
    if (directiveId === null) return void (await ctx.answerCallbackQuery());
    const person = await chatPersonOf(ctx, deps.db);
    if (!person) return void (await answer(ctx, t(locale, "bot.ack_unlinked"), true));
    const result = await acknowledgeDirective(deps.db, { directiveId, personId: person.personId, channel: "TELEGRAM", source: "BUTTON", raw: ctx.callbackQuery.data });
    if (result.kind === "not_found") return void (await answer(ctx, t(locale, "bot.ack_not_found"), true));
    if (result.kind === "acknowledged") deps.log.info({ directiveId, personId: person.personId }, "acknowledged by button");
    const stamp = formatStamp(result.at);
    await answer(ctx, result.kind === "acknowledged" ? t(locale, "bot.ack_done") : t(locale, "bot.ack_already", { at: stamp }));

    // The message may be gone or no longer editable; the acknowledgement is recorded and answered
    // by now, so a failed edit is only logged.
    const message = ctx.callbackQuery.message;
    if (!message || message.date === 0) return;
    try {
      // The directive's own message is stamped; a list the bot made (/pending, "which one?") is not.
      if (await isDirectiveMessage(deps.db, { directiveId, personId: person.personId, channel: "TELEGRAM", messageId: String(message.message_id) })) {
        // The stamp joins the directive's Vietnamese text, so it is Vietnamese too.
        await stampMessage(ctx, message, t("vi", "bot.ack_stamp", { at: stamp }));
      } else {
        await refreshList(ctx, deps, { personId: person.personId, listed: ackIdsOn(message) });
        if (result.kind === "acknowledged") await ctx.reply(t(locale, "bot.ack_text_done", { title: result.title }));
      }
    } catch (err) {
      deps.log.warn({ err, directiveId }, "could not update the acknowledged message");
    }
  });
  return composer;
}
