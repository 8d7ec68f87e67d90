/**
 * Verifies a Zalo OA webhook before anything in it is trusted. Zalo signs each event with
 *
 *     X-ZEvent-Signature: mac=<hex SHA-256 of appId + rawBody + timestamp + secret>
 *
 * a plain digest, not an HMAC, over the body's exact bytes. Public descriptions of the formula
 * disagree in three places, and no real OA has settled them for us, so every variant is tried and
 * the one that matched is reported (the caller logs it; once real traffic shows one, the rest can go):
 * - the timestamp: the body's `timestamp` field, or an `X-ZEvent-Timestamp` header;
 * - the secret: the OA secret key, or the app secret;
 * - the first term: the app id, or the OA id.
 * Only a timestamp that took part in the matching digest is checked for freshness.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { parseJsonKeepingIds } from "../../../server/domain/parse-json-keeping-ids.ts";

/**
 * How old a signed event may be. Zalo sends an event again when we did not answer 200 (one
 * description: after 30 s, 5 min, 15 min, 30 min and 1 h) with the body, and so the timestamp, it
 * first signed; a window shorter than that ladder would turn a short outage of ours into lost
 * acknowledgements. Two hours covers it. A replay inside the window is harmless because inbound events
 * are deduplicated (on the message id) for far longer; the window bounds how long a captured request
 * stays usable at all.
 */
export const ZALO_OA_SIGNATURE_MAX_AGE_MS = 2 * 60 * 60 * 1000;
/** Clock skew tolerated for timestamps ahead of ours. */
export const ZALO_OA_SIGNATURE_MAX_FUTURE_MS = 5 * 60 * 1000;

export type ZaloOaSignatureKeys = {
  appId: string;
  oaId?: string | undefined;
  oaSecretKey: string;
  appSecret?: string | undefined;
};

export type VerifyZaloOaSignatureInput = {
  /** The request body exactly as received. */
  rawBody: Uint8Array;
  /** The X-ZEvent-Signature header. */
  signature: string | undefined;
  /** The X-ZEvent-Timestamp header, when sent. */
  timestampHeader?: string | undefined;
  keys: ZaloOaSignatureKeys;
  now?: Date;
  maxAgeMs?: number;
  maxFutureMs?: number;
};

export type ZaloOaSignatureResult = { ok: true; variant: string; timestamp: Date } | { ok: false; reason: "missing" | "malformed" | "mismatch" | "stale" };

/** Milliseconds since the epoch from Zalo's timestamp (milliseconds; seconds accepted). */
function toDate(ts: string): Date | null {
  if (!/^\d{9,16}$/.test(ts)) return null;
  const n = Number(ts);
  return new Date(ts.length <= 11 ? n * 1000 : n);
}

function bodyTimestamp(rawBody: Uint8Array): string | undefined {
  try {
    const json = parseJsonKeepingIds(Buffer.from(rawBody).toString("utf8")) as { timestamp?: unknown } | null;
    const ts = json && typeof json === "object" ? json.timestamp : undefined;
    return typeof ts === "string" || typeof ts === "number" ? String(ts) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the signature and the freshness of a Zalo OA webhook request. Pure: no I/O, no logging. */
export function verifyZaloOaSignature(input: VerifyZaloOaSignatureInput): ZaloOaSignatureResult {
  const header = input.signature?.trim();
  if (!header) return { ok: false, reason: "missing" };
  const hex = header.replace(/^mac=/i, "");
  // Checked before any comparison: timingSafeEqual needs equal lengths, and a short or odd value is not a digest.
  if (!/^[0-9a-f]{64}$/i.test(hex)) return { ok: false, reason: "malformed" };
  const given = Buffer.from(hex.toLowerCase(), "hex");

  const k = input.keys;
  const firsts: [string, string][] = [["app_id", k.appId]];
  if (k.oaId && k.oaId !== k.appId) firsts.push(["oa_id", k.oaId]);
  const stamps: [string, string][] = [];
  const fromBody = bodyTimestamp(input.rawBody);
  if (fromBody) stamps.push(["body_timestamp", fromBody]);
  const fromHeader = input.timestampHeader?.trim();
  if (fromHeader && fromHeader !== fromBody) stamps.push(["header_timestamp", fromHeader]);
  const secrets: [string, string][] = [["oa_secret_key", k.oaSecretKey]];
  if (k.appSecret && k.appSecret !== k.oaSecretKey) secrets.push(["app_secret", k.appSecret]);

  for (const [fName, first] of firsts) {
    for (const [tName, ts] of stamps) {
      for (const [sName, secret] of secrets) {
        const digest = createHash("sha256").update(first).update(input.rawBody).update(ts).update(secret).digest();
        if (!timingSafeEqual(digest, given)) continue;
        const at = toDate(ts);
        const now = (input.now ?? new Date()).getTime();
        if (!at || now - at.getTime() > (input.maxAgeMs ?? ZALO_OA_SIGNATURE_MAX_AGE_MS) || at.getTime() - now > (input.maxFutureMs ?? ZALO_OA_SIGNATURE_MAX_FUTURE_MS)) {
          return { ok: false, reason: "stale" };
        }
        return { ok: true, variant: `${fName}+body+${tName}+${sName}`, timestamp: at };
      }
    }
  }
  return { ok: false, reason: "mismatch" };
}
