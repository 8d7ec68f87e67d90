/** Maps grammY's errors to the channel-neutral {@link ChannelError}. */
import { GrammyError, HttpError } from "grammy";
import { ChannelError } from "../../../server/domain/channel.ts";

// 400 answers that mean the chat is gone for good rather than that our request was wrong.
const GONE = /chat not found|user not found|bot was blocked|user is deactivated|bot can't initiate|have no rights to send|PEER_ID_INVALID|bot was kicked/i;

/**
 * Classifies a failed Bot API call: 429 → retry after `retry_after`; 403 and "chat not found" →
 * unreachable (never retried); 5xx and network failures → retryable; other 4xx → a permanent failure.
 */
export function toChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const message = `Telegram ${code}: ${err.description}`;
    if (code === 429) {
      const seconds = err.parameters.retry_after ?? 1;
      return new ChannelError(message, { channel: "TELEGRAM", retryable: true, retryAfterMs: seconds * 1000, providerCode: code, cause: err });
    }
    if (code === 403 || GONE.test(err.description)) return new ChannelError(message, { channel: "TELEGRAM", retryable: false, unreachable: true, providerCode: code, cause: err });
    return new ChannelError(message, { channel: "TELEGRAM", retryable: code >= 500, providerCode: code, cause: err });
  }
  if (err instanceof HttpError) return new ChannelError(`Telegram unreachable: ${err.message}`, { channel: "TELEGRAM", retryable: true, cause: err });
  return new ChannelError(String((err as Error)?.message ?? err), { channel: "TELEGRAM", retryable: true, cause: err });
}
