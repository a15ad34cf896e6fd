import { describe, expect, expectTypeOf, it, vi } from "vitest";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { getTimeseries, type Timeseries, type TimeseriesPoint } from "@/lib/analytics/timeseries";
import type { ChartPoint, TimeseriesChartProps } from "@/app/dispatcher/client/TimeseriesChart";
import { CHART_METRICS, type ChartMetric } from "@/app/dispatcher/search-params";
import { describeDb } from "../helpers/db";
import { loadFixture, NOW } from "../fixtures/analytics-fixture";

vi.mock("server-only", () => ({}));
const { drawnRange, incompleteBuckets } = await import("@/app/dispatcher/blocks/timeseries");

/** A series of the given bucket dates (the figures do not decide partiality). */
const series = (interval: Timeseries["interval"], dates: string[]): Pick<Timeseries, "interval" | "points"> => ({
  interval,
  points: dates.map((date) => ({ date, sessions: 1, visitors: 1, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 })),
});
const LATER = new Date("2026-01-01T12:00:00Z");

describe("incompleteBuckets: the partial first and last buckets of the chart", () => {
  it("weekly, the range starts on a Wednesday: the first week is partial, the last (a whole Mon–Sun) is not", () => {
    // 2025-01-08 is a Wednesday → its week starts Monday 2025-01-06; the range ends Sunday 01-26,
    // the last week 01-20 ends (exclusive) 01-27 = the day after the range: complete.
    const ts = series("week", ["2025-01-06", "2025-01-13", "2025-01-20"]);
    expect(incompleteBuckets(ts, { start: "2025-01-08", end: "2025-01-26" }, "2025-12-31", LATER)).toEqual({ partialBefore: 1, partialFrom: 3, futureFrom: 3 });
  });

  it("weekly, the range starts on the Monday: no partial first week", () => {
    const ts = series("week", ["2025-01-06", "2025-01-13", "2025-01-20"]);
    expect(incompleteBuckets(ts, { start: "2025-01-06", end: "2025-01-26" }, "2025-12-31", LATER)).toEqual({ partialBefore: 0, partialFrom: 3, futureFrom: 3 });
  });

  it("weekly, both ends cut: a Wednesday start and a Wednesday end", () => {
    // Last week 2025-01-20 ends 01-27 > 01-23 (the day after the Wednesday 01-22): partial, index 2.
    const ts = series("week", ["2025-01-06", "2025-01-13", "2025-01-20"]);
    expect(incompleteBuckets(ts, { start: "2025-01-08", end: "2025-01-22" }, "2025-12-31", LATER)).toEqual({ partialBefore: 1, partialFrom: 2, futureFrom: 3 });
  });

  it("monthly, the range starts on the 14th: the first month is partial; the last is partial because it holds today", () => {
    // 2024-03-14 .. 2025-02-14 (today): months 2024-03 .. 2025-02 = 12 buckets; index 11 holds today.
    const dates = ["2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"].map((m) => `${m}-01`);
    expect(incompleteBuckets(series("month", dates), { start: "2024-03-14", end: "2025-02-14" }, "2025-02-14", LATER)).toEqual({ partialBefore: 1, partialFrom: 11, futureFrom: 12 });
    // From the 1st to the month's last day, in the past: both ends whole.
    expect(incompleteBuckets(series("month", dates), { start: "2024-03-01", end: "2025-02-28" }, "2025-06-01", LATER)).toEqual({ partialBefore: 0, partialFrom: 12, futureFrom: 12 });
  });

  it("one week cut at both ends is both the partial first and the partial last bucket", () => {
    // 2025-01-08 (Wed) .. 2025-01-10 (Fri): one bucket 2025-01-06, ending 01-13 > 01-11.
    expect(incompleteBuckets(series("week", ["2025-01-06"]), { start: "2025-01-08", end: "2025-01-10" }, "2025-12-31", LATER)).toEqual({ partialBefore: 1, partialFrom: 0, futureFrom: 1 });
  });

  it("a day bucket is never cut by the range's start", () => {
    const ts = series("day", ["2025-01-08", "2025-01-09", "2025-01-10"]);
    expect(incompleteBuckets(ts, { start: "2025-01-08", end: "2025-01-10" }, "2025-12-31", LATER)).toEqual({ partialBefore: 0, partialFrom: 3, futureFrom: 3 });
    // Ending today: the last day is partial.
    expect(incompleteBuckets(ts, { start: "2025-01-08", end: "2025-01-10" }, "2025-01-10", LATER)).toEqual({ partialBefore: 0, partialFrom: 2, futureFrom: 3 });
  });

  it("hourly today at 13:30 UTC: hour 13 partial, hours 14..23 not begun, no partial first hour", () => {
    // 24 hours from 2025-05-10T00:00Z; the first hour after now (13:30) is 14:00 → futureFrom 14; 13:00 holds now → 13.
    const hours = Array.from({ length: 24 }, (_, h) => new Date(Date.UTC(2025, 4, 10, h)).toISOString());
    expect(incompleteBuckets(series("hour", hours), { start: "2025-05-10", end: "2025-05-10" }, "2025-05-10", new Date("2025-05-10T13:30:00Z"))).toEqual({
      partialBefore: 0,
      partialFrom: 13,
      futureFrom: 14,
    });
  });
});

describeDb("All time: the chart's range starts at the first session", (ctx) => {
  it("the first week and month of All time are partial when the first session is mid-week / mid-month", async () => {
    await loadFixture(ctx.handle.db);
    const q = parseAnalyticsQuery({ period: "all" }, { tz: "UTC", now: NOW });
    // The API's All time is 2000-01-01 .. 2026-04-15; the first session (S6) is on 2026-02-28 (a Saturday).
    const drawn = await drawnRange(ctx.handle.db, q);
    expect(drawn).toEqual({ start: "2026-02-28", end: "2026-04-15" });
    // Weeks from Monday 2026-02-23 to the week of 04-15 (Monday 04-13): 8 buckets; 02-23 < 02-28 → first partial;
    // the last holds today → partial from index 7.
    const weeks = await getTimeseries(ctx.handle.db, q, { interval: "week" });
    expect(weeks.points[0].date).toBe("2026-02-23");
    expect(incompleteBuckets(weeks, drawn, q.today, NOW)).toEqual({ partialBefore: 1, partialFrom: 7, futureFrom: 8 });
    // Months 2026-02 .. 2026-04: 3 buckets; 02-01 < 02-28 → first partial; April holds today.
    const months = await getTimeseries(ctx.handle.db, q, { interval: "month" });
    expect(incompleteBuckets(months, drawn, q.today, NOW)).toEqual({ partialBefore: 1, partialFrom: 2, futureFrom: 3 });
  });

  it("other periods keep their range; on an empty database All time draws only today, as the API does", async () => {
    const q = parseAnalyticsQuery({ period: "all" }, { tz: "UTC", now: NOW });
    // No session: the series (lib/analytics/timeseries.ts, the one rule) starts at the range's end.
    expect(await drawnRange(ctx.handle.db, q)).toEqual({ start: "2026-04-15", end: "2026-04-15" });
    expect((await getTimeseries(ctx.handle.db, q, { interval: "day" })).points.map((p) => p.date)).toEqual(["2026-04-15"]);
    const custom = parseAnalyticsQuery({ start_date: "2026-03-04", end_date: "2026-03-31" }, { tz: "UTC", now: NOW });
    expect(await drawnRange(ctx.handle.db, custom)).toEqual({ start: "2026-03-04", end: "2026-03-31" });
  });

  it("the first session's date in the app's zone: 2026-02-28 22:30 UTC is 03-01 in Kyiv (UTC+2), a Sunday, the end of its week", async () => {
    await loadFixture(ctx.handle.db);
    const { sql } = await import("drizzle-orm");
    await ctx.handle.db.execute(sql`update sessions set started_at = '2026-02-28T22:30:00Z' where started_at = '2026-02-28T10:00:00Z'`);
    const q = parseAnalyticsQuery({ period: "all" }, { tz: "Europe/Kyiv", now: NOW });
    expect(await drawnRange(ctx.handle.db, q)).toEqual({ start: "2026-03-01", end: "2026-04-15" });
  });
});

describe("one chart metric type", () => {
  it("the chart takes the URL's chart metrics (search-params CHART_METRICS), and its point is the API's", () => {
    // The five metrics of SPEC 4's time series, in the tabs' and the tooltip's order.
    expect(CHART_METRICS).toEqual(["sessions", "visitors", "conversions", "orders", "revenue"]);
    expectTypeOf<TimeseriesChartProps["metric"]>().toEqualTypeOf<ChartMetric>();
    expectTypeOf<keyof TimeseriesChartProps["labels"]>().toEqualTypeOf<ChartMetric | "current" | "previous" | "partial">();
    expectTypeOf<ChartPoint>().toEqualTypeOf<TimeseriesPoint>();
  });
});
