/**
 * Maps every way a Zalo OA, OAuth or template call can fail (an `error ≠ 0` in an HTTP 200 answer,
 * an HTTP error status, a network failure or timeout) to one {@link ChannelFailure}.
 */
import { ChannelFailure, type ChannelFailureReason } from "../../../server/domain/channel-failure.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Vietnam is UTC+7 all year. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * Zalo counts its rate limit (4,000 calls a minute per app) per minute and says nothing of when the
 * minute ends; half a minute lets the other workers' calls drain without stalling for a whole one.
 */
export const ZALO_RATE_LIMIT_WAIT_MS = 30_000;

/** Milliseconds from `now` until `hour`:00 in Vietnam (the next one; a full day if it is that instant). */
export function msUntilVietnamHour(hour: number, now: Date = new Date()): number {
  const local = (now.getTime() + VIETNAM_OFFSET_MS) % DAY_MS;
  const wait = (hour * 60 * 60 * 1000 - local + DAY_MS) % DAY_MS;
  return wait === 0 ? DAY_MS : wait;
}

type Rule = { reason: ChannelFailureReason; wait?: (now: Date) => number };

/** Every Zalo code we act on (OA API; ZNS template API codes are marked). Others are `rejected`. */
const RULES = new Map<number, Rule>([
  // Retry later.
  [-32, { reason: "retry_later", wait: () => ZALO_RATE_LIMIT_WAIT_MS }], // app/OA over the API rate limit
  [-218, { reason: "retry_later" }], // the recipient's receive quota is used up for now
  [-234, { reason: "retry_later", wait: (now) => msUntilVietnamHour(6, now) }], // this message type is banned at night (22:00–06:00)
  [-133, { reason: "retry_later", wait: (now) => msUntilVietnamHour(6, now) }], // ZNS: night rule
  [-144, { reason: "retry_later", wait: (now) => msUntilVietnamHour(0, now) }], // ZNS: today's quota is used up
  [-100, { reason: "retry_later" }], // uploaded attachment expired (7 days): a new attempt uploads again
  // Unreachable on this channel.
  [-213, { reason: "unreachable" }], // not a follower of the OA
  [-227, { reason: "unreachable" }], // banned, or inactive on Zalo for more than 45 days
  [-244, { reason: "unreachable" }], // restricted (blocked) this kind of message from the OA
  [-108, { reason: "unreachable" }], // ZNS: phone number invalid
  // Outside the interaction window: only a template message gets through.
  [-230, { reason: "needs_template" }], // no interaction in the last 7 days
  [-232, { reason: "needs_template" }], // no interaction yet, or it expired
  // The access token: refresh once and repeat.
  [-216, { reason: "token_expired" }], // access token invalid
  [-220, { reason: "token_expired" }], // access token expired or removed
  [-124, { reason: "token_expired" }], // ZNS: access token invalid
  // An administrator must act.
  [-204, { reason: "needs_admin" }], // OA deleted
  [-205, { reason: "needs_admin" }], // OA does not exist
  [-209, { reason: "needs_admin" }], // app not activated
  [-211, { reason: "needs_admin" }], // the OA's quota is used up
  [-212, { reason: "needs_admin" }], // OA has not registered this API
  [-215, { reason: "needs_admin" }], // app id invalid
  [-221, { reason: "needs_admin" }], // OA not verified
  [-223, { reason: "needs_admin" }], // OA has not granted the app this API
  [-224, { reason: "needs_admin" }], // OA needs a higher service package
  [-115, { reason: "needs_admin" }], // ZNS: no balance
  [-131, { reason: "needs_admin" }], // ZNS: template not approved
  [-136, { reason: "needs_admin" }], // ZNS: no Zalo Cloud Account linked for billing
  [-137, { reason: "needs_admin" }], // ZNS: billing account problem
]);

// -201 "parameter invalid" names the field; a bad user id means the person is unknown to this OA.
const UNKNOWN_USER = /user[_ ]?id|user (does not exist|not found|not exist)/i;

/** Classifies an `error ≠ 0` answer. */
export function zaloCodeFailure(code: number, message: string, now: Date = new Date()): ChannelFailure {
  const text = `Zalo OA ${code}: ${message}`;
  const rule = RULES.get(code);
  if (rule) return new ChannelFailure("ZALO_OA", rule.reason, text, { providerCode: code, retryAfterMs: rule.wait?.(now) });
  if (code === -201 && UNKNOWN_USER.test(message)) return new ChannelFailure("ZALO_OA", "unreachable", text, { providerCode: code });
  return new ChannelFailure("ZALO_OA", "rejected", text, { providerCode: code });
}

/** Classifies an HTTP error status (the body, if any, was not a Zalo envelope). */
export function zaloHttpFailure(status: number, retryAfterHeader: string | null, body: string): ChannelFailure {
  const text = `Zalo OA HTTP ${status}: ${body.slice(0, 200)}`;
  if (status === 429 || status === 503) {
    const seconds = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader.trim()) ? Number(retryAfterHeader.trim()) : undefined;
    return new ChannelFailure("ZALO_OA", "retry_later", text, {
      providerCode: status,
      retryAfterMs: seconds !== undefined ? seconds * 1000 : status === 429 ? ZALO_RATE_LIMIT_WAIT_MS : undefined,
    });
  }
  if (status >= 500) return new ChannelFailure("ZALO_OA", "retry_later", text, { providerCode: status });
  if (status === 401 || status === 403) return new ChannelFailure("ZALO_OA", "needs_admin", text, { providerCode: status });
  return new ChannelFailure("ZALO_OA", "rejected", text, { providerCode: status });
}

/** Classifies a failure to get any answer: network, DNS, reset connection, timeout. */
export function zaloNetworkFailure(err: unknown): ChannelFailure {
  const e = err as Error;
  const what = e?.name === "TimeoutError" ? "timed out" : (e?.message ?? String(err));
  return new ChannelFailure("ZALO_OA", "retry_later", `Zalo OA unreachable: ${what}`, { cause: err });
}
