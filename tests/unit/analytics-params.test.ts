import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { statusOf } from "@/lib/http/errors";
import { change, pct, ratio, ratioOrNull, round2 } from "@/lib/analytics/format";
import { parseAnalyticsQuery, rangeInstants, queryToParams } from "@/lib/analytics/params";

// 2026-03-31 22:30 UTC is already 2026-04-01 01:30 in Kyiv (UTC+3 in summer time).
const now = new Date("2026-03-31T22:30:00Z");

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { status: statusOf(e), paths: (e.issues ?? []).map((i) => i.path) };
    throw e;
  }
  throw new Error("expected a 400");
}

describe("parseAnalyticsQuery", () => {
  it("resolves presets from today in APP_TIMEZONE, including today", () => {
    // Kyiv today = 2026-04-01; week = 7 days including today: 03-26 .. 04-01.
    const q = parseAnalyticsQuery({ period: "week" }, { now, tz: "Europe/Kyiv" });
    expect(q.range).toEqual({ start: "2026-03-26", end: "2026-04-01" });
    // Default month = 30 days: 2026-04-01 minus 29 days = 2026-03-03.
    expect(parseAnalyticsQuery({}, { now, tz: "Europe/Kyiv" }).range).toEqual({ start: "2026-03-03", end: "2026-04-01" });
    // In UTC the same instant is still 2026-03-31: day = that date only.
    expect(parseAnalyticsQuery({ period: "day" }, { now, tz: "UTC" }).range).toEqual({ start: "2026-03-31", end: "2026-03-31" });
  });

  it("lets explicit dates win over period and keeps (none) filters", () => {
    const q = parseAnalyticsQuery(
      new URLSearchParams("period=year&start_date=2026-01-01&end_date=2026-01-31&utm_campaign=(none)&device=mobile"),
      { now, tz: "UTC" },
    );
    expect(q.range).toEqual({ start: "2026-01-01", end: "2026-01-31" });
    expect(q.period).toBe("custom");
    expect(q.filters).toEqual({ utm_campaign: { is: ["(none)"], not: [] }, device: { is: ["mobile"], not: [] } });
    expect(queryToParams(q).toString()).toBe("start_date=2026-01-01&end_date=2026-01-31&utm_campaign=%28none%29&device=mobile");
  });

  it("maps a Kyiv date range to UTC instants, [from, to)", () => {
    // Kyiv is UTC+2 in January: 2026-01-01 00:00 local = 2025-12-31 22:00Z; end 01-31 → to 01-31 22:00Z.
    const r = rangeInstants({ start: "2026-01-01", end: "2026-01-31" }, "Europe/Kyiv");
    expect(r.from.toISOString()).toBe("2025-12-31T22:00:00.000Z");
    expect(r.to.toISOString()).toBe("2026-01-31T22:00:00.000Z");
  });

  it("answers 400 naming the parameter", () => {
    expect(issuesOf(() => parseAnalyticsQuery({ period: "decade" }, { now }))).toEqual({ status: 400, paths: ["period"] });
    expect(issuesOf(() => parseAnalyticsQuery({ start_date: "2026-01-01" }, { now }))).toEqual({ status: 400, paths: ["end_date"] });
    expect(issuesOf(() => parseAnalyticsQuery({ start_date: "2026-02-01", end_date: "2026-01-01" }, { now }))).toEqual({
      status: 400,
      paths: ["start_date"],
    });
    expect(issuesOf(() => parseAnalyticsQuery({ start_date: "2026-02-30", end_date: "2026-03-01" }, { now }))).toEqual({
      status: 400,
      paths: ["start_date"],
    });
    expect(issuesOf(() => parseAnalyticsQuery({ utm_source: "x".repeat(501) }, { now }))).toEqual({ status: 400, paths: ["utm_source"] });
  });
});

describe("format (SPEC 3.5)", () => {
  it("rounds only at the edge, with the SPEC's zero rules", () => {
    expect(round2(1.005)).toBe(1.01); // binary 1.00499.. would give 1.00 with naive rounding
    expect(pct(1, 3)).toBe(33.33); // 33.333..
    expect(pct(5, 0)).toBe(0);
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratioOrNull(10, 0)).toBeNull();
    expect(change(150, 120)).toBe(25); // (150-120)/120*100
    expect(change(1, 0)).toBeNull();
    expect(change(2 / 3, 0.5)).toBe(33.33); // from unrounded values: (0.6667-0.5)/0.5 = 33.33%
  });
});
