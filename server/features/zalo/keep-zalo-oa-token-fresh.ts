/**
 * Refreshes the Zalo OA's access token ahead of expiry whether or not anything is being sent, so a
 * quiet OA keeps a live token (and its refresh token, which dies unused after three months) and the
 * first send of a broadcast does not wait on Zalo's OAuth server. Every process that runs the OA
 * runs this; the token store's row lock makes their refreshes one rotation.
 */
import type { Logger } from "../../config/logger.ts";
import { ChannelFailure } from "../../domain/channel-failure.ts";
import type { ZaloOaTokenStore } from "./create-zalo-oa-token-store.ts";

export type KeepZaloOaTokenFreshOptions = {
  log: Pick<Logger, "warn" | "debug">;
  /** Longest wait between two looks at the stored token (a due time learnt meanwhile is kept to). Default 5 minutes. */
  checkEveryMs?: number;
};

/**
 * Starts the timer: a look at once, then at the token's refresh time or after `checkEveryMs`,
 * whichever is sooner. A refused refresh has already alerted the administrators (the store logs it
 * and writes the audit record) and stops nothing here but OAuth calls: later looks only read the row.
 * @returns stop (idempotent): no further looks, and a promise that waits for the look in progress.
 * An OAuth call in flight is never aborted: Zalo may already have rotated the pair, and the new
 * refresh token (the old one is spent) must reach the database, or only an administrator could
 * bring the OA back.
 */
export function keepZaloOaTokenFresh(tokens: Pick<ZaloOaTokenStore, "refreshIfDue">, { log, checkEveryMs = 5 * 60_000 }: KeepZaloOaTokenFreshOptions): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let looking: Promise<void> | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      looking = look().finally(() => {
        looking = null;
      });
    }, ms);
    timer.unref();
  };
  async function look(): Promise<void> {
    let wait = checkEveryMs;
    try {
      const due = await tokens.refreshIfDue();
      if (due) wait = Math.min(wait, Math.max(due.getTime() - Date.now(), 1000));
    } catch (err) {
      if (err instanceof ChannelFailure && err.reason === "needs_admin") log.debug({ err: err.message }, "zalo oa token needs an administrator; not refreshing");
      else log.warn({ err: (err as Error).message }, "zalo oa periodic token refresh failed; will look again");
    }
    schedule(wait);
  }
  schedule(0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await looking;
  };
}
