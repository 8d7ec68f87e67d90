/**
 * The conversation core with no platform at all: events in, neutral replies out, on the real
 * database, through the inbox (processInbound). The channel here is a recorder of replies; the
 * Telegram tests (bot-*.test.ts) drive the same core through grammY and the Bot API stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../bot/conversation/conversation-event.ts";
import { processInbound, type ConversationChannel, type ConversationDeps } from "../../bot/conversation/process-inbound.ts";
import type { Reply } from "../../bot/conversation/reply.ts";
import { sweepInbox } from "../../bot/conversation/sweep-inbox.ts";
import { formatZaloOaReply } from "../../bot/channels/zalo-oa/format-zalo-oa.ts";
import { parseZaloOaEvent } from "../../bot/channels/zalo-oa/parse-zalo-oa-event.ts";
import { createLogger } from "../../server/config/logger.ts";
import type { ChannelKind } from "../../server/domain/channel.ts";
import { claimInboxEvent } from "../../server/features/chat/claim-inbox-event.ts";
import { createOrg } from "../helpers/factories.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

// Any channel will do: the core names none. Zalo OA's kind shows that nothing here is Telegram's.
const CHANNEL: ChannelKind = "ZALO_OA";
let tdb: TestDb;
let sgdId: number;
let nextUser = 0;
let nextEvent = 0;
let nextOrg = 0;
const log = createLogger("silent");

/** A channel that records what it was asked to send, per person. */
function recorder(): ConversationChannel & { sent: { to: string; replies: Reply[] }[]; to(user: string): Reply[] } {
  const sent: { to: string; replies: Reply[] }[] = [];
  return {
    kind: CHANNEL,
    name: "Zalo",
    sent,
    sendReplies: async (replies, _context, event) => void sent.push({ to: event.externalUserId, replies }),
    to: (user) => sent.filter((s) => s.to === user).flatMap((s) => s.replies),
  };
}

const text = (user: string, words: string, extra: Partial<ConversationEvent> = {}): ConversationEvent => ({
  channel: CHANNEL,
  externalUserId: user,
  kind: "text",
  text: words,
  at: new Date(),
  dedupeKey: `e${++nextEvent}`,
  ...extra,
});
const press = (user: string, payload: string, carrier?: ConversationEvent["carrier"]): ConversationEvent => ({
  channel: CHANNEL,
  externalUserId: user,
  kind: "button",
  payload,
  at: new Date(),
  dedupeKey: `e${++nextEvent}`,
  ...(carrier ? { carrier } : {}),
});
const texts = (replies: Reply[]) => replies.map((r) => (r.kind === "text" ? r.text : r.kind === "press_answer" ? `[${r.text ?? ""}]` : r.kind));

async function principal() {
  const { principal } = await createOrg(tdb.db, {
    code: `C${++nextOrg}`,
    name: `Trường số ${nextOrg}`,
    kind: "SCHOOL",
    level: "THCS",
    parentCode: "SGD",
    principal: `Hiệu trưởng ${nextOrg}`,
  });
  return principal!;
}
async function linked() {
  const person = await principal();
  const user = `u${++nextUser}`;
  await tdb.db.chatIdentity.create({ data: { personId: person.id, channel: CHANNEL, externalId: user } });
  return { person, user };
}
/** A published directive with a SENT delivery to the person, carried by platform message `messageId`. */
async function deliver(personId: number, user: string, title = "Kế hoạch năm học", messageId = `m${++nextEvent}`) {
  const person = await tdb.db.person.findUniqueOrThrow({ where: { id: personId } });
  const audience = await tdb.db.audience.create({ data: { kinds: [], levels: [], underOrgId: sgdId } });
  const d = await tdb.db.directive.create({
    data: { title, body: "Nội dung", status: "PUBLISHED", publishedAt: new Date(), audienceId: audience.id, issuerOrgId: sgdId, requireAck: true },
  });
  await tdb.db.delivery.create({
    data: {
      directiveId: d.id,
      personId,
      organizationId: person.organizationId,
      channel: CHANNEL,
      status: "SENT",
      externalChatId: user,
      platformMessageId: messageId,
      sentAt: new Date(),
    },
  });
  return { directiveId: d.id, messageId };
}

beforeAll(async () => {
  tdb = await createTestDb();
  sgdId = (await createOrg(tdb.db, { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" })).org.id;
});
afterAll(async () => {
  await tdb.drop();
});

describe("the rules, once for every channel", () => {
  const deps = () => ({ db: tdb.db, log });

  it("links by /start <code> and by the code alone; used, expired and unknown codes are refused clearly", async () => {
    const ch = recorder();
    const a = await principal();
    const b = await principal();
    const future = new Date(Date.now() + 86_400_000);
    await tdb.db.linkCode.createMany({
      data: [
        { code: "core-code-a", personId: a.id, expiresAt: future },
        { code: "core-code-b-0123456789", personId: b.id, expiresAt: future },
        { code: "core-old", personId: b.id, expiresAt: new Date(Date.now() - 1000) },
      ],
    });
    await processInbound(deps(), ch, text("new1", "/start core-code-a", { displayName: "Cô Hạnh" }));
    expect(texts(ch.to("new1"))).toEqual([expect.stringContaining(a.name)]);
    expect(await tdb.db.chatIdentity.findFirst({ where: { channel: CHANNEL, externalId: "new1" } })).toMatchObject({ personId: a.id, displayName: "Cô Hạnh" });
    await processInbound(deps(), ch, text("new2", "core-code-b-0123456789"));
    expect(texts(ch.to("new2"))[0]).toContain(b.name);
    await processInbound(deps(), ch, text("new3", "/start core-code-a"));
    await processInbound(deps(), ch, text("new3", "/start core-old"));
    await processInbound(deps(), ch, text("new3", "/start nope"));
    expect(texts(ch.to("new3"))).toEqual([expect.stringContaining("đã được sử dụng"), expect.stringContaining("hết hạn"), expect.stringContaining("không đúng")]);
    await processInbound(deps(), ch, text("new4", "xin chào"));
    expect(texts(ch.to("new4"))[0]).toMatch(/^Zalo này chưa được liên kết/);
  });

  it("acknowledges by words the one pending directive, and asks which one when several are pending", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    const first = await deliver(person.id, user, "Văn bản một");
    await processInbound(deps(), ch, text(user, "da nhan a"));
    expect(texts(ch.to(user))).toEqual([expect.stringContaining("Văn bản một")]);
    const second = await deliver(person.id, user, "Văn bản hai");
    const third = await deliver(person.id, user, "Văn bản ba");
    await processInbound(deps(), ch, text(user, "đã nhận"));
    const which = ch.to(user).at(-1)!;
    expect(which).toMatchObject({ kind: "text", text: expect.stringContaining("văn bản nào") });
    expect(which.kind === "text" && which.choices!.map((c) => c.payload)).toEqual([`ack:${third.directiveId}`, `ack:${second.directiveId}`]);
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(1);
    // The pick is a button press on the question: acknowledged, the list keeps what is still pending.
    await processInbound(deps(), ch, press(user, `ack:${second.directiveId}`, { messageId: "q1", payloads: which.kind === "text" ? which.choices!.map((c) => c.payload) : [] }));
    expect(ch.to(user).slice(-3)).toEqual([
      { kind: "press_answer", text: "Đã ghi nhận" },
      { kind: "set_carrier_choices", choices: [{ label: "✅ Văn bản ba", payload: `ack:${third.directiveId}` }] },
      { kind: "text", text: expect.stringContaining("Văn bản hai") },
    ]);
    expect(first.directiveId).toBeLessThan(second.directiveId);
  });

  it("a press on the directive's own message stamps it; a second press says when", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    const { directiveId, messageId } = await deliver(person.id, user);
    await processInbound(deps(), ch, press(user, `ack:${directiveId}`, { messageId, payloads: [`ack:${directiveId}`] }));
    expect(ch.to(user)).toEqual([
      { kind: "press_answer", text: "Đã ghi nhận" },
      { kind: "stamp_carrier", stamp: expect.stringMatching(/^✅ Đã nhận lúc \d\d:\d\d ngày/) },
    ]);
    // Without a carrier (a platform where a press is a message of its own) the answer alone.
    await processInbound(deps(), ch, press(user, `ack:${directiveId}`));
    expect(ch.to(user).at(-1)).toEqual({ kind: "press_answer", text: expect.stringContaining("đã xác nhận lúc") });
    await processInbound(deps(), ch, press(user, "something:else"));
    expect(ch.to(user).at(-1)).toEqual({ kind: "press_answer" });
    expect(await tdb.db.acknowledgement.count({ where: { directiveId } })).toBe(1);
  });

  it("/pending, /help and an unknown command; a question is kept for the officer with its directive", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    const { directiveId } = await deliver(person.id, user, "Báo cáo tháng");
    await processInbound(deps(), ch, text(user, "/pending"));
    expect(ch.to(user)[0]).toMatchObject({ kind: "text", text: expect.stringContaining("1. Báo cáo tháng"), choices: [{ payload: `ack:${directiveId}` }] });
    await processInbound(deps(), ch, text(user, "/help"));
    await processInbound(deps(), ch, text(user, "/khongco"));
    expect(texts(ch.to(user)).slice(1)).toEqual([expect.stringContaining("Hướng dẫn"), expect.stringContaining("Hướng dẫn")]);
    await processInbound(deps(), ch, text(user, "Cho em hỏi hạn nộp là ngày nào?", { attachment: "bao-cao.pdf" }));
    expect(texts(ch.to(user)).at(-1)).toContain("Câu hỏi");
    expect(await tdb.db.inboundMessage.findFirst({ where: { personId: person.id } })).toMatchObject({
      directiveId,
      intent: "QUESTION",
      text: expect.stringContaining("bao-cao.pdf"),
    });
  });

  it("an unfollow records the block and a follow or any message clears it", async () => {
    const ch = recorder();
    const { user } = await linked();
    const blocked = () => tdb.db.chatIdentity.findFirstOrThrow({ where: { channel: CHANNEL, externalId: user } }).then((c) => c.blockedAt);
    const at = new Date("2026-11-01T00:00:00Z");
    await processInbound(deps(), ch, { channel: CHANNEL, externalUserId: user, kind: "unfollow", at, dedupeKey: `e${++nextEvent}` });
    expect(await blocked()).toEqual(at);
    await processInbound(deps(), ch, text(user, "/help"));
    expect(await blocked()).toBeNull();
    expect(ch.to(user)).toHaveLength(1);
  });
});

describe("choices picked by number", () => {
  const deps = () => ({ db: tdb.db, log });
  const acked = async (personId: number) => (await tdb.db.acknowledgement.findMany({ where: { personId }, orderBy: { id: "asc" } })).map((a) => a.directiveId);
  const lastText = (ch: ReturnType<typeof recorder>, user: string) => {
    const r = ch.to(user).at(-1)!;
    return r.kind === "text" ? r : null;
  };

  /** A principal with three pending directives who said "đã nhận" and was asked which one: the choices are newest first. */
  async function asked() {
    const ch = recorder();
    const { person, user } = await linked();
    const a = await deliver(person.id, user, "Văn bản A");
    const b = await deliver(person.id, user, "Văn bản B");
    const c = await deliver(person.id, user, "Văn bản C");
    await processInbound(deps(), ch, text(user, "đã nhận"));
    const question = lastText(ch, user)!;
    expect(question.choices!.map((x) => x.payload)).toEqual([`ack:${c.directiveId}`, `ack:${b.directiveId}`, `ack:${a.directiveId}`]);
    return { ch, person, user, listed: [c.directiveId, b.directiveId, a.directiveId] };
  }

  it.each<[string, number | null, RegExp]>([
    ["1", 0, /Đã ghi nhận.*Văn bản C/],
    ["số 2", 1, /Văn bản B/],
    ["so 2", 1, /Văn bản B/],
    ["Dạ em chọn số 3 ạ", 2, /Văn bản A/],
    ["da nhan 3", 2, /Văn bản A/],
    ["đã nhận 1", 0, /Văn bản C/],
    ["#1", 0, /Văn bản C/],
    ["đã nhận #2", 1, /Văn bản B/],
    ["4", null, /chỉ có 3 lựa chọn, không có số 4/],
    ["0", null, /không có số 0/],
    ["số 12", null, /không có số 12/],
    // Past the list's range "#" names a directive, as it did before numbers were read.
    ["đã nhận #999999", null, /Không tìm thấy văn bản số 999999/],
  ])("after a which-one question, %j acknowledges choice %s", async (words, index, answer) => {
    const { ch, person, user, listed } = await asked();
    await processInbound(deps(), ch, text(user, words));
    const reply = lastText(ch, user)!;
    expect(reply.text).toMatch(answer);
    expect(await acked(person.id)).toEqual(index === null ? [] : [listed[index]]);
    // A number that picked nothing shows the list again, so the next number has something to pick.
    if (index === null) expect(reply.choices).toHaveLength(3);
  });

  it("a second number picks from the same list; a number already acknowledged says when", async () => {
    const { ch, person, user, listed } = await asked();
    await processInbound(deps(), ch, text(user, "2"));
    await processInbound(deps(), ch, text(user, "3"));
    await processInbound(deps(), ch, text(user, "2"));
    expect(await acked(person.id)).toEqual([listed[1], listed[2]]);
    expect(lastText(ch, user)!.text).toMatch(/đã xác nhận «Văn bản B» lúc/);
    expect(await tdb.db.acknowledgement.findFirst({ where: { personId: person.id, directiveId: listed[2] } })).toMatchObject({ source: "TEXT", raw: "3" });
  });

  it("a number when no list is open is not misread: it shows the pending list, and only then picks", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    await processInbound(deps(), ch, text(user, "1"));
    expect(lastText(ch, user)!.text).toContain("hiện không có văn bản nào chờ");
    expect(lastText(ch, user)!.choices).toBeUndefined();
    const one = await deliver(person.id, user, "Một");
    const two = await deliver(person.id, user, "Hai");
    await processInbound(deps(), ch, text(user, "1"));
    expect(lastText(ch, user)).toMatchObject({
      text: expect.stringContaining("chưa có danh sách nào"),
      choices: [
        { label: "✅ Hai", payload: `ack:${two.directiveId}` },
        { label: "✅ Một", payload: `ack:${one.directiveId}` },
      ],
    });
    expect(await acked(person.id)).toEqual([]);
    // Nothing was kept for the officer: a bare number says nothing to them.
    expect(await tdb.db.inboundMessage.count({ where: { personId: person.id } })).toBe(0);
    await processInbound(deps(), ch, text(user, "2"));
    expect(await acked(person.id)).toEqual([one.directiveId]);
  });

  it("with no list open, words of receipt and #id read as before", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    const only = await deliver(person.id, user, "Duy nhất");
    await processInbound(deps(), ch, text(user, "đã nhận 1"));
    expect(await acked(person.id)).toEqual([only.directiveId]);
    const other = await deliver(person.id, user, "Khác");
    await processInbound(deps(), ch, text(user, `đã nhận #${other.directiveId}`));
    expect(await acked(person.id)).toEqual([only.directiveId, other.directiveId]);
  });

  it("a list older than a day is not picked from: the number shows the list again", async () => {
    const { ch, person, user } = await asked();
    await tdb.db.chatIdentity.updateMany({ where: { channel: CHANNEL, externalId: user }, data: { choicesOfferedAt: new Date(Date.now() - 25 * 3600_000) } });
    await processInbound(deps(), ch, text(user, "1"));
    expect(lastText(ch, user)).toMatchObject({ text: expect.stringContaining("chưa có danh sách nào"), choices: expect.any(Array) });
    expect(await acked(person.id)).toEqual([]);
  });

  it("«#2» when the list also holds directive 2 elsewhere is asked about, not guessed", async () => {
    const { ch, person, user, listed } = await asked();
    // The list as it would be when directive 2 is one of the choices, but not the second.
    const choices = [
      { label: "✅ Văn bản số hai", payload: "ack:2" },
      { label: "✅ Văn bản B", payload: `ack:${listed[1]}` },
    ];
    await tdb.db.chatIdentity.updateMany({ where: { channel: CHANNEL, externalId: user }, data: { offeredChoices: choices } });
    await processInbound(deps(), ch, text(user, "#2"));
    expect(lastText(ch, user)).toMatchObject({ text: expect.stringContaining("có thể là lựa chọn số 2 hoặc văn bản #2 (lựa chọn số 1)"), choices });
    expect(await acked(person.id)).toEqual([]);
    await processInbound(deps(), ch, text(user, "2"));
    expect(await acked(person.id)).toEqual([listed[1]]);
  });

  it("a stranger's number is answered as any stranger's words", async () => {
    const ch = recorder();
    await processInbound(deps(), ch, text("stranger-1", "1"));
    expect(texts(ch.to("stranger-1"))[0]).toMatch(/^Zalo này chưa được liên kết/);
  });
});

describe("a platform shaped unlike Telegram", () => {
  it("a Zalo OA button press (a text carrying #ack:<id>) and a typed code go through the same core", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    const { directiveId } = await deliver(person.id, user, "Lịch thi học kỳ");
    const zaloEvent = (text: string, sender: string) => {
      const parsed = parseZaloOaEvent({ event_name: "user_send_text", timestamp: "1790000000000", sender: { id: sender }, message: { text, msg_id: `z${++nextEvent}` } });
      if (!parsed.ok || !parsed.events[0]) throw new Error("not parsed");
      return parsed.events[0];
    };
    await processInbound({ db: tdb.db, log }, ch, zaloEvent(`#ack:${directiveId}`, user));
    expect(ch.to(user)).toEqual([{ kind: "press_answer", text: "Đã ghi nhận" }]);
    expect(await tdb.db.acknowledgement.findFirst({ where: { directiveId } })).toMatchObject({ channel: CHANNEL, source: "BUTTON", raw: `ack:${directiveId}` });
    // A which-one question renders as Zalo OA buttons whose payloads come back as presses.
    const other = await principal();
    await tdb.db.linkCode.create({ data: { code: "ZaloCode0123456789ab", personId: other.id, expiresAt: new Date(Date.now() + 60_000) } });
    await processInbound({ db: tdb.db, log }, ch, zaloEvent("Em gửi mã ZaloCode0123456789ab ạ", "zalo-new"));
    expect(texts(ch.to("zalo-new"))[0]).toContain(other.name);
    await deliver(other.id, "zalo-new", "Một");
    await deliver(other.id, "zalo-new", "Hai");
    await processInbound({ db: tdb.db, log }, ch, zaloEvent("da nhan", "zalo-new"));
    const which = ch.to("zalo-new").at(-1)!;
    expect(which.kind).toBe("text");
    const rendered = formatZaloOaReply(which as Extract<Reply, { kind: "text" }>);
    expect(rendered.buttons.map((b) => b.payload)).toEqual([expect.stringMatching(/^#ack:\d+$/), expect.stringMatching(/^#ack:\d+$/)]);
  });
});

describe("inbound at least once, effect exactly once", () => {
  it("a crash after the effect's commit: the replay sends the reply decided then, once, and records nothing twice", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    await deliver(person.id, user);
    let crash = true;
    const deps: ConversationDeps = {
      db: tdb.db,
      log,
      afterEffect: async () => {
        if (crash) throw new Error("simulated crash between commit and reply");
      },
    };
    const event = text(user, "đã nhận, nhưng trường xin lùi hạn nộp báo cáo");
    await expect(processInbound(deps, ch, event)).rejects.toThrow("simulated crash");
    expect(ch.to(user)).toHaveLength(0);
    crash = false;
    // The platform sends the update again.
    expect(await processInbound(deps, ch, structuredClone(event))).toBe("answered");
    expect(await processInbound(deps, ch, structuredClone(event))).toBe("duplicate");
    expect(texts(ch.to(user))).toEqual([expect.stringContaining("Đã ghi nhận")]);
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(1);
    expect(await tdb.db.inboundMessage.count({ where: { personId: person.id } })).toBe(1);
  });

  it("a crash before the effect: the sweep takes the event over once its lease has passed, and processes it once", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    const { directiveId } = await deliver(person.id, user);
    const event = press(user, `ack:${directiveId}`);
    // Recorded, then the process died: nothing but the inbox row.
    expect(await claimInboxEvent(tdb.db, { channel: CHANNEL, key: event.dedupeKey, event, context: { note: "adapter's" }, leaseMs: 1000 })).toMatchObject({ phase: "effect" });
    const deps: ConversationDeps = { db: tdb.db, log, leaseMs: 1000 };
    // Within the lease neither a redelivery nor the sweep touches it (the first attempt may be alive).
    expect(await processInbound(deps, ch, event)).toBe("duplicate");
    expect(await sweepInbox(deps, ch)).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    const seen: unknown[] = [];
    const withContext: ConversationChannel = { kind: CHANNEL, name: "Zalo", sendReplies: async (r, c, e) => (seen.push(c), ch.sendReplies(r, c, e)) };
    expect(await sweepInbox(deps, withContext)).toBe(1);
    expect(await sweepInbox(deps, withContext)).toBe(0);
    expect(ch.to(user)).toEqual([{ kind: "press_answer", text: "Đã ghi nhận" }]);
    expect(seen).toEqual([{ note: "adapter's" }]);
    expect(await tdb.db.acknowledgement.count({ where: { directiveId, personId: person.id } })).toBe(1);
    expect(await tdb.db.inboxEvent.findFirstOrThrow({ where: { eventKey: event.dedupeKey } })).toMatchObject({ status: "DONE", attempts: 2, repliedAt: expect.any(Date) });
  });

  it("five concurrent deliveries of one update: one effect, one reply", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    await deliver(person.id, user);
    const event = text(user, "Trường chưa nhận được file ạ");
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => processInbound({ db: tdb.db, log }, ch, structuredClone(event))));
    expect(outcomes.filter((o) => o === "processed")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(4);
    expect(ch.to(user)).toHaveLength(1);
    expect(await tdb.db.inboundMessage.count({ where: { personId: person.id, intent: "DECLINE" } })).toBe(1);
  });

  it("a failure inside the effect rolls it back and leaves the event for another attempt", async () => {
    const ch = recorder();
    const { person, user } = await linked();
    await deliver(person.id, user);
    const event = text(user, "đã nhận");
    let failures = 1;
    const flaky: ConversationChannel = { kind: CHANNEL, name: "Zalo", sendReplies: (r, c, e) => ch.sendReplies(r, c, e) };
    // The effect's transaction dies half-way, after the acknowledgement's INSERT: its log line throws.
    const brokenLog = Object.assign(Object.create(log) as typeof log, {
      info: (...args: unknown[]) => {
        if (failures-- > 0) throw new Error("simulated failure inside the effect");
        log.info(args[0] as object, args[1] as string);
      },
    });
    await expect(processInbound({ db: tdb.db, log: brokenLog }, flaky, event)).rejects.toThrow("inside the effect");
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(0);
    expect(await tdb.db.inboxEvent.findFirstOrThrow({ where: { eventKey: event.dedupeKey } })).toMatchObject({
      status: "RECEIVED",
      lastError: expect.stringContaining("inside the effect"),
    });
    // The lease was given back: the redelivery processes it at once.
    expect(await processInbound({ db: tdb.db, log }, flaky, structuredClone(event))).toBe("processed");
    expect(await tdb.db.acknowledgement.count({ where: { personId: person.id } })).toBe(1);
    expect(texts(ch.to(user))).toEqual([expect.stringContaining("Đã ghi nhận")]);
  });
});
