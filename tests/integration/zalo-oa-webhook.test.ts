import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseZaloOaEvent } from "../../bot/channels/zalo-oa/parse-zalo-oa-event.ts";
import { verifyZaloOaSignature, ZALO_OA_SIGNATURE_MAX_AGE_MS } from "../../bot/channels/zalo-oa/verify-zalo-oa-signature.ts";
import type { InboundEvent } from "../../server/domain/inbound-event.ts";
import { parseJsonKeepingIds } from "../../server/domain/parse-json-keeping-ids.ts";
import { startFakeZaloOa, type FakeZaloOa } from "../helpers/fake-zalo-oa.ts";

/**
 * The stand-in's webhook driver signs events as Zalo does and POSTs them to a loopback receiver that
 * does what the route will: verify over the raw bytes first, then parse.
 */
describe("Zalo OA webhook: signature and events", () => {
  let zalo: FakeZaloOa;
  let server: Server;
  let url: string;
  const received: { status: number; variant?: string; events?: InboundEvent[] }[] = [];
  const keys = () => ({ appId: zalo.appId, oaId: zalo.oaId, oaSecretKey: zalo.oaSecretKey, appSecret: zalo.appSecret });

  beforeAll(async () => {
    zalo = await startFakeZaloOa();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rawBody = Buffer.concat(chunks);
        const v = verifyZaloOaSignature({
          rawBody,
          signature: req.headers["x-zevent-signature"] as string | undefined,
          timestampHeader: req.headers["x-zevent-timestamp"] as string | undefined,
          keys: keys(),
        });
        if (!v.ok) {
          received.push({ status: 401 });
          res.writeHead(401).end(v.reason);
          return;
        }
        const parsed = parseZaloOaEvent(parseJsonKeepingIds(rawBody.toString("utf8")));
        received.push({ status: 200, variant: v.variant, events: parsed.ok ? parsed.events : [] });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zalo-oa`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await zalo.close();
  });

  it("accepts every documented variant of the formula and names the one that matched", async () => {
    const variants = [
      [{}, "app_id+body+body_timestamp+oa_secret_key"],
      [{ timestamp: "header" }, "app_id+body+header_timestamp+oa_secret_key"],
      [{ secret: "app_secret" }, "app_id+body+body_timestamp+app_secret"],
      [{ first: "oa_id" }, "oa_id+body+body_timestamp+oa_secret_key"],
      [{ first: "oa_id", timestamp: "header", secret: "app_secret" }, "oa_id+body+header_timestamp+app_secret"],
    ] as const;
    for (const [variant, name] of variants) {
      // A header timestamp that differs from the body's shows which one was signed.
      const at = "timestamp" in variant ? Date.now() - 5000 : undefined;
      expect(await zalo.deliver(url, zalo.events.text("8471234567890123456", "đã nhận"), { variant, ...(at ? { at } : {}) })).toBe(200);
      expect(received.at(-1)).toMatchObject({ status: 200, variant: name });
    }
  });

  it("refuses a forged body, a wrong key, a stale or future timestamp, a truncated or missing signature", () => {
    const rawOf = (s: string) => Buffer.from(s, "utf8");
    const event = zalo.events.text("8471234567890123456", "#ack:42");
    const good = zalo.signedEvent(event);
    const check = (body: string, signature: string | undefined, extra: { now?: Date; timestampHeader?: string } = {}) =>
      verifyZaloOaSignature({ rawBody: rawOf(body), signature, keys: keys(), ...extra });
    expect(check(good.body, good.headers["x-zevent-signature"])).toMatchObject({ ok: true });
    // One character of the body changed: the acknowledgement moves to another directive.
    expect(check(good.body.replace("#ack:42", "#ack:43"), good.headers["x-zevent-signature"])).toEqual({ ok: false, reason: "mismatch" });
    const wrongKey = createHash("sha256")
      .update(zalo.appId + good.body + String(event.timestamp) + "not-the-secret")
      .digest("hex");
    expect(check(good.body, `mac=${wrongKey}`)).toEqual({ ok: false, reason: "mismatch" });
    // HMAC is not the formula.
    expect(check(good.body, `mac=${"0".repeat(64)}`)).toEqual({ ok: false, reason: "mismatch" });
    const mac = good.headers["x-zevent-signature"]!;
    expect(check(good.body, mac.slice(0, -2))).toEqual({ ok: false, reason: "malformed" });
    expect(check(good.body, `${mac}00`)).toEqual({ ok: false, reason: "malformed" });
    expect(check(good.body, "mac=")).toEqual({ ok: false, reason: "malformed" });
    expect(check(good.body, undefined)).toEqual({ ok: false, reason: "missing" });
    expect(check(good.body, mac.toUpperCase().replace("MAC=", "mac="))).toMatchObject({ ok: true });
    const at = Number(event.timestamp);
    expect(check(good.body, mac, { now: new Date(at + ZALO_OA_SIGNATURE_MAX_AGE_MS + 1000) })).toEqual({ ok: false, reason: "stale" });
    expect(check(good.body, mac, { now: new Date(at + ZALO_OA_SIGNATURE_MAX_AGE_MS - 1000) })).toMatchObject({ ok: true });
    expect(check(good.body, mac, { now: new Date(at - 10 * 60 * 1000) })).toEqual({ ok: false, reason: "stale" });
    // A fresh header timestamp does not launder a stale signed one: only the signed timestamp counts.
    expect(check(good.body, mac, { now: new Date(at + 3 * 60 * 60 * 1000), timestampHeader: String(at + 3 * 60 * 60 * 1000) })).toEqual({ ok: false, reason: "stale" });
  });

  it("answers 401 over HTTP for a stale or forged event", async () => {
    const before = received.length;
    expect(await zalo.deliver(url, zalo.events.text("8471234567890123456", "đã nhận"), { at: Date.now() - 3 * 60 * 60 * 1000 })).toBe(401);
    expect(await zalo.deliver(url, zalo.events.follow("8471234567890123456"), { headers: { "x-zevent-signature": `mac=${"a".repeat(64)}` } })).toBe(401);
    expect(received.slice(before).map((r) => r.status)).toEqual([401, 401]);
  });

  it("normalises text, button presses, follow, unfollow and receipts; ids stay exact strings", async () => {
    const user = "8471234567890123456";
    const at = Date.now() - 1000;
    const events = [
      zalo.events.text(user, "Đã nhận ạ", at),
      zalo.events.text(user, "#ack:42", at),
      zalo.events.follow(user, at),
      zalo.events.unfollow(user, at),
      zalo.events.received(user, "cb31dff1a2", at),
      zalo.events.seen(user, ["m1", "m2"], at),
    ];
    const before = received.length;
    for (const e of events) expect(await zalo.deliver(url, e)).toBe(200);
    const out = received.slice(before).flatMap((r) => r.events ?? []);
    expect(out.map((e) => [e.kind, e.externalUserId, e.text ?? e.payload ?? e.messageId ?? null])).toEqual([
      ["text", user, "Đã nhận ạ"],
      ["button", user, "ack:42"],
      ["follow", user, null],
      ["unfollow", user, null],
      ["delivered", user, "cb31dff1a2"],
      ["seen", user, "m1"],
      ["seen", user, "m2"],
    ]);
    for (const e of out) expect(e).toMatchObject({ channel: "ZALO_OA", at: new Date(at) });
    expect(new Set(out.map((e) => e.dedupeKey)).size).toBe(out.length);
  });

  it("keeps an id sent as a bare JSON number exact, ignores events it does not act on, reports broken ones", () => {
    const raw = `{"event_name":"user_send_text","timestamp":1764400000000,"sender":{"id":8471234567890123457},"message":{"text":"hi","msg_id":"m9"}}`;
    const parsed = parseZaloOaEvent(parseJsonKeepingIds(raw));
    expect(parsed).toMatchObject({ ok: true, events: [{ externalUserId: "8471234567890123457", kind: "text" }] });
    expect(parseZaloOaEvent({ event_name: "oa_send_text", timestamp: "1764400000000" })).toEqual({ ok: true, events: [], ignored: "oa_send_text" });
    expect(parseZaloOaEvent({ event_name: "user_send_text", timestamp: "1764400000000", sender: {} })).toMatchObject({ ok: false });
    expect(parseZaloOaEvent({})).toMatchObject({ ok: false });
  });
});
