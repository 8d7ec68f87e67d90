import { describe, expect, it } from "vitest";
import { vietnamTime } from "../../server/domain/vietnam-time.ts";

describe("vietnamTime", () => {
  it("reads a moment on Vietnam's wall clock, across the UTC day and year", () => {
    expect(vietnamTime(new Date("2026-11-22T07:05:00Z"))).toEqual({ year: 2026, month: 11, day: 22, hour: 14, minute: 5 });
    expect(vietnamTime(new Date("2025-12-31T17:00:00Z"))).toEqual({ year: 2026, month: 1, day: 1, hour: 0, minute: 0 });
    expect(vietnamTime(new Date("2026-03-01T16:59:00Z"))).toEqual({ year: 2026, month: 3, day: 1, hour: 23, minute: 59 });
  });
});
