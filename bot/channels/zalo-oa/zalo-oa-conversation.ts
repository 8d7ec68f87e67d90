/**
 * The Zalo OA as the conversation core sees it: replies rendered as consultation messages with
 * hidden-query buttons for choices. Zalo has no answer to a button press and no edits of a sent
 * message, so a press answer is shown as a message when nothing else answers the press, and the
 * carrier edits (stamp, narrowed choices) are left out.
 */
import type { Logger } from "../../../server/config/logger.ts";
import { t, type Locale } from "../../../server/i18n.ts";
import type { ConversationChannel } from "../../conversation/process-inbound.ts";
import type { Reply } from "../../conversation/reply.ts";
import { formatZaloOaReply } from "./format-zalo-oa.ts";
import type { ZaloOaClient } from "./zalo-oa-client.ts";

/** Sends one neutral text reply: its parts in order, the buttons under the last. */
async function sendReply(client: ZaloOaClient, userId: string, r: Extract<Reply, { kind: "text" }>, locale: Locale): Promise<void> {
  // More choices than buttons become numbered lines, answered with the number (the core reads "1", "số 1").
  const { parts, buttons } = formatZaloOaReply({
    text: r.text,
    ...(r.choices ? { choices: r.choices } : {}),
    ...(r.link ? { link: r.link } : {}),
    hint: t(locale, "bot.choice_by_number"),
  });
  for (let i = 0; i < parts.length; i++) {
    await client.sendText({ userId, text: parts[i]!, ...(i === parts.length - 1 && buttons.length ? { buttons } : {}) });
  }
}

/** The conversation channel for the OA. */
export function zaloOaConversation(client: ZaloOaClient, log: Logger): ConversationChannel {
  return {
    kind: "ZALO_OA",
    name: "Zalo",
    async sendReplies(replies, _context, event) {
      const userId = event.externalUserId;
      const locale = event.locale ?? "vi";
      const answeredInText = replies.some((r) => r.kind === "text" && r.text);
      for (const r of replies) {
        if (r.kind === "text" && r.text) await sendReply(client, userId, r, locale);
        else if (r.kind === "press_answer" && r.text && !answeredInText) await sendReply(client, userId, { kind: "text", text: r.text }, locale);
        else if (r.kind === "stamp_carrier" || r.kind === "set_carrier_choices") log.debug({ reply: r.kind }, "zalo oa cannot edit a sent message; left out");
      }
    },
  };
}

/** Tells the person something went wrong, so they can try again; errors while apologising are ignored. */
export async function apologiseOnZaloOa(client: ZaloOaClient, userId: string, locale: Locale): Promise<void> {
  await client.sendText({ userId, text: t(locale, "bot.failed") }).catch(() => {});
}
