/**
 * The Zalo Bot as the conversation core sees it: every reply is plain text, choices written as
 * numbered lines; there are no button presses to answer and no edits of sent messages.
 */
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import { formatZaloBotReply } from "./format-zalo-bot.ts";
import type { ZaloBotClient } from "./zalo-bot-client.ts";

/** The conversation channel for the bot. */
export function zaloBotConversation(client: ZaloBotClient): ConversationChannel {
  return {
    kind: "ZALO_BOT",
    name: "Zalo",
    async sendReplies(replies, _context, event) {
      const answeredInText = replies.some((r) => r.kind === "text" && r.text);
      for (const r of replies) {
        if (r.kind === "text" && r.text) await client.sendMessage(event.externalUserId, formatZaloBotReply(r));
        else if (r.kind === "press_answer" && r.text && !answeredInText) await client.sendMessage(event.externalUserId, r.text);
      }
    },
  };
}
