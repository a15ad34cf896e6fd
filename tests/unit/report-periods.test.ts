import { describe, expect, it } from "vitest";
import { reportWindow } from "@/lib/reports/periods";

const KYIV = "Europe/Kyiv";

describe("report periods: the last complete period in APP_TIMEZONE", () => {
  it("a weekly run at Monday 00:30 Kyiv reports the previous Monday–Sunday", () => {
    // 2026-01-11T22:30Z is Monday 2026-01-12 00:30 in Kyiv (UTC+2) but still Sunday in UTC.
    const w = reportWindow("week", new Date("2026-01-11T22:30:00Z"), KYIV);
    expect(w.current).toEqual({ start: "2026-01-05", end: "2026-01-11" });
    expect(w.previous).toEqual({ start: "2025-12-29", end: "2026-01-04" });
    // The same instant in UTC is Sunday, so the last complete week is the one before.
    expect(reportWindow("week", new Date("2026-01-11T22:30:00Z"), "UTC").current).toEqual({ start: "2025-12-29", end: "2026-01-04" });
  });

  it("a weekly run on a Sunday evening still reports the week before (the current one is incomplete)", () => {
    // Sunday 2026-01-18 21:00 Kyiv = 19:00Z: this week (12–18) is not over yet.
    expect(reportWindow("week", new Date("2026-01-18T19:00:00Z"), KYIV).current).toEqual({ start: "2026-01-05", end: "2026-01-11" });
  });

  it("daily: yesterday and the day before, across the spring DST change", () => {
    // 2026-03-29 is the last Sunday of March (Kyiv switches to UTC+3); 00:30 local = 2026-03-28T22:30Z.
    const w = reportWindow("day", new Date("2026-03-28T22:30:00Z"), KYIV);
    expect(w.current).toEqual({ start: "2026-03-28", end: "2026-03-28" });
    expect(w.previous).toEqual({ start: "2026-03-27", end: "2026-03-27" });
  });

  it("monthly: last calendar month, compared with the calendar month before it (different lengths)", () => {
    // 2026-03-01 00:10 Kyiv = 2026-02-28T22:10Z: February (28 days) vs January (31 days).
    const w = reportWindow("month", new Date("2026-02-28T22:10:00Z"), KYIV);
    expect(w.current).toEqual({ start: "2026-02-01", end: "2026-02-28" });
    expect(w.previous).toEqual({ start: "2026-01-01", end: "2026-01-31" });
    // Across a year boundary: a run in January 2026 reports December vs November 2025.
    const jan = reportWindow("month", new Date("2026-01-15T12:00:00Z"), KYIV);
    expect(jan.current).toEqual({ start: "2025-12-01", end: "2025-12-31" });
    expect(jan.previous).toEqual({ start: "2025-11-01", end: "2025-11-30" });
    // Leap year: March 2024 reports February 2024 with 29 days.
    expect(reportWindow("month", new Date("2024-03-05T12:00:00Z"), KYIV).current).toEqual({ start: "2024-02-01", end: "2024-02-29" });
  });
});
