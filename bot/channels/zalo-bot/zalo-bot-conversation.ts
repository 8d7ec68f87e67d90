/**
 * The Zalo Bot as the conversation core sees it: every reply is plain text, choices written as
 * numbered lines; there are no button presses to answer and no edits of sent messages.
 */
import { t, type Locale } from "../../../server/i18n.ts";
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import type { Reply } from "../../conversation/reply.ts";
import { formatZaloBotReply } from "./format-zalo-bot.ts";
import type { ZaloBotClient } from "./zalo-bot-client.ts";

/** A text reply with its choices as numbered lines, answered with the number (the core reads "1", "số 1", "đã nhận 1"). */
function renderText(r: Extract<Reply, { kind: "text" }>, locale: Locale): string {
  return formatZaloBotReply({ text: r.text, ...(r.choices ? { choices: r.choices } : {}), ...(r.link ? { link: r.link } : {}), hint: t(locale, "bot.choice_by_number") });
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
