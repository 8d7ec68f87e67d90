import { describe, expect, it } from "vitest";
import { createLogger } from "../../server/config/logger.ts";
import { startTicker } from "../../server/jobs/start-ticker.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("startTicker", () => {
  it("never runs two ticks at once, goes on after a failed tick, and stop waits for the tick in progress", async () => {
    let active = 0;
    let most = 0;
    let ticks = 0;
    let finished = 0;
    const stop = startTicker(
      async () => {
        ticks++;
        active++;
        most = Math.max(most, active);
        await sleep(30);
        active--;
        finished++;
        if (ticks === 1) throw new Error("first tick fails");
      },
      { everyMs: 5, log: createLogger("silent"), failure: "test tick failed", immediately: true },
    );
    await sleep(150);
    await stop();
    const after = ticks;
    expect(most).toBe(1);
    expect(ticks).toBeGreaterThanOrEqual(3);
    // stop() returned only once the tick in progress had finished, and nothing ticks afterwards.
    expect(finished).toBe(ticks);
    await sleep(40);
    expect(ticks).toBe(after);
  });
});
