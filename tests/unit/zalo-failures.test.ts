import { describe, expect, it } from "vitest";
import { zaloBotFailure } from "../../bot/channels/zalo-bot/to-zalo-bot-failure.ts";
import { msUntilVietnamHour, zaloCodeFailure, zaloHttpFailure, ZALO_RATE_LIMIT_WAIT_MS } from "../../bot/channels/zalo-oa/to-zalo-oa-failure.ts";
import { ChannelError } from "../../server/domain/channel.ts";

// 23:00 in Hanoi: the night ban has seven hours to run, midnight is one hour away.
const NIGHT = new Date("2026-11-29T16:00:00Z");
const HOUR = 60 * 60 * 1000;

describe("Zalo OA failures", () => {
  it.each([
    [-32, "retry_later", ZALO_RATE_LIMIT_WAIT_MS],
    [-218, "retry_later", undefined],
    [-234, "retry_later", 7 * HOUR],
    [-133, "retry_later", 7 * HOUR],
    [-144, "retry_later", HOUR],
    [-213, "unreachable", undefined],
    [-227, "unreachable", undefined],
    [-244, "unreachable", undefined],
    [-108, "unreachable", undefined],
    [-230, "needs_template", undefined],
    [-232, "needs_template", undefined],
    [-216, "token_expired", undefined],
    [-220, "token_expired", undefined],
    [-124, "token_expired", undefined],
    [-211, "needs_admin", undefined],
    [-223, "needs_admin", undefined],
    [-224, "needs_admin", undefined],
    [-136, "needs_admin", undefined],
    [-210, "rejected", undefined],
    [-999, "rejected", undefined],
  ] as const)("%i → %s", (code, reason, wait) => {
    const f = zaloCodeFailure(code, "message", NIGHT);
    expect(f).toBeInstanceOf(ChannelError);
    expect(f).toMatchObject({ channel: "ZALO_OA", reason, providerCode: code, retryAfterMs: wait });
    expect(f.retryable).toBe(reason === "retry_later" || reason === "token_expired");
    expect(f.unreachable).toBe(reason === "unreachable");
  });

  it("an invalid user id is an unknown person; another invalid parameter is our mistake", () => {
    expect(zaloCodeFailure(-201, "user_id is invalid").reason).toBe("unreachable");
    expect(zaloCodeFailure(-201, "Parameter message.text is invalid").reason).toBe("rejected");
  });

  it("maps HTTP statuses: 429 and 5xx later (Retry-After honoured), 401/403 to an administrator", () => {
    expect(zaloHttpFailure(429, "12", "")).toMatchObject({ reason: "retry_later", retryAfterMs: 12_000 });
    expect(zaloHttpFailure(503, null, "")).toMatchObject({ reason: "retry_later", retryAfterMs: undefined });
    expect(zaloHttpFailure(502, null, "")).toMatchObject({ reason: "retry_later" });
    expect(zaloHttpFailure(403, null, "")).toMatchObject({ reason: "needs_admin" });
    expect(zaloHttpFailure(400, null, "")).toMatchObject({ reason: "rejected" });
  });

  it("counts the wait to an hour of Vietnam's day", () => {
    expect(msUntilVietnamHour(6, NIGHT)).toBe(7 * HOUR);
    expect(msUntilVietnamHour(6, new Date("2026-11-29T23:00:00Z"))).toBe(24 * HOUR);
    expect(msUntilVietnamHour(0, new Date("2026-11-29T17:30:00Z"))).toBe(23.5 * HOUR);
  });
});

describe("Zalo Bot failures", () => {
  it.each([
    [429, "Too Many Requests", 5, "retry_later", 5000],
    [502, "Bad Gateway", undefined, "retry_later", undefined],
    [401, "Unauthorized", undefined, "needs_admin", undefined],
    [403, "Forbidden: the user blocked the bot", undefined, "unreachable", undefined],
    [400, "Bad Request: chat not found", undefined, "unreachable", undefined],
    [400, "Bad Request: text must be 1-2000 characters", undefined, "rejected", undefined],
  ] as const)("%i %s → %s", (code, description, retryAfter, reason, wait) => {
    expect(zaloBotFailure(code, description, retryAfter)).toMatchObject({ channel: "ZALO_BOT", reason, retryAfterMs: wait });
  });
});
