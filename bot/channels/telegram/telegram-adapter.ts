/** The Telegram side of {@link ChannelAdapter}: directives go out through grammY's `Api`. */
import { InlineKeyboard, InputFile, type Api } from "grammy";
import type { ChannelAdapter, OutboundDirective, OutboundNotice, SendResult } from "../../../server/domain/channel.ts";
import { createSendPacer } from "../../../server/jobs/send-pacer.ts";
import { formatDirective } from "./format-directive.ts";
import { toChannelError } from "./to-channel-error.ts";
import { inlineKeyboardOf } from "./telegram-keyboard.ts";

/** callback_data of the acknowledge button; the bot reads it back (≤ 64 bytes, so ids only). */
export function ackCallbackData(directiveId: number): string {
  return `ack:${directiveId}`;
}

/** The inline keyboard under a directive that asks for acknowledgement. */
export function ackKeyboard(directiveId: number): InlineKeyboard {
  return new InlineKeyboard().text("✅ Đã nhận", ackCallbackData(directiveId));
}

/** Bot API methods that put a message in a chat, which is what Telegram's broadcast limit counts. */
const SEND_METHODS = new Set(["sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "copyMessage", "forwardMessage"]);

/**
 * Paces every message that `api` sends — directives and the bot's own replies alike — to at most
 * `perSecond` in any sliding second (plus a little slack), measured when the request leaves.
 */
export function paceTelegramSends(api: Api, perSecond: number): void {
  if (perSecond <= 0) return;
  const pacer = createSendPacer(perSecond);
  api.config.use(async (prev, method, payload, signal) => {
    if (SEND_METHODS.has(method)) await pacer.acquire();
    return prev(method, payload, signal);
  });
}

/**
 * Creates the Telegram adapter. An attached PDF goes first (as a document with a short caption),
 * then the text; the acknowledge button sits under the last text message, whose id is returned.
 * With `ratePerSecond`, every message `api` sends is paced (see {@link paceTelegramSends}); pass the
 * bot's own `Api` so that replies count against the same limit.
 */
export function createTelegramAdapter(api: Api, options: { ratePerSecond?: number } = {}): ChannelAdapter {
  if (options.ratePerSecond) paceTelegramSends(api, options.ratePerSecond);
  return {
    kind: "TELEGRAM",
    async sendDirective(m: OutboundDirective): Promise<SendResult> {
      const { texts, caption } = formatDirective(m);
      try {
        if (m.attachment) {
          await api.sendDocument(m.chatId, new InputFile(m.attachment.bytes, m.attachment.filename), {
            ...(caption ? { caption, parse_mode: "HTML" as const } : {}),
          });
        }
        let last = 0;
        for (let i = 0; i < texts.length; i++) {
          const isLast = i === texts.length - 1;
          const sent = await api.sendMessage(m.chatId, texts[i]!, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            ...(isLast && m.requireAck ? { reply_markup: ackKeyboard(m.directiveId) } : {}),
          });
          last = sent.message_id;
        }
        return { messageId: String(last) };
      } catch (err) {
        throw toChannelError(err);
      }
    },
    async sendNotice(n: OutboundNotice): Promise<SendResult> {
      try {
        const sent = await api.sendMessage(n.chatId, n.text.slice(0, 4096), n.choices?.length ? { reply_markup: inlineKeyboardOf(n.choices) } : {});
        return { messageId: String(sent.message_id) };
      } catch (err) {
        throw toChannelError(err);
      }
    },
  };
}
