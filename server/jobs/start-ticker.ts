/**
 * The timer loop every sweep shares (deliveries, signatures, reminders, certificate batches): a
 * tick at most every `everyMs`, never two at once in this process, a failed tick logged and the
 * next one tried, and a stop that waits for the tick in progress.
 */
import type { Logger } from "../config/logger.ts";

export type TickerOptions = {
  everyMs: number;
  /** Where a failed tick is logged, and with which message. */
  log: Logger;
  failure: string;
  /** Also tick at once rather than after the first interval. */
  immediately?: boolean;
};

/**
 * Runs `tick` every `everyMs` (skipping a beat while the previous tick still runs); returns the
 * function that stops the timer and waits for a tick in progress. The timer never keeps the process
 * alive.
 */
export function startTicker(tick: () => Promise<void>, { everyMs, log, failure, immediately = false }: TickerOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const beat = () => {
    if (running || stopped) return;
    // A failed tick (PostgreSQL or Redis away) is logged; the next one tries again.
    running = tick()
      .catch((err: unknown) => log.error({ err }, failure))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(beat, everyMs);
  timer.unref();
  if (immediately) beat();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
