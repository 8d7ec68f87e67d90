/**
 * Long polling for the Zalo Bot when there is no public URL for a webhook. One loop per bot token
 * (getUpdates and the webhook exclude each other, so the webhook is deleted first).
 */
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import type { ZaloBotClient } from "./zalo-bot-client.ts";

export type PollZaloBotOptions = {
  /** Called for each update, in order; a throw is reported to `onError` and polling goes on. */
  onUpdate: (update: unknown) => Promise<void>;
  signal: AbortSignal;
  timeoutSeconds?: number;
  onError?: (err: unknown) => void;
  /** Wait after a failed poll, doubling up to a minute. Default 1 s. */
  backoffMs?: number;
};

/** Polls until `signal` aborts; resolves then. A token the platform refuses stops the loop with that failure. */
export async function pollZaloBot(client: ZaloBotClient, o: PollZaloBotOptions): Promise<void> {
  const base = o.backoffMs ?? 1000;
  let wait = base;
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      o.signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
    });
  await client.deleteWebhook(o.signal).catch((err: unknown) => o.onError?.(err));
  while (!o.signal.aborted) {
    let update: unknown;
    try {
      update = await client.getUpdates({ timeoutSeconds: o.timeoutSeconds ?? 30, signal: o.signal });
      wait = base;
    } catch (err) {
      if (o.signal.aborted) break;
      o.onError?.(err);
      if (err instanceof ChannelFailure && err.reason === "needs_admin") throw err;
      await sleep(err instanceof ChannelFailure && err.retryAfterMs ? err.retryAfterMs : wait);
      wait = Math.min(wait * 2, 60_000);
      continue;
    }
    if (update === null) continue;
    try {
      await o.onUpdate(update);
    } catch (err) {
      o.onError?.(err);
    }
  }
}
