/**
 * Maps Zalo Bot Platform failures (`{ok:false, error_code, description}`, HTTP errors, network
 * failures) to one {@link ChannelFailure}, in the same taxonomy as the Zalo OA.
 */
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";

// Answers that mean this person cannot be reached, not that the request was wrong.
const GONE = /blocked|chat not found|user not found|not exist|deactivated|can't initiate|cannot send|not allowed to send/i;
const BAD_CREDENTIALS = /unauthori[sz]ed|invalid token|token (is )?invalid|forbidden: (bot|token)/i;

/** Classifies an error answer. `retryAfterSeconds` is the platform's `parameters.retry_after`, when given. */
export function zaloBotFailure(code: number, description: string, retryAfterSeconds?: number): ChannelFailure {
  const text = `Zalo Bot ${code}: ${description}`;
  const o = { providerCode: code };
  if (code === 429) return new ChannelFailure("ZALO_BOT", "retry_later", text, { ...o, retryAfterMs: (retryAfterSeconds ?? 1) * 1000 });
  if (code >= 500) return new ChannelFailure("ZALO_BOT", "retry_later", text, o);
  if (code === 401 || code === 404 || BAD_CREDENTIALS.test(description)) return new ChannelFailure("ZALO_BOT", "needs_admin", text, o);
  if (code === 403 || GONE.test(description)) return new ChannelFailure("ZALO_BOT", "unreachable", text, o);
  return new ChannelFailure("ZALO_BOT", "rejected", text, o);
}

/** Classifies a failure to get any answer (network, DNS, timeout). */
export function zaloBotNetworkFailure(err: unknown): ChannelFailure {
  const e = err as Error;
  return new ChannelFailure("ZALO_BOT", "retry_later", `Zalo Bot unreachable: ${e?.name === "TimeoutError" ? "timed out" : (e?.message ?? String(err))}`, { cause: err });
}
