import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramAdapter } from "../../bot/channels/telegram/telegram-adapter.ts";
import { ChannelError } from "../../server/domain/channel.ts";
import { startFakeTelegram, type FakeTelegram } from "../helpers/fake-telegram.ts";

describe("Telegram adapter against the Bot API stand-in", () => {
  let tg: FakeTelegram;
  let adapter: ReturnType<typeof createTelegramAdapter>;
  const message = { deliveryId: 1, directiveId: 42, chatId: "5001", title: "Tựu trường", body: "Nội dung", issuerName: "Sở GD&ĐT", deadline: null, requireAck: true };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    adapter = createTelegramAdapter(new Api(tg.token, { apiRoot: tg.apiRoot }));
  });
  afterAll(() => tg.close());

  it("sends the directive with an acknowledge button carrying the directive id", async () => {
    const { messageId } = await adapter.sendDirective(message);
    const sent = tg.messages.get(`5001:${messageId}`)!;
    expect(sent.text).toContain("📢 Tựu trường");
    expect(JSON.stringify(sent.reply_markup)).toContain('"callback_data":"ack:42"');
    expect(JSON.stringify(sent.reply_markup)).toContain("✅ Đã nhận");
  });

  it("sends the attached PDF first, then the text with the button", async () => {
    const pdf = new Uint8Array(Buffer.from("%PDF-1.7\n%test\n"));
    const { messageId } = await adapter.sendDirective({ ...message, chatId: "5002", attachment: { filename: "15-CT-UBND.pdf", bytes: pdf, caption: "15/CT-UBND" } });
    const msgs = tg.messagesTo(5002);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.document).toMatchObject({ file_name: "15-CT-UBND.pdf", file_size: pdf.length });
    expect(msgs[0]!.caption).toContain("15/CT-UBND");
    expect(String(msgs[1]!.message_id)).toBe(messageId);
  });

  it("turns 429 into a wait, 403 into unreachable and 5xx into a retry", async () => {
    tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", retry_after: 7 });
    const flood = await adapter.sendDirective(message).catch((e: unknown) => e);
    expect(flood).toBeInstanceOf(ChannelError);
    expect(flood).toMatchObject({ retryable: true, retryAfterMs: 7000, unreachable: false });

    tg.blockChat(5003);
    const blocked = await adapter.sendDirective({ ...message, chatId: "5003" }).catch((e: unknown) => e);
    expect(blocked).toMatchObject({ retryable: false, unreachable: true, providerCode: 403 });

    tg.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    expect(await adapter.sendDirective(message).catch((e: unknown) => e)).toMatchObject({ retryable: true, unreachable: false });

    tg.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
    expect(await adapter.sendDirective(message).catch((e: unknown) => e)).toMatchObject({ unreachable: true });
  });
});
