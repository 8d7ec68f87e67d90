/**
 * The Zalo Bot as the conversation core sees it: every reply is plain text, choices written as
 * numbered lines; there are no button presses to answer and no edits of sent messages.
 */
import type { Locale } from "../../../server/i18n.ts";
import { choicesInWords } from "../../conversation/choices-in-words.ts";
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import type { Reply } from "../../conversation/reply.ts";
import { formatZaloBotReply } from "./format-zalo-bot.ts";
import type { ZaloBotClient } from "./zalo-bot-client.ts";

/**
 * A text reply with its choices as numbered lines that say what to write ("đã nhận #12"), since the
 * core does not read a bare number; without the formatter's "answer with a number" hint.
 */
function renderText(r: Extract<Reply, { kind: "text" }>, locale: Locale): string {
  const lines = choicesInWords(r.choices ?? [], locale).map((c, i) => `${i + 1}. ${c.label}`);
  return formatZaloBotReply({ text: lines.length ? `${r.text}\n\n${lines.join("\n")}` : r.text, ...(r.link ? { link: r.link } : {}) });
}

/** The conversation channel for the bot. */
export function zaloBotConversation(client: ZaloBotClient): ConversationChannel {
  return {
    kind: "ZALO_BOT",
    name: "Zalo",
    async sendReplies(replies, _context, event) {
      const answeredInText = replies.some((r) => r.kind === "text" && r.text);
      for (const r of replies) {
        if (r.kind === "text" && r.text) await client.sendMessage(event.externalUserId, renderText(r, event.locale ?? "vi"));
        else if (r.kind === "press_answer" && r.text && !answeredInText) await client.sendMessage(event.externalUserId, r.text);
      }
    },
  };
}
