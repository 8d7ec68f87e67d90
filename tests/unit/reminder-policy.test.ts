import { describe, expect, it } from "vitest";
import { defaultReminderPolicy, formatIsoDuration, parseIsoDuration, parseQuietHours, ZReminderPolicy } from "../../server/domain/reminder-policy.ts";

describe("reminder policy", () => {
  it("defaults to P7D/P3D/P1D/PT0S, overdue every P2D, working days only, quiet 21:00-07:00", () => {
    expect(defaultReminderPolicy()).toEqual(ZReminderPolicy.parse({}));
    expect(ZReminderPolicy.parse({})).toEqual({ before: ["P7D", "P3D", "P1D", "PT0S"], overdue_every: "P2D", working_days_only: true, quiet_hours: "21:00-07:00" });
    expect(ZReminderPolicy.parse({ working_days_only: false, quiet_hours: null, overdue_every: null })).toMatchObject({
      working_days_only: false,
      quiet_hours: null,
      overdue_every: null,
    });
  });

  it("parses ISO 8601 durations of weeks, days, hours, minutes and seconds", () => {
    expect(parseIsoDuration("P7D")).toEqual({ days: 7, hours: 0, minutes: 0, seconds: 0, ms: 7 * 86_400_000 });
    expect(parseIsoDuration("P1W")).toMatchObject({ days: 7 });
    expect(parseIsoDuration("P1DT6H30M")).toEqual({ days: 1, hours: 6, minutes: 30, seconds: 0, ms: (30 * 60 + 30) * 60_000 });
    expect(parseIsoDuration("PT0S").ms).toBe(0);
    expect(formatIsoDuration(4 * 86_400_000)).toBe("P4D");
    expect(formatIsoDuration(90 * 60_000)).toBe("PT1H30M");
    expect(formatIsoDuration(0)).toBe("PT0S");
  });

  it("refuses what is not a fixed-length duration, with a message that says why", () => {
    expect(() => parseIsoDuration("P1M")).toThrow(/years and months/);
    expect(() => parseIsoDuration("P1Y")).toThrow(/years and months/);
    for (const bad of ["7D", "P", "PT", "P1.5D", "-P1D", "P1DT", "p1d", ""]) expect(() => parseIsoDuration(bad), bad).toThrow(/not an ISO 8601 duration/);
    expect(() => parseIsoDuration("P400D")).toThrow(/366 days/);
  });

  it("reports bad fields as translatable issues", () => {
    const result = ZReminderPolicy.safeParse({ before: ["P1D", "P1M"], overdue_every: "PT5M", quiet_hours: "21:00-21:00", extra: 1 });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => [i.path.join("."), (i as { params?: { messageKey?: string } }).params?.messageKey ?? i.code]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ["before.1", "errors.field.iso_duration"],
        ["overdue_every", "errors.field.overdue_too_often"],
        ["quiet_hours", "errors.field.quiet_hours"],
        ["", "unrecognized_keys"],
      ]),
    );
  });

  it("parses quiet hours, wrapping midnight or not", () => {
    expect(parseQuietHours("21:00-07:00")).toEqual({ start: 21 * 60, end: 7 * 60 });
    expect(parseQuietHours("12:00-13:30")).toEqual({ start: 720, end: 810 });
    for (const bad of ["21-07", "24:00-07:00", "21:00-07:60", "21:00–07:00"]) expect(() => parseQuietHours(bad), bad).toThrow(/HH:MM-HH:MM/);
  });
});
