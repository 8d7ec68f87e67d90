import { describe, expect, it } from "vitest";
import { createSendPacer } from "../../server/jobs/send-pacer.ts";

describe("createSendPacer", () => {
  it("never lets more than the limit through in any sliding second, and keeps close to the limit", async () => {
    const pacer = createSendPacer(20, 10);
    const times: number[] = [];
    const start = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => pacer.acquire().then(() => times.push(performance.now()))));
    const elapsed = performance.now() - start;
    for (let i = 20; i < times.length; i++) expect(times[i]! - times[i - 20]!).toBeGreaterThanOrEqual(1000);
    // 50 permits at 20 per 1.01 s: two full windows of waiting, not more.
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(2600);
  });
  it("does not wait when off", async () => {
    const pacer = createSendPacer(0);
    const start = performance.now();
    await Promise.all(Array.from({ length: 1000 }, () => pacer.acquire()));
    expect(performance.now() - start).toBeLessThan(200);
  });
});
