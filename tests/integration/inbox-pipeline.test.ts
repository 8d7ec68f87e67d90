/**
 * The batched inbox (inbox-pipeline.ts) with no platform: events submitted in one turn share a
 * transaction, and acknowledgement presses one statement; the replies and effects must be the ones
 * the one-event path gives (conversation-core.test.ts), copies must change nothing, and a batch
 * that fails must leave each event to go on alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../bot/conversation/conversation-event.ts";
import { createInboxPipeline } from "../../bot/conversation/inbox-pipeline.ts";
import type { ConversationChannel } from "../../bot/conversation/process-inbound.ts";
import type { Reply } from "../../bot/conversation/reply.ts";
import { createLogger } from "../../server/config/logger.ts";
import { createOrg } from "../helpers/factories.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

const CHANNEL = "ZALO_OA" as const;
const log = createLogger("silent");
let tdb: TestDb;
let sgdId: number;
let n = 0;

function recorder(): ConversationChannel & { to(user: string): Reply[] } {
  const sent: { to: string; replies: Reply[] }[] = [];
  return {
    kind: CHANNEL,
    name: "Zalo",
    sendReplies: async (replies, _context, event) => void sent.push({ to: event.externalUserId, replies }),
    to: (user) => sent.filter((s) => s.to === user).flatMap((s) => s.replies),
  };
}

const press = (user: string, directiveId: number, key = `p${++n}`, carrier?: string): ConversationEvent => ({
  channel: CHANNEL,
  externalUserId: user,
  kind: "button",
  payload: `ack:${directiveId}`,
  at: new Date(),
  dedupeKey: key,
  ...(carrier ? { carrier: { messageId: carrier, payloads: [`ack:${directiveId}`] } } : {}),
});

/** A linked principal with a published directive delivered to them as message `m<id>`. */
async function principalWithDirective() {
  const { principal } = await createOrg(tdb.db, { code: `B${++n}`, name: `Trường ${n}`, kind: "SCHOOL", level: "THCS", parentCode: "SGD", principal: `HT ${n}` });
  const user = `u${n}`;
  await tdb.db.chatIdentity.create({ data: { personId: principal!.id, channel: CHANNEL, externalId: user } });
  const audience = await tdb.db.audience.create({ data: { kinds: [], levels: [], underOrgId: sgdId } });
  const d = await tdb.db.directive.create({
    data: { title: `Chỉ đạo ${n}`, body: "Nội dung", status: "PUBLISHED", publishedAt: new Date(), audienceId: audience.id, issuerOrgId: sgdId, requireAck: true },
  });
  await tdb.db.delivery.create({
    data: {
      directiveId: d.id,
      personId: principal!.id,
      organizationId: principal!.organizationId,
      channel: CHANNEL,
      status: "SENT",
      externalChatId: user,
      platformMessageId: `m${d.id}`,
      sentAt: new Date(),
    },
  });
  return { personId: principal!.id, user, directiveId: d.id };
}

beforeAll(async () => {
  tdb = await createTestDb();
  sgdId = (await createOrg(tdb.db, { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" })).org.id;
});
afterAll(async () => {
  await tdb.drop();
});

describe("the batched inbox", () => {
  it("answers a batch of presses as the one-event path does, with one acknowledgement per person", async () => {
    const ch = recorder();
    const pipeline = createInboxPipeline({ db: tdb.db, log });
    const a = await principalWithDirective();
    const b = await principalWithDirective();
    const other = await principalWithDirective();
    const events = [
      press(a.user, a.directiveId, undefined, `m${a.directiveId}`),
      // The same person pressing twice (two updates) in one batch: the second says when the first was.
      press(a.user, a.directiveId),
      press(b.user, b.directiveId),
      // A stranger, and a directive that never reached this person.
      press("stranger", a.directiveId),
      press(b.user, other.directiveId),
    ];
    const submitted = events.map((e) => pipeline.submit(ch, e));
    expect(await Promise.all(submitted.map((s) => s.committed))).toEqual(events.map(() => "processed"));
    await Promise.all(submitted.map((s) => s.replied));
    const aReplies = ch.to(a.user);
    expect(aReplies[0]).toEqual({ kind: "press_answer", text: "Đã ghi nhận" });
    expect(aReplies[1]).toMatchObject({ kind: "stamp_carrier", stamp: expect.stringContaining("✅ Đã nhận lúc") });
    expect(aReplies[2]).toEqual({ kind: "press_answer", text: expect.stringContaining("Thầy/cô đã xác nhận lúc") });
    expect(ch.to(b.user)).toEqual([
      { kind: "press_answer", text: "Đã ghi nhận" },
      { kind: "press_answer", text: "Không tìm thấy chỉ đạo này", alert: true },
    ]);
    expect(ch.to("stranger")).toEqual([{ kind: "press_answer", text: expect.stringContaining("Zalo này chưa được liên kết"), alert: true }]);
    expect(await tdb.db.acknowledgement.count({ where: { personId: { in: [a.personId, b.personId] } } })).toBe(2);
    expect(await tdb.db.acknowledgement.count({ where: { directiveId: other.directiveId } })).toBe(0);
    const keys = events.map((e) => e.dedupeKey);
    await expect.poll(() => tdb.db.inboxEvent.count({ where: { eventKey: { in: keys }, status: "DONE", repliedAt: { not: null } } })).toBe(events.length);
  });

  it("a copy in the same batch and a resend later change nothing and answer nothing", async () => {
    const ch = recorder();
    const pipeline = createInboxPipeline({ db: tdb.db, log });
    const a = await principalWithDirective();
    const event = press(a.user, a.directiveId, "same-key");
    const first = [pipeline.submit(ch, event), pipeline.submit(ch, structuredClone(event))];
    const outcomes = await Promise.all(first.map((s) => s.committed));
    expect(outcomes.sort()).toEqual(["duplicate", "processed"]);
    await Promise.all(first.map((s) => s.replied));
    const again = pipeline.submit(ch, structuredClone(event));
    expect(await again.committed).toBe("duplicate");
    await again.replied;
    expect(ch.to(a.user)).toEqual([{ kind: "press_answer", text: "Đã ghi nhận" }]);
    expect(await tdb.db.acknowledgement.count({ where: { personId: a.personId } })).toBe(1);
    expect(await tdb.db.inboxEvent.count({ where: { eventKey: "same-key" } })).toBe(1);
  });

  it("a text and a press in one batch: the core runs the text, the batch statement the press", async () => {
    const ch = recorder();
    const pipeline = createInboxPipeline({ db: tdb.db, log });
    const a = await principalWithDirective();
    const b = await principalWithDirective();
    const text: ConversationEvent = { channel: CHANNEL, externalUserId: b.user, kind: "text", text: "đã nhận ạ", at: new Date(), dedupeKey: `t${++n}` };
    const submitted = [pipeline.submit(ch, press(a.user, a.directiveId)), pipeline.submit(ch, text)];
    await Promise.all(submitted.map((s) => s.replied));
    expect(ch.to(a.user)).toEqual([{ kind: "press_answer", text: "Đã ghi nhận" }]);
    expect(ch.to(b.user)).toEqual([{ kind: "text", text: expect.stringContaining("Đã ghi nhận") }]);
    expect(await tdb.db.acknowledgement.findMany({ where: { personId: { in: [a.personId, b.personId] } }, select: { source: true }, orderBy: { personId: "asc" } })).toEqual([
      { source: "BUTTON" },
      { source: "TEXT" },
    ]);
  });
});
