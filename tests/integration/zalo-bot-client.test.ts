import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseZaloBotUpdate } from "../../bot/channels/zalo-bot/parse-zalo-bot-update.ts";
import { pollZaloBot } from "../../bot/channels/zalo-bot/poll-zalo-bot.ts";
import { verifyZaloBotSecret, ZALO_BOT_SECRET_HEADER } from "../../bot/channels/zalo-bot/verify-zalo-bot-secret.ts";
import { createZaloBotClient, type ZaloBotClient } from "../../bot/channels/zalo-bot/zalo-bot-client.ts";
import type { ChannelFailure } from "../../server/domain/channel-failure.ts";
import type { InboundEvent } from "../../server/domain/inbound-event.ts";
import { parseJsonKeepingIds } from "../../server/domain/parse-json-keeping-ids.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../helpers/fake-zalo-bot.ts";

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ChannelFailure,
  );

describe("Zalo Bot Platform client against the stand-in", () => {
  let bot: FakeZaloBot;
  let client: ZaloBotClient;
  const chat = "6123456789012345678";

  beforeAll(async () => {
    bot = await startFakeZaloBot();
    client = createZaloBotClient({ token: bot.token, apiBase: bot.apiBase, timeoutMs: 2000 });
  });
  afterAll(() => bot.close());

  it("identifies itself and sends text split at 2,000 characters", async () => {
    expect(await client.getMe()).toEqual({ id: bot.token.split(":")[0], accountName: "chidao_bot" });
    const text = "Các trường báo cáo số liệu đúng hạn. ".repeat(150);
    const { messageIds } = await client.sendMessage(chat, text);
    const sent = bot.sentTo(chat);
    expect(messageIds).toEqual(sent.map((m) => m.message_id));
    expect(sent.length).toBe(3);
    for (const m of sent) expect(m.text.length).toBeLessThanOrEqual(2000);
    expect(sent.map((m) => m.text).join(" ")).toBe(text.trim());
    // Ids are 19 digits: kept exactly.
    expect(messageIds[0]).toMatch(/^\d{19}$/);
  });

  it("maps failures to the same taxonomy as the OA", async () => {
    bot.blockChat("6000000000000000001");
    expect(await failureOf(client.sendMessage("6000000000000000001", "x"))).toMatchObject({ reason: "unreachable", providerCode: 403 });
    bot.failNext("sendMessage", { error_code: 429, description: "Too Many Requests", retry_after: 3 });
    expect(await failureOf(client.sendMessage(chat, "x"))).toMatchObject({ reason: "retry_later", retryAfterMs: 3000 });
    bot.failNext("sendMessage", { error_code: 500, description: "Internal error" });
    expect(await failureOf(client.sendMessage(chat, "x"))).toMatchObject({ reason: "retry_later" });
    const wrong = createZaloBotClient({ token: "1:wrong", apiBase: bot.apiBase });
    expect(await failureOf(wrong.getMe())).toMatchObject({ reason: "needs_admin", providerCode: 401 });
    const down = createZaloBotClient({ token: bot.token, apiBase: "http://127.0.0.1:9" });
    expect(await failureOf(down.getMe())).toMatchObject({ reason: "retry_later" });
  });

  it("long-polls updates one at a time, in order, and stops when asked", async () => {
    const events: InboundEvent[] = [];
    const controller = new AbortController();
    const loop = pollZaloBot(client, {
      signal: controller.signal,
      timeoutSeconds: 1,
      async onUpdate(update) {
        const parsed = parseZaloBotUpdate(update);
        if (parsed.ok && parsed.event) events.push(parsed.event);
      },
    });
    const ids = [bot.sendText(chat, "đã nhận"), bot.sendText(chat, "số 2"), bot.sendText("6000000000000000002", "1")];
    const deadline = Date.now() + 5000;
    while (events.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await loop;
    expect(events.map((e) => [e.externalUserId, e.kind, e.text, e.messageId])).toEqual([
      [chat, "text", "đã nhận", ids[0]],
      [chat, "text", "số 2", ids[1]],
      ["6000000000000000002", "text", "1", ids[2]],
    ]);
    expect(events[0]).toMatchObject({ channel: "ZALO_BOT", dedupeKey: `message.text.received:${ids[0]}` });
    // A quiet poll is not an error.
    expect(await client.getUpdates({ timeoutSeconds: 1 })).toBeNull();
  });

  it("sets a webhook whose secret header is checked in constant time; deleting it allows polling again", async () => {
    const seen: { ok: boolean; event: InboundEvent | null }[] = [];
    const secret = "a-webhook-secret-of-32-characters";
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const ok = verifyZaloBotSecret(req.headers[ZALO_BOT_SECRET_HEADER], secret);
        const parsed = ok ? parseZaloBotUpdate(parseJsonKeepingIds(Buffer.concat(chunks).toString("utf8"))) : null;
        seen.push({ ok, event: parsed?.ok ? parsed.event : null });
        res.writeHead(ok ? 200 : 401).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zalo-bot`;
      expect(await failureOf(client.setWebhook(url, "short"))).toMatchObject({ reason: "rejected" });
      await client.setWebhook(url, secret);
      expect(await client.getWebhookInfo()).toEqual({ url });
      expect(await failureOf(client.getUpdates({ timeoutSeconds: 1 }))).toMatchObject({ providerCode: 409 });
      bot.sendText(chat, "Đã nhận chỉ thị");
      const deadline = Date.now() + 3000;
      // The stand-in notes the answer after our receiver has seen the update: wait for both.
      while ((!seen.length || !bot.webhookResponses.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen[0]).toMatchObject({ ok: true, event: { text: "Đã nhận chỉ thị", externalUserId: chat } });
      expect(bot.webhookResponses).toEqual([200]);
      await client.deleteWebhook();
      expect(await client.getUpdates({ timeoutSeconds: 1 })).toBeNull();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("checks the secret header exactly", () => {
    const secret = "a-webhook-secret-of-32-characters";
    expect(verifyZaloBotSecret(secret, secret)).toBe(true);
    expect(verifyZaloBotSecret(secret.slice(0, -1), secret)).toBe(false);
    expect(verifyZaloBotSecret(`${secret}x`, secret)).toBe(false);
    expect(verifyZaloBotSecret(secret.replace("a", "b"), secret)).toBe(false);
    expect(verifyZaloBotSecret(undefined, secret)).toBe(false);
    expect(verifyZaloBotSecret([secret], secret)).toBe(false);
    expect(verifyZaloBotSecret("", "")).toBe(false);
  });

  it("reads updates bare or wrapped, ignores what it cannot act on", () => {
    const message = { message_id: "9", date: "1764400000000", text: "1", chat: { id: chat, chat_type: "PRIVATE" }, from: { id: chat, first_name: "An" } };
    expect(parseZaloBotUpdate({ event_name: "message.text.received", message })).toMatchObject({ ok: true, event: { text: "1", at: new Date(1764400000000) } });
    expect(parseZaloBotUpdate({ ok: true, result: { message } })).toMatchObject({ ok: true, event: { text: "1" } });
    expect(parseZaloBotUpdate({ event_name: "message.sticker.received", message: { ...message, text: undefined } })).toMatchObject({
      ok: true,
      event: null,
      ignored: "message.sticker.received",
    });
    expect(parseZaloBotUpdate({ event_name: "message.text.received", message: { ...message, chat: { id: "g1", chat_type: "GROUP" } } })).toMatchObject({ ok: true, event: null });
    expect(parseZaloBotUpdate({ message: { text: "x" } })).toMatchObject({ ok: false });
  });
});
