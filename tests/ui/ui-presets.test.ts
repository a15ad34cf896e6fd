import { describe, expect, it } from "vitest";
import { activePreset, compareMode, compareRange, presetPatch, presetRange, sameDateLastYear, shiftDays } from "@/app/dispatcher/presets";

/** The filter bar's date presets (issue 12): calendar arithmetic on the server's "today". */
describe("date presets", () => {
  it("computes each preset's range on an ordinary day (2026-03-15)", () => {
    const today = "2026-03-15";
    expect(presetRange("today", today)).toEqual({ start: "2026-03-15", end: "2026-03-15" });
    expect(presetRange("yesterday", today)).toEqual({ start: "2026-03-14", end: "2026-03-14" });
    // 7 days including today: 15 − 6 = 9.
    expect(presetRange("7d", today)).toEqual({ start: "2026-03-09", end: "2026-03-15" });
    // 30 days: 15 March − 29 days = 14 February (February 2026 has 28 days: 15 − 29 = −14 → 28 − 14 = 14).
    expect(presetRange("30d", today)).toEqual({ start: "2026-02-14", end: "2026-03-15" });
    // 90 days: −89 days = 16 December 2025 (15 Mar → 15 Feb −28 → 15 Jan −31 → 15 Dec −31 = −90, +1 day).
    expect(presetRange("90d", today)).toEqual({ start: "2025-12-16", end: "2026-03-15" });
    // 365 days: −364 days from 15 March 2026 = 16 March 2025 (2025-03-15 → 2026-03-15 is 365 days).
    expect(presetRange("365d", today)).toEqual({ start: "2025-03-16", end: "2026-03-15" });
    expect(presetRange("this_month", today)).toEqual({ start: "2026-03-01", end: "2026-03-15" });
    expect(presetRange("last_month", today)).toEqual({ start: "2026-02-01", end: "2026-02-28" });
    expect(presetRange("this_year", today)).toEqual({ start: "2026-01-01", end: "2026-03-15" });
    expect(presetRange("all", today)).toEqual({ start: "2000-01-01", end: "2026-03-15" });
  });

  it("crosses year and leap-year boundaries", () => {
    // 1 January: yesterday is 31 December, last month is December of the previous year.
    expect(presetRange("yesterday", "2026-01-01")).toEqual({ start: "2025-12-31", end: "2025-12-31" });
    expect(presetRange("last_month", "2026-01-01")).toEqual({ start: "2025-12-01", end: "2025-12-31" });
    expect(presetRange("this_month", "2026-01-01")).toEqual({ start: "2026-01-01", end: "2026-01-01" });
    // 2028 is a leap year: last month of 10 March 2028 ends on 29 February.
    expect(presetRange("last_month", "2028-03-10")).toEqual({ start: "2028-02-01", end: "2028-02-29" });
    expect(shiftDays("2028-03-01", -1)).toBe("2028-02-29");
  });

  it("keeps SPEC periods as period= and turns the others into explicit dates", () => {
    expect(presetPatch("7d", "2026-03-15")).toEqual({ period: "week", start_date: null, end_date: null });
    expect(presetPatch("all", "2026-03-15")).toEqual({ period: "all", start_date: null, end_date: null });
    expect(presetPatch("last_month", "2026-03-15")).toEqual({ period: null, start_date: "2026-02-01", end_date: "2026-02-28" });
    expect(presetPatch("yesterday", "2026-03-15")).toEqual({ period: null, start_date: "2026-03-14", end_date: "2026-03-14" });
  });

  it("highlights the preset whose range equals the view, and none for another range", () => {
    const today = "2026-03-15";
    expect(activePreset({ period: "quarter", start: "2025-12-16", end: "2026-03-15" }, today)).toBe("90d");
    expect(activePreset({ period: "custom", start: "2026-02-01", end: "2026-02-28" }, today)).toBe("last_month");
    expect(activePreset({ period: "custom", start: "2026-01-01", end: "2026-03-15" }, today)).toBe("this_year");
    // Explicit dates equal to the last 7 days read as "7 days".
    expect(activePreset({ period: "custom", start: "2026-03-09", end: "2026-03-15" }, today)).toBe("7d");
    expect(activePreset({ period: "custom", start: "2026-02-02", end: "2026-02-28" }, today)).toBeUndefined();
  });

  it("compares with the previous period or the same dates a year earlier (29 Feb → 28 Feb)", () => {
    // 7 days 9–15 March → the 7 days before: 2–8 March.
    expect(compareRange({ start: "2026-03-09", end: "2026-03-15" }, "previous_period")).toEqual({ start: "2026-03-02", end: "2026-03-08" });
    expect(compareRange({ start: "2026-03-09", end: "2026-03-15" }, "previous_year")).toEqual({ start: "2025-03-09", end: "2025-03-15" });
    expect(sameDateLastYear("2028-02-29")).toBe("2027-02-28");
    expect(compareRange({ start: "2028-02-01", end: "2028-02-29" }, "previous_year")).toEqual({ start: "2027-02-01", end: "2027-02-28" });
    expect(compareMode("1")).toBe("previous_period");
    expect(compareMode("previous_year")).toBe("previous_year");
    expect(compareMode("0")).toBeUndefined();
    expect(compareMode(null)).toBeUndefined();
  });
});
