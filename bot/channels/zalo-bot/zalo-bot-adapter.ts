/** The Zalo Bot side of {@link ChannelAdapter}: text only (the platform has no buttons and no files). */
import { ChannelError, type ChannelAdapter, type OutboundDirective, type OutboundNotice, type SendResult } from "../../../server/domain/channel.ts";
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import { formatZaloBotDirective } from "./format-zalo-bot.ts";
import type { ZaloBotClient } from "./zalo-bot-client.ts";

/**
 * Creates the adapter: the directive as plain text (split at 2,000 characters by the client), asking
 * for "đã nhận" in words; the last part's message id is returned. An attached PDF cannot travel here.
 */
export function createZaloBotAdapter(client: ZaloBotClient): ChannelAdapter {
  return {
    kind: "ZALO_BOT",
    async sendDirective(m: OutboundDirective): Promise<SendResult> {
      try {
        const { messageIds } = await client.sendMessage(m.chatId, formatZaloBotDirective(m));
        return { messageId: messageIds.at(-1) ?? "" };
      } catch (err) {
        if (err instanceof ChannelError) throw err;
        throw new ChannelFailure("ZALO_BOT", "retry_later", `Zalo Bot send failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
      }
    },
    async sendNotice(n: OutboundNotice): Promise<SendResult> {
      // No buttons here: each choice is a numbered line whose label is the words to send ("✅ xong bước 2").
      const lines = (n.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`);
      try {
        const { messageIds } = await client.sendMessage(n.chatId, lines.length ? `${n.text}\n\n${lines.join("\n")}` : n.text);
        return { messageId: messageIds.at(-1) ?? "" };
      } catch (err) {
        if (err instanceof ChannelError) throw err;
        throw new ChannelFailure("ZALO_BOT", "retry_later", `Zalo Bot send failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
      }
    },
  };
}
