import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatZaloOaDirective } from "../../bot/channels/zalo-oa/format-zalo-oa.ts";
import { refreshZaloOaToken } from "../../bot/channels/zalo-oa/refresh-zalo-oa-token.ts";
import { createZaloOaClient, type ZaloOaClient, type ZaloOaTokenSource } from "../../bot/channels/zalo-oa/zalo-oa-client.ts";
import { ChannelFailure } from "../../server/domain/channel-failure.ts";
import { startFakeZaloOa, type FakeZaloOa } from "../helpers/fake-zalo-oa.ts";

/** A token source without a database: holds the pair in memory and refreshes through the real OAuth call. */
function memoryTokens(zalo: FakeZaloOa): ZaloOaTokenSource & { refreshes: number } {
  let pair = { ...zalo.pair };
  const source = {
    refreshes: 0,
    async accessToken() {
      return pair.accessToken;
    },
    async refreshAfterRejection() {
      source.refreshes++;
      const next = await refreshZaloOaToken({ oauthBase: zalo.oauthBase, appId: zalo.appId, appSecret: zalo.appSecret, refreshToken: pair.refreshToken });
      pair = { accessToken: next.accessToken, refreshToken: next.refreshToken };
      return pair.accessToken;
    },
  };
  return source;
}

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ChannelFailure,
  );

describe("Zalo OA client against the stand-in", () => {
  let zalo: FakeZaloOa;
  let tokens: ReturnType<typeof memoryTokens>;
  let client: ZaloOaClient;
  const user = "8471234567890123456";

  beforeAll(async () => {
    zalo = await startFakeZaloOa();
    zalo.addUser(user, { phone: "84903123456" });
    tokens = memoryTokens(zalo);
    client = createZaloOaClient({ apiBase: zalo.apiBase, templateBase: zalo.templateBase, tokens, timeoutMs: 1500 });
  });
  afterAll(() => zalo.close());

  it("sends a directive split at 2,000 characters with the buttons under the last part only", async () => {
    const paragraph = "Các trường rà soát hồ sơ, cập nhật dữ liệu và báo cáo về Sở đúng hạn. ".repeat(8).trim();
    const body = Array.from({ length: 12 }, (_, i) => `${i + 1}. ${paragraph}`).join("\n\n");
    const m = formatZaloOaDirective(
      { directiveId: 42, title: "Rà soát hồ sơ", body, issuerName: "Sở GD&ĐT", deadline: new Date("2026-11-30T10:00:00Z"), requireAck: true },
      { link: { label: "📄 Xem văn bản", url: "https://chidao.example.vn/verify/x1" } },
    );
    const ids: string[] = [];
    for (let i = 0; i < m.parts.length; i++) {
      const last = i === m.parts.length - 1;
      ids.push(...(await client.sendText({ userId: user, text: m.parts[i]!, ...(last ? { buttons: m.buttons } : {}) })).messageIds);
    }
    const sent = zalo.sentTo(user);
    expect(sent.map((s) => s.messageId)).toEqual(ids);
    expect(sent.length).toBe(m.parts.length);
    expect(sent.length).toBeGreaterThan(2);
    for (const s of sent) expect(s.text!.length).toBeLessThanOrEqual(2000);
    expect(sent.slice(0, -1).every((s) => s.buttons === undefined)).toBe(true);
    expect(sent.at(-1)!.buttons).toEqual([
      { title: "✅ Đã nhận", type: "oa.query.hide", payload: "#ack:42" },
      { title: "📄 Xem văn bản", type: "oa.open.url", payload: { url: "https://chidao.example.vn/verify/x1" } },
    ]);
    expect(sent[0]!.text).toContain("⏰ Hạn: 17h00 ngày 30/11/2026");
  });

  it("splits raw text itself, quoting the person's message on the first part", async () => {
    const text = "Dòng một.\n".repeat(450);
    const { messageIds } = await client.sendText({ userId: user, text, quoteMessageId: "q-1", buttons: [{ title: "Có", type: "oa.query.hide", payload: "#yes:1" }] });
    expect(messageIds).toHaveLength(3);
    const sent = zalo.sent.slice(-3);
    expect(sent.map((s) => s.quoteMessageId)).toEqual(["q-1", undefined, undefined]);
    expect(sent.map((s) => s.buttons?.length ?? 0)).toEqual([0, 0, 1]);
    expect(sent.map((s) => s.text).join("\n")).toBe(text.trim());
  });

  it("uploads the PDF, then sends it as a file message", async () => {
    const pdf = new Uint8Array(Buffer.from("%PDF-1.7\n% chidao test\n%%EOF\n"));
    const { messageId } = await client.sendPdf({ userId: user, filename: "15-CT-UBND.pdf", bytes: pdf });
    const upload = zalo.calls.find((c) => c.path === "/openapi/v2.0/oa/upload/file")!;
    expect(upload.accessToken).toBe(zalo.pair.accessToken);
    const sent = zalo.sent.at(-1)!;
    expect(sent).toMatchObject({ messageId, kind: "file", file: { filename: "15-CT-UBND.pdf", size: pdf.length, contentType: "application/pdf" } });
    expect(await failureOf(client.sendPdf({ userId: user, filename: "big.pdf", bytes: new Uint8Array(5 * 1024 * 1024 + 1) }))).toMatchObject({ reason: "rejected" });
  });

  it("reads a person's details, ids as strings", async () => {
    expect(await client.getUser(user)).toMatchObject({ userId: user, isFollower: true, phone: "84903123456" });
    expect(await failureOf(client.getUser("1111111111111111111"))).toMatchObject({ reason: "unreachable", providerCode: -201 });
  });

  it("classifies each way a send fails", async () => {
    const send = (userId: string) => failureOf(client.sendText({ userId, text: "Nhắc việc" }));
    zalo.addUser("2000000000000000001", { follower: false });
    zalo.addUser("2000000000000000002", { blocked: true });
    zalo.addUser("2000000000000000003", { lastInteractionAt: Date.now() - 8 * 24 * 60 * 60 * 1000 });
    expect(await send("2000000000000000001")).toMatchObject({ reason: "unreachable", providerCode: -213, retryable: false, unreachable: true });
    expect(await send("2000000000000000002")).toMatchObject({ reason: "unreachable", providerCode: -244 });
    expect(await send("2000000000000000009")).toMatchObject({ reason: "unreachable", providerCode: -201 });
    expect(await send("2000000000000000003")).toMatchObject({ reason: "needs_template", providerCode: -230, retryable: false, unreachable: false });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { error: -223, message: "OA has not authorized this API" });
    expect(await send(user)).toMatchObject({ reason: "needs_admin", providerCode: -223 });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { error: -32, message: "rate limit" });
    expect(await send(user)).toMatchObject({ reason: "retry_later", retryAfterMs: 30_000, retryable: true });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { status: 502 });
    expect(await send(user)).toMatchObject({ reason: "retry_later", providerCode: 502 });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { status: 429, retryAfter: "7" });
    expect(await send(user)).toMatchObject({ reason: "retry_later", retryAfterMs: 7000 });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { drop: true });
    expect(await send(user)).toMatchObject({ reason: "retry_later" });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { delayMs: 2500 });
    const slow = await send(user);
    expect(slow).toMatchObject({ reason: "retry_later" });
    expect(slow!.message).toMatch(/timed out/);
    const six = Array.from({ length: 6 }, (_, i) => ({ title: `${i}`, type: "oa.query.hide" as const, payload: `#c:${i}` }));
    const before = zalo.calls.length;
    expect(await failureOf(client.sendText({ userId: user, text: "x", buttons: six }))).toMatchObject({ reason: "rejected" });
    expect(zalo.calls.length).toBe(before);
  });

  it("enforces Zalo's rate limit as -32 → retry later", async () => {
    const limited = await startFakeZaloOa({ rateLimit: { max: 3, windowMs: 60_000 } });
    try {
      limited.addUser(user);
      const c = createZaloOaClient({ apiBase: limited.apiBase, templateBase: limited.templateBase, tokens: memoryTokens(limited) });
      for (let i = 0; i < 3; i++) await c.sendText({ userId: user, text: `tin ${i}` });
      expect(await failureOf(c.sendText({ userId: user, text: "tin 4" }))).toMatchObject({ reason: "retry_later", providerCode: -32 });
      expect(limited.sent).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it("refreshes once on an expired token and repeats the same request", async () => {
    const rotations = zalo.stats.rotations;
    const oldToken = zalo.pair.accessToken;
    zalo.expireAccessTokens(-220);
    const { messageIds } = await client.sendText({ userId: user, text: "Sau khi làm mới" });
    expect(zalo.stats.rotations).toBe(rotations + 1);
    const attempts = zalo.calls.filter((c) => c.path === "/openapi/v3.0/oa/message/cs").slice(-2);
    expect(attempts.map((a) => a.accessToken)).toEqual([oldToken, zalo.pair.accessToken]);
    expect(attempts[0]!.body).toEqual(attempts[1]!.body);
    expect(zalo.sent.at(-1)!.messageId).toBe(messageIds[0]);
  });

  it("does not refresh twice: a token refused right after a refresh needs an administrator", async () => {
    const rotations = zalo.stats.rotations;
    zalo.failNext("/openapi/v3.0/oa/message/cs", { error: -216, message: "Access token is invalid" });
    zalo.failNext("/openapi/v3.0/oa/message/cs", { error: -216, message: "Access token is invalid" });
    expect(await failureOf(client.sendText({ userId: user, text: "x" }))).toMatchObject({ reason: "needs_admin", providerCode: -216 });
    expect(zalo.stats.rotations).toBe(rotations + 1);
  });

  it("sends template messages by phone on the template API and by user id on the OA API", async () => {
    zalo.templates.set("355330", ["ten_chi_thi", "han"]);
    const byPhone = await client.sendTemplate({
      to: { phone: "0903 123 456" },
      templateId: "355330",
      data: { ten_chi_thi: "Rà soát hồ sơ", han: "30/11/2026" },
      trackingId: "delivery-17",
    });
    expect(zalo.sent.at(-1)).toMatchObject({
      messageId: byPhone.messageId,
      kind: "template",
      userId: user,
      template: { by: "phone", phone: "84903123456", trackingId: "delivery-17" },
    });
    expect(zalo.calls.at(-1)!.path).toBe("/business/message/template");
    const byId = await client.sendTemplate({ to: { userId: user }, templateId: "355330", data: { ten_chi_thi: "Rà soát hồ sơ", han: "30/11/2026" } });
    expect(zalo.sent.at(-1)).toMatchObject({ messageId: byId.messageId, template: { by: "user_id" } });
    expect(zalo.calls.at(-1)!.path).toBe("/openapi/v3.0/oa/message/template");
    expect(await failureOf(client.sendTemplate({ to: { phone: "0903123456" }, templateId: "999", data: {} }))).toMatchObject({ reason: "needs_admin", providerCode: -131 });
    expect(await failureOf(client.sendTemplate({ to: { phone: "12345" }, templateId: "355330", data: {} }))).toMatchObject({ reason: "unreachable" });
  });
});
