import { describe, expect, it } from "vitest";
import { limiterFor } from "../../server/jobs/rate-limit.ts";

/** Most jobs a fixed-window limiter can start inside any sliding second, jobs bunched at window starts. */
function worstSlidingSecond(l: { max: number; duration: number }): number {
  const windowsInASecond = Math.floor(999 / l.duration) + 1;
  return windowsInASecond * l.max;
}

describe("limiterFor", () => {
  it("keeps every sliding second at or under the platform's limit, with slack, and near the limit on average", () => {
    for (const r of [1, 2, 5, 20, 30, 100, 1000]) {
      const l = limiterFor(r)!;
      expect(worstSlidingSecond(l), `rate ${r}`).toBeLessThanOrEqual(r);
      expect((l.max * 1000) / l.duration, `rate ${r}`).toBeGreaterThanOrEqual(r * 0.95);
    }
    expect(limiterFor(30)).toEqual({ max: 10, duration: 347 });
  });
  it("turns the limit off at 0", () => {
    expect(limiterFor(0)).toBeUndefined();
  });
});
