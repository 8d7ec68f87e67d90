/**
 * grammY's `bot.init()` asks getMe and, when the Bot API cannot be reached, retries for ever without
 * a word (its debug log only), so a process whose Telegram is unreachable (a firewall, a DNS or proxy
 * failure, Telegram down) would hang at start-up with nothing in its logs. This asks getMe itself:
 * each attempt bounded in time, every failure logged as a warning (scrubbed of the token like every
 * line) with the wait before the next attempt, the waits doubling up to a ceiling. A token the Bot
 * API refuses is no network trouble: it ends the attempts at once.
 */
import { GrammyError, type Bot } from "grammy";
import type { Logger } from "../../../server/config/logger.ts";

export type TelegramInitRetry = {
  /** Wait after the first failure; doubled after each further one. Default 1 s. */
  firstDelayMs?: number;
  /** Longest wait between two attempts. Default 5 minutes. */
  maxDelayMs?: number;
  /** Longest one getMe may take (an unreachable host may never answer). Default 10 s. */
  attemptTimeoutMs?: number;
};

export type InitTelegramBotOptions = TelegramInitRetry & {
  log: Pick<Logger, "warn">;
  /** Stops the attempts (the channel is being stopped); the promise then rejects. */
  signal: AbortSignal;
  /** Called after each failed attempt (the first one tells start-up not to wait any longer). */
  onRetry?: (attempt: number, delayMs: number) => void;
};

/** True for answers that no retry can change: the token is wrong or revoked. */
export function isRefusedToken(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404);
}

/** What a failure says, without the request (grammY's HttpError carries the URL, token included, in its cause). */
function describe(err: unknown): string {
  const e = err as { message?: string; error?: { message?: string; code?: string; cause?: { code?: string } } };
  const cause = e.error?.cause?.code ?? e.error?.code ?? e.error?.message;
  return [e.message ?? String(err), cause].filter(Boolean).join(": ");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Sets `bot.botInfo` from getMe, retrying with back-off while the Bot API cannot be reached.
 * @throws the GrammyError when the token is refused; the abort reason when `signal` fires.
 */
export async function initTelegramBot(bot: Bot, o: InitTelegramBotOptions): Promise<void> {
  const first = o.firstDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 5 * 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      // grammY types its signal with an older AbortSignal shim; the platform's is what it uses.
      const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.attemptTimeoutMs ?? 10_000)]) as unknown as Parameters<Bot["api"]["getMe"]>[0];
      bot.botInfo = await bot.api.getMe(signal);
      return;
    } catch (err) {
      if (o.signal.aborted) throw o.signal.reason;
      if (isRefusedToken(err)) throw err;
      const delayMs = Math.min(max, first * 2 ** Math.min(attempt - 1, 30));
      o.log.warn({ attempt, retryInMs: delayMs, error: describe(err) }, "telegram Bot API unreachable (getMe failed); retrying");
      o.onRetry?.(attempt, delayMs);
      await sleep(delayMs, o.signal);
    }
  }
}
