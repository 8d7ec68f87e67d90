/** The Zalo OA side of {@link ChannelAdapter}: directives go out through the OA client as consultation messages. */
import { ChannelError, type ChannelAdapter, type OutboundDirective, type OutboundNotice, type SendResult } from "../../../server/domain/channel.ts";
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import { formatZaloOaDirective, formatZaloOaReply } from "./format-zalo-oa.ts";
import { ZALO_OA_MAX_BUTTONS, type ZaloOaClient } from "./zalo-oa-client.ts";

/** Anything the client did not classify (a bug, an unexpected throw) is worth another try later, not a lost send. */
function toFailure(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  return new ChannelFailure("ZALO_OA", "retry_later", `Zalo OA send failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/**
 * Creates the adapter. An attached PDF goes first (upload, then a file message), then the text in
 * parts of at most 2,000 characters with the "✅ Đã nhận" button (`#ack:<id>`, read back as the
 * core's ack payload) under the last part, whose message id is returned.
 */
export function createZaloOaAdapter(client: ZaloOaClient): ChannelAdapter {
  return {
    kind: "ZALO_OA",
    async sendDirective(m: OutboundDirective): Promise<SendResult> {
      const { parts, buttons } = formatZaloOaDirective(m);
      try {
        if (m.attachment) await client.sendPdf({ userId: m.chatId, filename: m.attachment.filename, bytes: m.attachment.bytes });
        let last = "";
        for (let i = 0; i < parts.length; i++) {
          const isLast = i === parts.length - 1;
          const sent = await client.sendText({ userId: m.chatId, text: parts[i]!, ...(isLast && buttons.length ? { buttons } : {}) });
          last = sent.messageIds.at(-1) ?? last;
        }
        return { messageId: last };
      } catch (err) {
        throw toFailure(err);
      }
    },
    async sendNotice(n: OutboundNotice): Promise<SendResult> {
      // The OA shows at most five buttons; a notice offers the first ones (their labels are words the bot reads anyway).
      const { parts, buttons } = formatZaloOaReply({ text: n.text, choices: (n.choices ?? []).slice(0, ZALO_OA_MAX_BUTTONS) });
      try {
        let last = "";
        for (let i = 0; i < parts.length; i++) {
          const sent = await client.sendText({ userId: n.chatId, text: parts[i]!, ...(i === parts.length - 1 && buttons.length ? { buttons } : {}) });
          last = sent.messageIds.at(-1) ?? last;
        }
        return { messageId: last };
      } catch (err) {
        throw toFailure(err);
      }
    },
  };
}
