/**
 * The conversation core's replies in Telegram's terms: messages with inline keyboards, the callback
 * answer (which stops the spinner on the phone) and edits of the pressed message.
 */
import { GrammyError, type Api } from "grammy";
import type { MessageEntity } from "grammy/types";
import type { Logger } from "../../../server/config/logger.ts";
import { t, type Locale } from "../../../server/i18n.ts";
import type { Reply } from "../../conversation/reply.ts";
import { TELEGRAM_TEXT_LIMIT } from "./format-directive.ts";
import type { TelegramContext } from "./telegram-event.ts";
import { inlineKeyboardOf } from "./telegram-keyboard.ts";

/** Telegram shows at most 200 characters in a callback answer. */
const CALLBACK_TEXT_LIMIT = 200;

/**
 * Appends the stamp to the bot's own message, keeping its formatting (entities are offsets into the
 * text, and appending leaves them valid) and dropping the button. When the result would be too long
 * for Telegram, the button goes and the stamp comes as a reply to the message instead.
 */
async function stampCarrier(api: Api, chatId: number, carrier: NonNullable<TelegramContext["carrier"]>, stamp: string): Promise<void> {
  const text = carrier.text;
  if (text !== undefined && text.includes(stamp)) return;
  if (text !== undefined && text.length + 2 + stamp.length <= TELEGRAM_TEXT_LIMIT) {
    const entities = carrier.entities as MessageEntity[] | undefined;
    await api.editMessageText(chatId, carrier.messageId, `${text}\n\n${stamp}`, entities?.length ? { entities } : {});
    return;
  }
  // Without reply_markup, Telegram removes the keyboard.
  await api.editMessageReplyMarkup(chatId, carrier.messageId);
  await api.sendMessage(chatId, stamp, { reply_parameters: { message_id: carrier.messageId, allow_sending_without_reply: true } });
}

/**
 * Sends `replies` in order. Once a button press is answered, the person has their answer: a later
 * failure (the message may be gone or no longer editable) is only logged. Before that, a failure
 * throws, and the caller apologises.
 */
export async function renderTelegramReplies(api: Api, log: Logger, replies: Reply[], context: TelegramContext): Promise<void> {
  let answered = false;
  for (const r of replies) {
    try {
      await renderOne(api, r, context);
      if (r.kind === "press_answer") answered = true;
    } catch (err) {
      // A press answered late (the sweep finishing what a crash left) finds its query expired:
      // the edits that follow still tell the person their press counted.
      if (r.kind === "press_answer" && err instanceof GrammyError && err.error_code === 400) {
        log.warn({ err }, "callback query too old to answer");
        continue;
      }
      if (!answered) throw err;
      log.warn({ err, reply: r.kind }, "could not update the pressed message");
    }
  }
}

async function renderOne(api: Api, r: Reply, c: TelegramContext): Promise<void> {
  switch (r.kind) {
    case "press_answer":
      if (!c.callbackQueryId) return renderOne(api, r.text ? { kind: "text", text: r.text } : { kind: "text", text: "" }, c);
      await api.answerCallbackQuery(c.callbackQueryId, r.text === undefined ? {} : { text: r.text.slice(0, CALLBACK_TEXT_LIMIT), show_alert: r.alert ?? false });
      return;
    case "text": {
      if (c.chatId === null || !r.text) return;
      const markup = r.choices?.length || r.link ? { reply_markup: inlineKeyboardOf(r.choices ?? [], r.link) } : {};
      await api.sendMessage(c.chatId, r.text, markup);
      return;
    }
    case "stamp_carrier":
      if (c.chatId === null || !c.carrier) return;
      await stampCarrier(api, c.chatId, c.carrier, r.stamp);
      return;
    case "set_carrier_choices":
      if (c.chatId === null || !c.carrier) return;
      await api.editMessageReplyMarkup(c.chatId, c.carrier.messageId, r.choices.length ? { reply_markup: inlineKeyboardOf(r.choices) } : {});
      return;
  }
}

/**
 * Tells the person something went wrong, so they can try again: an alert for a button press, a
 * message in a chat. Errors while apologising are ignored (the failure may be Telegram itself).
 */
export async function apologiseOnTelegram(api: Api, context: TelegramContext, locale: Locale): Promise<void> {
  const text = t(locale, "bot.failed");
  try {
    if (context.callbackQueryId) await api.answerCallbackQuery(context.callbackQueryId, { text, show_alert: true });
    else if (context.chatId !== null) await api.sendMessage(context.chatId, text);
  } catch {
    // Already logged by the caller.
  }
}
