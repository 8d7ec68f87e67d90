import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkChat } from "../../server/features/chat/link-chat.ts";
import { startBotHarness, type BotHarness } from "../helpers/bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h.stop();
});

const identityOf = (chatId: number) => h.db.chatIdentity.findUnique({ where: { channel_externalId: { channel: "TELEGRAM", externalId: String(chatId) } } });

describe("/start <code>", () => {
  it("links the chat with a good code, names the principal and school, and consumes the code", async () => {
    const p = await h.principal("Trần Văn Bình");
    const code = await h.linkCode(p.id);
    const chatId = h.newChat();
    const answer = await h.say(chatId, `/start ${code}`);
    expect(answer).toContain("Đã liên kết");
    expect(answer).toContain("Trần Văn Bình");
    expect(answer).toMatch(/Trường THCS số \d+/);
    const identity = await identityOf(chatId);
    expect(identity).toMatchObject({ personId: p.id, displayName: `Người dùng ${chatId}`, blockedAt: null });
    const used = await h.db.linkCode.findUniqueOrThrow({ where: { code } });
    expect(used).toMatchObject({ usedChannel: "TELEGRAM", usedExternalId: String(chatId) });
    expect(used.usedAt).not.toBeNull();

    // The same link pressed again from the same chat is not an error.
    expect(await h.say(chatId, `/start ${code}`)).toContain("đã được liên kết với Trần Văn Bình");
    // From another chat the used code links nothing.
    const other = h.newChat();
    expect(await h.say(other, `/start ${code}`)).toContain("đã được sử dụng");
    expect(await identityOf(other)).toBeNull();
    expect((await identityOf(chatId))?.personId).toBe(p.id);
  });

  it("refuses an expired, an unknown and a malformed code, links nothing and leaves the expired code unused", async () => {
    const p = await h.principal();
    const chatId = h.newChat();
    const expired = await h.linkCode(p.id, { expired: true });
    expect(await h.say(chatId, `/start ${expired}`)).toContain("hết hạn");
    expect(await h.say(chatId, "/start khongcomanay")).toContain("không đúng");
    expect(await h.say(chatId, "/start <script>")).toContain("không đúng");
    expect(await h.say(chatId, `/start ${"x".repeat(65)}`)).toContain("không đúng");
    expect(await identityOf(chatId)).toBeNull();
    expect((await h.db.linkCode.findUniqueOrThrow({ where: { code: expired } })).usedAt).toBeNull();
  });

  it("answers a bare /start: how to link in a stranger's chat, a greeting in a linked one", async () => {
    expect(await h.say(h.newChat(), "/start")).toContain("đường dẫn liên kết");
    const { chatId } = await h.linkedPrincipal("Lê Thị Cúc");
    const greeting = await h.say(chatId, "/start");
    expect(greeting).toContain("Xin chào Lê Thị Cúc");
    expect(greeting).toContain("/pending");
  });

  it("moves a principal to a new chat with a new code, unlinking the old chat", async () => {
    const { person, chatId: old } = await h.linkedPrincipal();
    const fresh = h.newChat();
    expect(await h.say(fresh, `/start ${await h.linkCode(person.id)}`)).toContain("Đã liên kết");
    const identities = await h.db.chatIdentity.findMany({ where: { personId: person.id } });
    expect(identities.map((i) => i.externalId)).toEqual([String(fresh)]);
    expect(await h.say(old, "da nhan")).toContain("chưa được liên kết");
  });

  it("re-links a chat that belongs to someone else only with a new valid code", async () => {
    const a = await h.linkedPrincipal("Phạm Văn A");
    const b = await h.principal("Hoàng Thị B");
    // A wrong or stale code changes nothing.
    expect(await h.say(a.chatId, "/start nothing-like-this")).toContain("không đúng");
    expect(await h.say(a.chatId, `/start ${await h.linkCode(b.id, { expired: true })}`)).toContain("hết hạn");
    expect((await identityOf(a.chatId))?.personId).toBe(a.person.id);
    // B's valid code hands the chat to B; A is left without a Telegram chat.
    const codeB = await h.linkCode(b.id);
    expect(await h.say(a.chatId, `/start ${codeB}`)).toContain("Hoàng Thị B");
    expect((await identityOf(a.chatId))?.personId).toBe(b.id);
    expect(await h.db.chatIdentity.count({ where: { personId: a.person.id } })).toBe(0);
    // A's own old link, pressed again from the chat that is now B's, does not claim it is A's.
    const codeA = await h.linkCode(a.person.id);
    const c = h.newChat();
    expect(await h.say(c, `/start ${codeA}`)).toContain("Phạm Văn A");
    expect(await h.say(a.chatId, `/start ${codeB}`)).toContain("Hoàng Thị B");
    expect(await h.say(c, `/start ${codeB}`)).toContain("đã được sử dụng");
  });
});

describe("a code pasted as a message", () => {
  it("links a stranger's chat from the bare code or the whole t.me link", async () => {
    const a = await h.principal("Vũ Thị Giang");
    const chatA = h.newChat();
    // Real codes are 22 characters of base64url (create-link-code.ts).
    const codeA = "Qm9yZWFsLWNvZGUtMDAx_-";
    await h.db.linkCode.create({ data: { code: codeA, personId: a.id, expiresAt: new Date(Date.now() + 60_000) } });
    expect(await h.say(chatA, ` ${codeA} `)).toContain("Vũ Thị Giang");
    expect((await identityOf(chatA))?.personId).toBe(a.id);

    const b = await h.principal("Đinh Văn Hùng");
    const chatB = h.newChat();
    const codeB = await h.linkCode(b.id);
    expect(await h.say(chatB, `https://t.me/${h.tg.username}?start=${codeB}`)).toContain("Đinh Văn Hùng");
    expect((await identityOf(chatB))?.personId).toBe(b.id);
  });

  it("refuses a wrong pasted code, and leaves a linked chat's text to the reply rules", async () => {
    const stranger = h.newChat();
    expect(await h.say(stranger, "abcdefghijklmnopqrstuv")).toContain("không đúng");
    expect(await identityOf(stranger)).toBeNull();
    const { person, chatId } = await h.linkedPrincipal();
    const other = await h.principal();
    const code = await h.linkCode(other.id);
    expect(await h.say(chatId, code)).toContain("Đã chuyển tin nhắn");
    expect((await identityOf(chatId))?.personId).toBe(person.id);
    expect((await h.db.linkCode.findUniqueOrThrow({ where: { code } })).usedAt).toBeNull();
  });
});

describe("linkChat under concurrency", () => {
  it("lets exactly one of several chats racing with one code win", async () => {
    const p = await h.principal();
    const code = await h.linkCode(p.id);
    const chats = Array.from({ length: 6 }, () => String(h.newChat()));
    const results = await Promise.all(chats.map((externalId) => linkChat(h.db, { channel: "TELEGRAM", externalId, code })));
    expect(results.filter((r) => r.kind === "linked")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "used")).toHaveLength(5);
    const identities = await h.db.chatIdentity.findMany({ where: { personId: p.id } });
    expect(identities).toHaveLength(1);
    const winner = chats[results.findIndex((r) => r.kind === "linked")];
    expect(identities[0]!.externalId).toBe(winner);
    expect((await h.db.linkCode.findUniqueOrThrow({ where: { code } })).usedExternalId).toBe(winner);
  });

  it("serialises links of one person from several chats, and of several people into one chat", async () => {
    const { person } = await h.linkedPrincipal();
    const codes = await Promise.all([h.linkCode(person.id), h.linkCode(person.id), h.linkCode(person.id)]);
    const chats = codes.map(() => String(h.newChat()));
    const results = await Promise.all(codes.map((code, i) => linkChat(h.db, { channel: "TELEGRAM", externalId: chats[i]!, code })));
    expect(results.map((r) => r.kind)).toEqual(["linked", "linked", "linked"]);
    const identities = await h.db.chatIdentity.findMany({ where: { personId: person.id } });
    expect(identities).toHaveLength(1);
    expect(chats).toContain(identities[0]!.externalId);

    const people = await Promise.all([h.principal(), h.principal(), h.principal()]);
    const chat = String(h.newChat());
    const shared = await Promise.all(people.map(async (p) => linkChat(h.db, { channel: "TELEGRAM", externalId: chat, code: await h.linkCode(p.id) })));
    expect(shared.map((r) => r.kind)).toEqual(["linked", "linked", "linked"]);
    const owner = await h.db.chatIdentity.findMany({ where: { externalId: chat } });
    expect(owner).toHaveLength(1);
    expect(people.map((p) => p.id)).toContain(owner[0]!.personId);
    expect(await h.db.chatIdentity.count({ where: { personId: { in: people.map((p) => p.id) } } })).toBe(1);
  });

  it("reports whose chat was replaced", async () => {
    const a = await h.linkedPrincipal();
    const b = await h.linkedPrincipal();
    const result = await linkChat(h.db, { channel: "TELEGRAM", externalId: String(a.chatId), code: await h.linkCode(b.person.id) });
    expect(result).toMatchObject({ kind: "linked", personId: b.person.id, replacedChat: true, previousPersonId: a.person.id });
  });
});
