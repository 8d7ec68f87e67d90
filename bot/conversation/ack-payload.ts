/**
 * The payload of every "✅ Đã nhận" choice: `ack:<directive id>`, under a directive or in a list the
 * bot made, so every acknowledgement button means the same thing on every channel (and fits
 * Telegram's 64-byte callback data).
 */

/** The payload that acknowledges `directiveId`. */
export const ackPayload = (directiveId: number): string => `ack:${directiveId}`;

/** Parses `ack:<id>`; null for anything else. */
export function parseAckPayload(payload: string | undefined): number | null {
  const m = /^ack:(\d{1,9})$/.exec(payload ?? "");
  return m ? Number(m[1]) : null;
}
