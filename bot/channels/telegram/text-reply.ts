/**
 * Free text from a principal. Words that mean "received" acknowledge the one pending directive (or
 * the one named with "#12"), or ask which one when several are pending; one that says more is also
 * kept for the officer. Anything else — "not
 * received", a question, something unclear — acknowledges nothing and is kept for the officer with
 * the directive it most likely answers.
 */
import { Composer, type Context } from "grammy";
import { foldVietnamese, parseReply, type ParsedReply } from "../../../server/domain/reply-intent.ts";
import { acknowledgeDirective, type AckResult } from "../../../server/features/chat/acknowledge-directive.ts";
import type { ChatPerson } from "../../../server/features/chat/find-chat-person.ts";
import { findPendingDirectives } from "../../../server/features/chat/find-pending-directives.ts";
import { findReplyDirective, recordInbound } from "../../../server/features/chat/record-inbound.ts";
import { t, type Locale } from "../../../server/i18n.ts";
import { chatPersonOf, localeOf, type BotDeps } from "./bot-deps.ts";
import { formatStamp } from "./format-directive.ts";
import { pendingKeyboard } from "./pending-keyboard.ts";
import { linkByCode, pastedLinkCode } from "./start-command.ts";

/** The words of a message: its text, a caption, or the emoji a sticker stands for (a 👍 sticker). */
function wordsOf(ctx: Context): string {
  const m = ctx.message;
  return m?.text ?? m?.caption ?? m?.sticker?.emoji ?? "";
}

/**
 * What the officer reads for a reply: its words, and the name of a file sent with them (a principal
 * may send a report back); a message with neither says so.
 */
function keptText(ctx: Context, words: string): string {
  const file = ctx.message?.document?.file_name ?? (ctx.message?.photo ? t("vi", "bot.photo") : undefined);
  const note = file === undefined ? "" : t("vi", "bot.attachment", { name: file });
  return [note, words].filter(Boolean).join("\n") || t("vi", "bot.no_text");
}

/**
 * An acknowledgement that says more than "received" — "đã nhận, nhưng trường xin lùi hạn" — is also
 * kept as a message, so the officer reads the rest rather than finding it only in the raw reply.
 */
function saysMore(text: string): boolean {
  const folded = foldVietnamese(text);
  return folded.split(" ").length > 12 || /\b(?:nhung|tuy nhien|de nghi|xin phep|xin gia han|xin lui|gia han|lui han)\b/.test(folded);
}

async function acknowledgeByText(ctx: Context, deps: BotDeps, o: { person: ChatPerson; reply: ParsedReply; text: string; locale: Locale }): Promise<void> {
  const { person, locale } = o;
  const ref = o.reply.directiveRef;
  const acknowledge = async (directiveId: number) => {
    const result = await acknowledgeDirective(deps.db, { directiveId, personId: person.personId, channel: "TELEGRAM", source: "TEXT", raw: o.text });
    if (result.kind !== "not_found" && saysMore(o.text)) {
      await recordInbound(deps.db, { channel: "TELEGRAM", externalChatId: String(ctx.chat!.id), personId: person.personId, directiveId, text: o.text, intent: "ACK" });
    }
    return result;
  };
  // A directive named with "#12" is acknowledged if it reached this person, pending or not.
  const named = ref === undefined ? null : await acknowledge(ref);
  if (named?.kind === "acknowledged") deps.log.info({ directiveId: ref, personId: person.personId }, "acknowledged by text");
  if (named && named.kind !== "not_found") return void (await ctx.reply(ackAnswer(locale, named)));

  const pending = await findPendingDirectives(deps.db, person.personId);
  if (!pending.length) return void (await ctx.reply(ref === undefined ? t(locale, "bot.nothing_pending") : t(locale, "bot.ack_ref_not_found", { id: ref })));
  // Several pending, or a number that matches none of them: the principal picks.
  if (pending.length > 1 || ref !== undefined) {
    const question = ref === undefined ? t(locale, "bot.ack_which") : t(locale, "bot.ack_ref_which", { id: ref });
    return void (await ctx.reply(question, { reply_markup: pendingKeyboard(pending) }));
  }
  const result = await acknowledge(pending[0]!.id);
  if (result.kind === "acknowledged") deps.log.info({ directiveId: pending[0]!.id, personId: person.personId }, "acknowledged by text");
  await ctx.reply(ackAnswer(locale, result));
}

/** The answer to an acknowledgement in words. */
function ackAnswer(locale: Locale, result: AckResult): string {
  switch (result.kind) {
    case "acknowledged":
      return t(locale, "bot.ack_text_done", { title: result.title });
    case "already":
      return t(locale, "bot.ack_text_already", { title: result.title, at: formatStamp(result.at) });
    case "not_found":
      return t(locale, "bot.ack_not_found");
  }
}

const REPLY_KEYS = { DECLINE: "bot.reply_decline", QUESTION: "bot.reply_question", UNKNOWN: "bot.reply_unknown" } as const;

/** Handles every private message that no command took. */
export function textReply(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("message", async (ctx) => {
    const locale = localeOf(ctx);
    const text = wordsOf(ctx);
    // A command the bot does not know: the help says which ones it does.
    if (ctx.message.entities?.[0]?.type === "bot_command" && ctx.message.entities[0].offset === 0) return void (await ctx.reply(t(locale, "bot.help")));
    const person = await chatPersonOf(ctx, deps.db);
    if (!person) {
      // A stranger who pastes the code (or the whole link) instead of opening the link gets linked all the same.
      const code = pastedLinkCode(text);
      if (code) return linkByCode(ctx, deps, code);
      return void (await ctx.reply(t(locale, "bot.unlinked")));
    }
    const reply = parseReply(text);
    if (reply.intent === "ACK") return acknowledgeByText(ctx, deps, { person, reply, text, locale });
    const directiveId = await findReplyDirective(deps.db, person.personId, reply.directiveRef);
    await recordInbound(deps.db, {
      channel: "TELEGRAM",
      externalChatId: String(ctx.chat.id),
      personId: person.personId,
      directiveId,
      text: keptText(ctx, text),
      intent: reply.intent,
    });
    deps.log.info({ personId: person.personId, directiveId, intent: reply.intent }, "reply kept for the officer");
    await ctx.reply(t(locale, REPLY_KEYS[reply.intent]));
  });
  return composer;
}
