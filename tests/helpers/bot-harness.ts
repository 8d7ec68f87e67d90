/**
 * A Telegram bot under test: a fresh database, the Bot API stand-in, and the real grammY bot long
 * polling it, plus the steps the bot tests repeat (a principal, a link code, a delivered directive,
 * a message typed and the bot's answer awaited).
 */
import type { Bot } from "grammy";
import { createTelegramBot } from "../../bot/channels/telegram/create-telegram-bot.ts";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import { createLogger } from "../../server/config/logger.ts";
import { createOrg } from "./factories.ts";
import { startFakeTelegram, type FakeCall, type FakeTelegram } from "./fake-telegram.ts";
import { createTestDb, type TestDb } from "./test-db.ts";

export type BotHarness = Awaited<ReturnType<typeof startBotHarness>>;

/** Starts everything; call `stop()` in afterAll. */
export async function startBotHarness() {
  const tdb: TestDb = await createTestDb();
  const tg: FakeTelegram = await startFakeTelegram();
  const logger = createLogger("silent");
  const sgd = await createOrg(tdb.db, { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" });
  const bot: Bot = createTelegramBot({ token: tg.token, apiRoot: tg.apiRoot, db: tdb.db, logger });
  await bot.init();
  await new Promise<void>((resolve, reject) => {
    bot.start({ allowed_updates: ["message", "callback_query", "my_chat_member"], onStart: () => resolve() }).catch(reject);
  });
  let nextChat = 900_000;
  let nextOrg = 0;

  /** A principal of a new school under the department. */
  async function principal(name = "Nguyễn Thị Hạnh") {
    const code = `T${++nextOrg}`;
    const { principal } = await createOrg(tdb.db, { code, name: `Trường THCS số ${nextOrg}`, kind: "SCHOOL", level: "THCS", parentCode: "SGD", principal: name });
    return principal!;
  }

  /** A principal whose Telegram chat is already linked. */
  async function linkedPrincipal(name?: string) {
    const person = await principal(name);
    const chatId = newChat();
    await tdb.db.chatIdentity.create({ data: { personId: person.id, channel: "TELEGRAM", externalId: String(chatId) } });
    return { person, chatId };
  }

  const newChat = () => ++nextChat;

  async function linkCode(personId: number, o: { expired?: boolean } = {}) {
    const code = `code${Math.random().toString(36).slice(2, 12)}`;
    await tdb.db.linkCode.create({ data: { code, personId, expiresAt: new Date(Date.now() + (o.expired ? -1000 : 86_400_000)) } });
    return code;
  }

  /**
   * A directive published to `personId` and really sent to their chat through the adapter (so the
   * message and its button exist in the stand-in), with a SENT delivery row.
   */
  async function deliver(personId: number, chatId: number, o: { title?: string; body?: string; requireAck?: boolean; deadline?: Date | null } = {}) {
    const title = o.title ?? "Kế hoạch tự đánh giá năm 2026";
    const requireAck = o.requireAck ?? true;
    const person = await tdb.db.person.findUniqueOrThrow({ where: { id: personId } });
    const audience = await tdb.db.audience.create({ data: { kinds: [], levels: [], underOrgId: sgd.org.id } });
    const deadline = o.deadline === undefined ? new Date("2026-12-01T10:00:00Z") : o.deadline;
    const directive = await tdb.db.directive.create({
      data: {
        title,
        body: o.body ?? "Đề nghị các trường thực hiện.",
        status: "PUBLISHED",
        publishedAt: new Date(),
        audienceId: audience.id,
        issuerOrgId: sgd.org.id,
        deadline,
        requireAck,
      },
    });
    const { messageId } = await createTelegramAdapter(bot.api).sendDirective({
      deliveryId: 0,
      directiveId: directive.id,
      chatId: String(chatId),
      title,
      body: directive.body,
      issuerName: sgd.org.name,
      deadline,
      requireAck,
    });
    const delivery = await tdb.db.delivery.create({
      data: {
        directiveId: directive.id,
        personId,
        organizationId: person.organizationId,
        channel: "TELEGRAM",
        status: "SENT",
        externalChatId: String(chatId),
        platformMessageId: messageId,
        sentAt: new Date(),
      },
    });
    return { directiveId: directive.id, deliveryId: delivery.id, messageId: Number(messageId) };
  }

  /** The first call of `method` to `chatId` among the calls made after the first `since` calls. */
  function nextCall(method: string, chatId: number, since: number): Promise<FakeCall> {
    return tg.waitFor(() => tg.calls.slice(since).find((c) => c.method === method && String(c.params.chat_id) === String(chatId)));
  }

  /** The first call of `method` (any chat) after the first `since` calls. */
  function nextCallOf(method: string, since: number): Promise<FakeCall> {
    return tg.waitFor(() => tg.calls.slice(since).find((c) => c.method === method));
  }

  /** Types `text` (a command when it starts with "/") in `chatId` and returns the bot's answer. */
  async function say(chatId: number, text: string): Promise<string> {
    const since = tg.calls.length;
    if (text.startsWith("/")) tg.sendCommand(chatId, text);
    else tg.sendText(chatId, text);
    return String((await nextCall("sendMessage", chatId, since)).params.text);
  }

  /** Presses a button and returns the callback answer the bot gave. */
  async function press(chatId: number, messageId: number, data: string): Promise<{ text: string; alert: boolean; since: number }> {
    const since = tg.calls.length;
    tg.pressButton(chatId, messageId, data);
    const answer = await nextCallOf("answerCallbackQuery", since);
    return { text: String(answer.params.text ?? ""), alert: answer.params.show_alert === true, since };
  }

  async function stop() {
    await bot.stop();
    await tg.close();
    await tdb.drop();
  }

  return { tdb, db: tdb.db, tg, bot, sgd: sgd.org, principal, linkedPrincipal, newChat, linkCode, deliver, nextCall, nextCallOf, say, press, stop };
}
