/**
 * The conversation rules, written once for every channel: linking by code, acknowledgement by
 * button and by words, the "which one?" question, /pending, /help, and replies kept for the officer.
 * Runs inside the inbox event's transaction (see process-inbound.ts): every effect here commits
 * together with the event's DONE mark and the replies returned, or not at all.
 */
import type { Logger } from "../../server/config/logger.ts";
import type { Prisma } from "../../server/db/prisma.ts";
import { formatStamp } from "../../server/domain/format-stamp.ts";
import { foldVietnamese, parseReply, type ParsedReply } from "../../server/domain/reply-intent.ts";
import { acknowledgeDirective, type AckResult } from "../../server/features/chat/acknowledge-directive.ts";
import { acknowledgePresses } from "../../server/features/chat/acknowledge-presses.ts";
import { clearChatBlock } from "../../server/features/chat/clear-chat-block.ts";
import { findChatPerson, type ChatPerson } from "../../server/features/chat/find-chat-person.ts";
import { recordReceipt } from "../../server/features/deliveries/record-receipt.ts";
import { findPendingDirectives } from "../../server/features/chat/find-pending-directives.ts";
import { isDirectiveMessage } from "../../server/features/chat/is-directive-message.ts";
import { linkChatIn } from "../../server/features/chat/link-chat.ts";
import { markChatBlocked } from "../../server/features/chat/mark-chat-blocked.ts";
import { findOfferedChoices, rememberOfferedChoices } from "../../server/features/chat/offered-choices.ts";
import { findReplyDirective, recordInbound } from "../../server/features/chat/record-inbound.ts";
import { recordInteraction, recordInteractions } from "../../server/features/chat/record-interaction.ts";
import { t, type Locale } from "../../server/i18n.ts";
import { parseAckPayload } from "./ack-payload.ts";
import { parseChoiceNumber, type ChoiceNumber } from "./choice-number.ts";
import type { ConversationEvent } from "./conversation-event.ts";
import { linkCodeIn } from "./pasted-link-code.ts";
import { pendingChoices, pendingListText } from "./pending-list.ts";
import type { Reply } from "./reply.ts";
import { parseStatusPayload } from "./status-payload.ts";
import { decideStatusButton, decideStatusReply, pendingStepsReply } from "./status-replies.ts";

type Tx = Prisma.TransactionClient;
type Ctx = { tx: Tx; log: Logger; e: ConversationEvent; locale: Locale; /** The platform's name as people say it ("Telegram"), for "this Telegram account". */ name: string };

const say = (text: string, extra: Omit<Extract<Reply, { kind: "text" }>, "kind" | "text"> = {}): Reply => ({ kind: "text", text, ...extra });

/** A command at the start of a text: "/start abc" → {name: "start", arg: "abc"}. */
function commandOf(text: string): { name: string; arg: string } | null {
  const m = /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), arg: (m[2] ?? "").trim() } : null;
}

/** Links the chat with `code` and answers: the person and school, or why nothing was linked. */
async function linkByCode({ tx, log, e, locale, name }: Ctx, code: string): Promise<Reply[]> {
  const result = await linkChatIn(tx, { channel: e.channel, externalId: e.externalUserId, code, displayName: e.displayName ?? null });
  switch (result.kind) {
    case "linked":
      log.info({ channel: e.channel, personId: result.personId, replacedChat: result.replacedChat, previousPersonId: result.previousPersonId }, "chat linked");
      return [say(t(locale, "bot.start_linked", { name: result.name, org: result.orgName, channel: name }))];
    case "already_linked":
      return [say(t(locale, "bot.start_already", { name: result.name, org: result.orgName, channel: name }))];
    case "unknown":
    case "used":
    case "expired":
      log.info({ channel: e.channel, outcome: result.kind }, "link refused");
      return [say(t(locale, `bot.start_${result.kind}`))];
  }
}

/**
 * An acknowledgement that says more than "received" — "đã nhận, nhưng trường xin lùi hạn" — is also
 * kept as a message, so the officer reads the rest rather than finding it only in the raw reply.
 */
function saysMore(text: string): boolean {
  const folded = foldVietnamese(text);
  return folded.split(" ").length > 12 || /\b(?:nhung|tuy nhien|de nghi|xin phep|xin gia han|xin lui|gia han|lui han)\b/.test(folded);
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

/**
 * Words that mean "received" acknowledge the one pending directive (or the one named with "#12"), or
 * ask which one when several are pending.
 */
async function acknowledgeByText(c: Ctx, person: ChatPerson, reply: ParsedReply, text: string): Promise<Reply[]> {
  const { tx, log, e, locale } = c;
  const ref = reply.directiveRef;
  const acknowledge = async (directiveId: number) => {
    const result = await acknowledgeDirective(tx, { directiveId, personId: person.personId, channel: e.channel, source: "TEXT", raw: text });
    if (result.kind !== "not_found" && saysMore(text)) {
      await recordInbound(tx, { channel: e.channel, externalChatId: e.externalUserId, personId: person.personId, directiveId, text, intent: "ACK" });
    }
    if (result.kind === "acknowledged") log.info({ channel: e.channel, directiveId, personId: person.personId }, "acknowledged by text");
    return result;
  };
  // A directive named with "#12" is acknowledged if it reached this person, pending or not.
  const named = ref === undefined ? null : await acknowledge(ref);
  if (named && named.kind !== "not_found") return [say(ackAnswer(locale, named))];

  const pending = await findPendingDirectives(tx, person.personId);
  if (!pending.length) return [say(ref === undefined ? t(locale, "bot.nothing_pending") : t(locale, "bot.ack_ref_not_found", { id: ref }))];
  // Several pending, or a number that matches none of them: the principal picks.
  if (pending.length > 1 || ref !== undefined) {
    const question = ref === undefined ? t(locale, "bot.ack_which") : t(locale, "bot.ack_ref_which", { id: ref });
    return [say(question, { choices: pendingChoices(pending) })];
  }
  return [say(ackAnswer(locale, await acknowledge(pending[0]!.id)))];
}

/** How long an offered list stays open to a typed number; after that a number shows the list again. */
export const OFFERED_CHOICES_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A number picking one of the choices last offered in this chat ("1", "số 2", "đã nhận 1", "#1"):
 * an acknowledgement choice acknowledges its directive. A number out of the list's range, or typed
 * when no list is open, is answered with the list, never guessed at. Null when the words are better
 * read as before: "#12" beyond the list names directive 12, "đã nhận 1" with no list says "received".
 */
async function pickByNumber(c: Ctx, person: ChatPerson, picked: ChoiceNumber, text: string): Promise<Reply[] | null> {
  const { tx, e, locale } = c;
  const { n } = picked;
  const offered = await findOfferedChoices(tx, { channel: e.channel, externalChatId: e.externalUserId, since: new Date(e.at.getTime() - OFFERED_CHOICES_TTL_MS) });
  if (!offered) {
    if (picked.form !== "bare") return null;
    const pending = await findPendingDirectives(tx, person.personId);
    if (!pending.length) return [say(t(locale, "bot.choice_none_pending", { n }))];
    // The choices alone, as in the "which one?" question: where they are numbered lines a list above them would say it twice.
    return [say(t(locale, "bot.choice_none", { n }), { choices: pendingChoices(pending) })];
  }
  if (n < 1 || n > offered.length) {
    if (picked.form === "hash") return null;
    return [say(t(locale, "bot.choice_out_of_range", { n, count: offered.length }), { choices: offered })];
  }
  // "#2" is option 2, unless directive 2 is another option of the list: then ask rather than guess.
  const elsewhere = picked.form === "hash" ? offered.findIndex((o, i) => i !== n - 1 && parseAckPayload(o.payload) === n) : -1;
  if (elsewhere >= 0) return [say(t(locale, "bot.choice_ambiguous", { n, option: elsewhere + 1 }), { choices: offered })];
  const choice = offered[n - 1]!;
  const directiveId = parseAckPayload(choice.payload);
  if (directiveId === null) return onButton({ ...c, e: { ...e, kind: "button", payload: choice.payload } });
  return acknowledgeByText(c, person, { intent: "ACK", directiveRef: directiveId }, text);
}

const REPLY_KEYS = { DECLINE: "bot.reply_decline", QUESTION: "bot.reply_question", UNKNOWN: "bot.reply_unknown" } as const;

/** Text (and commands) from a person. */
async function onText(c: Ctx): Promise<Reply[]> {
  const { tx, log, e, locale } = c;
  const text = e.text ?? "";
  const command = commandOf(text);
  if (command?.name === "start" && command.arg) return linkByCode(c, command.arg);
  if (command?.name === "help") return [say(t(locale, "bot.help"))];
  const person = await findChatPerson(tx, e.channel, e.externalUserId);
  if (command?.name === "start") return [say(person ? t(locale, "bot.start_hello", { name: person.name, org: person.orgName }) : t(locale, "bot.start_unlinked"))];
  if (command?.name === "pending") {
    if (!person) return [say(t(locale, "bot.unlinked", { channel: c.name }))];
    const pending = await findPendingDirectives(tx, person.personId);
    // Checklist steps not done yet come after the directives awaiting acknowledgement.
    const steps = await pendingStepsReply(c, person.personId);
    if (!pending.length && !steps) return [say(t(locale, "bot.nothing_pending"))];
    const replies: Reply[] = pending.length ? [say(pendingListText(locale, pending), { choices: pendingChoices(pending) })] : [];
    return steps ? [...replies, steps] : replies;
  }
  // A command the bot does not know: the help says which ones it does.
  if (command) return [say(t(locale, "bot.help"))];
  if (!person) {
    // A stranger who pastes the code (alone, as the whole link, or in a sentence) gets linked all the same.
    const code = linkCodeIn(text);
    return code ? linkByCode(c, code) : [say(t(locale, "bot.unlinked", { channel: c.name }))];
  }
  const picked = parseChoiceNumber(text);
  const pick = picked && (await pickByNumber(c, person, picked, text));
  if (pick) return pick;
  // A programme's words ("xong bước 1", "xin gia hạn đến 15/3") before the acknowledgement rules.
  const status = await decideStatusReply(c, person, text);
  if (status) return status;
  const reply = parseReply(text);
  if (reply.intent === "ACK") return acknowledgeByText(c, person, reply, text);
  const directiveId = await findReplyDirective(tx, person.personId, reply.directiveRef);
  // What the officer reads: the words, and the name of a file sent with them; a message with neither says so.
  const note = e.attachment === undefined ? "" : t("vi", "bot.attachment", { name: e.attachment });
  const kept = [note, text].filter(Boolean).join("\n") || t("vi", "bot.no_text");
  await recordInbound(tx, { channel: e.channel, externalChatId: e.externalUserId, personId: person.personId, directiveId, text: kept, intent: reply.intent });
  log.info({ channel: e.channel, personId: person.personId, directiveId, intent: reply.intent }, "reply kept for the officer");
  return [say(t(locale, REPLY_KEYS[reply.intent]))];
}

/**
 * A press of one of our buttons. An acknowledgement is recorded once and answered; then the message
 * pressed is updated where the platform says which it was: the directive's own message is stamped
 * "✅ Đã nhận lúc …" and loses its button; a list the bot made keeps buttons only for what is still
 * pending, and the acknowledgement is confirmed in words. Unknown payloads only get an empty answer.
 */
async function onButton(c: Ctx): Promise<Reply[]> {
  const { tx, e, locale } = c;
  if (parseStatusPayload(e.payload)) {
    const replies = await decideStatusButton(c, await findChatPerson(tx, e.channel, e.externalUserId), t(locale, "bot.ack_unlinked", { channel: c.name }));
    if (replies) return replies;
  }
  const directiveId = parseAckPayload(e.payload);
  if (directiveId === null) return [{ kind: "press_answer" }];
  const person = await findChatPerson(tx, e.channel, e.externalUserId);
  if (!person) return pressReplies(c, directiveId, null, { kind: "not_found" }, async () => false);
  const result = await acknowledgeDirective(tx, { directiveId, personId: person.personId, channel: e.channel, source: "BUTTON", raw: e.payload ?? "" });
  const carrier = e.carrier;
  return pressReplies(c, directiveId, person, result, () =>
    carrier ? isDirectiveMessage(tx, { directiveId, personId: person.personId, channel: e.channel, messageId: carrier.messageId }) : Promise.resolve(false),
  );
}

/** The replies to an acknowledgement press once it is recorded (one press, or one of a batch). */
async function pressReplies(c: Ctx, directiveId: number, person: ChatPerson | null, result: AckResult, onDirectiveMessage: () => Promise<boolean>): Promise<Reply[]> {
  const { tx, log, e, locale } = c;
  if (!person) return [{ kind: "press_answer", text: t(locale, "bot.ack_unlinked", { channel: c.name }), alert: true }];
  if (result.kind === "not_found") return [{ kind: "press_answer", text: t(locale, "bot.ack_not_found"), alert: true }];
  if (result.kind === "acknowledged") log.info({ channel: e.channel, directiveId, personId: person.personId }, "acknowledged by button");
  const stamp = formatStamp(result.at);
  const replies: Reply[] = [{ kind: "press_answer", text: result.kind === "acknowledged" ? t(locale, "bot.ack_done") : t(locale, "bot.ack_already", { at: stamp }) }];
  const carrier = e.carrier;
  if (!carrier) return replies;
  if (await onDirectiveMessage()) {
    // The stamp joins the directive's Vietnamese text, so it is Vietnamese too.
    replies.push({ kind: "stamp_carrier", stamp: t("vi", "bot.ack_stamp", { at: stamp }) });
    return replies;
  }
  const listed = [...new Set(carrier.payloads.map(parseAckPayload).filter((id): id is number => id !== null))];
  const pending = await findPendingDirectives(tx, person.personId);
  const stillListed = listed.map((id) => pending.find((d) => d.id === id)).filter((d) => d !== undefined);
  // An edit that changes nothing is refused by some platforms (Telegram: "message is not modified").
  if (stillListed.length !== listed.length) replies.push({ kind: "set_carrier_choices", choices: pendingChoices(stillListed) });
  if (result.kind === "acknowledged") replies.push(say(t(locale, "bot.ack_text_done", { title: result.title })));
  return replies;
}

/** Keeps the last choices offered in this chat, so a number typed next picks one of them. */
async function offering(c: Ctx, replies: Reply[]): Promise<Reply[]> {
  const offered = replies.findLast((r) => r.kind === "text" && r.choices?.length);
  if (offered?.kind === "text" && offered.choices) {
    await rememberOfferedChoices(c.tx, { channel: c.e.channel, externalChatId: c.e.externalUserId, choices: offered.choices, at: c.e.at });
  }
  return replies;
}

/** True for an event the batch path ({@link decidePressesReplies}) takes: a press of an acknowledgement button. */
export const isAckPress = (e: ConversationEvent): boolean => e.kind === "button" && parseAckPayload(e.payload) !== null;

/**
 * {@link decideReplies} for a batch of acknowledgement presses (see {@link isAckPress}), with the
 * same rules and replies, but the database work of all of them in one statement
 * (acknowledgePresses) inside the caller's transaction. Returns the replies per event, in order.
 */
export async function decidePressesReplies(tx: Tx, events: readonly ConversationEvent[], log: Logger, channelName: (e: ConversationEvent) => string): Promise<Reply[][]> {
  const presses = events.map((e) => ({
    channel: e.channel,
    externalId: e.externalUserId,
    directiveId: parseAckPayload(e.payload)!,
    raw: e.payload ?? "",
    carrierMessageId: e.carrier?.messageId ?? null,
  }));
  const outcomes = await acknowledgePresses(tx, presses);
  // A press is an interaction (the Zalo OA window), as on the one-at-a-time path.
  await recordInteractions(
    tx,
    events.map((e) => ({ channel: e.channel, externalId: e.externalUserId, at: e.at })),
  );
  const replies: Reply[][] = [];
  // In order: a list carrier reads what is still pending, which earlier presses may have changed.
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const o = outcomes[i]!;
    const c: Ctx = { tx, log, e, locale: e.locale ?? "vi", name: channelName(e) };
    replies.push(await pressReplies(c, presses[i]!.directiveId, o.person, o.result, async () => o.onDirectiveMessage));
  }
  return replies;
}

/**
 * Applies one inbound event and returns the replies to send, in order. A person writing or pressing
 * a button has not blocked us (any more): sends to them may resume. An unfollow (a blocked bot)
 * is recorded at once, so the data shows who cannot be reached before a send meets a refusal.
 */
export async function decideReplies(tx: Tx, e: ConversationEvent, log: Logger, channelName: string): Promise<Reply[]> {
  const c: Ctx = { tx, log, e, locale: e.locale ?? "vi", name: channelName };
  switch (e.kind) {
    case "unfollow":
      if (await markChatBlocked(tx, e.channel, e.externalUserId, e.at)) log.info({ channel: e.channel }, "chat blocked us");
      return [];
    case "follow":
      if (await clearChatBlock(tx, e.channel, e.externalUserId)) log.info({ channel: e.channel }, "chat unblocked us");
      await recordInteraction(tx, e.channel, e.externalUserId, e.at);
      return [];
    case "text":
    case "button": {
      await clearChatBlock(tx, e.channel, e.externalUserId);
      const replies = await (e.kind === "text" ? onText(c) : onButton(c));
      // After the handler: a text that links the chat creates the row this stamps.
      await recordInteraction(tx, e.channel, e.externalUserId, e.at);
      return offering(c, replies);
    }
    case "delivered":
    case "seen":
      // Receipts say nothing to the person; they are kept on the delivery, apart from acknowledgements.
      if (e.messageId) await recordReceipt(tx, { channel: e.channel, externalChatId: e.externalUserId, messageId: e.messageId, kind: e.kind, at: e.at });
      return [];
  }
}
