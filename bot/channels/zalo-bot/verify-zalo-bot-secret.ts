/** The Zalo Bot Platform's webhook check: a shared secret echoed in a header (there is no body signature). */
import { timingSafeEqual } from "node:crypto";

/** Header the platform sends the webhook's secret_token in. */
export const ZALO_BOT_SECRET_HEADER = "x-bot-api-secret-token";

/**
 * True when `header` is exactly `secret`. Lengths are compared first (timingSafeEqual needs equal
 * lengths; the length of a secret is no secret), then the bytes in constant time.
 */
export function verifyZaloBotSecret(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string" || !secret) return false;
  const given = Buffer.from(header, "utf8");
  const expected = Buffer.from(secret, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
