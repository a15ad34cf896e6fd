import { expect, it } from "vitest";
import { ingestBatch } from "@/lib/ingest/batch";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { defaultInterval, getTimeseries } from "@/lib/analytics/timeseries";
import { describeDb } from "../helpers/db";
import { id, loadFixture, march, NOW } from "../fixtures/analytics-fixture";

describeDb("analytics: timeseries", (ctx) => {
  it("default interval by range length: day ≤ 92 days, week ≤ 730, else month", () => {
    expect(defaultInterval("2026-01-01", "2026-04-02")).toBe("day"); // 92 days
    expect(defaultInterval("2026-01-01", "2026-04-03")).toBe("week"); // 93 days
    expect(defaultInterval("2024-01-01", "2025-12-30")).toBe("week"); // 730 days
    expect(defaultInterval("2024-01-01", "2025-12-31")).toBe("month"); // 731 days
  });

  it("day buckets: every day of March, zeros included", async () => {
    await loadFixture(ctx.handle.db);
    const t = await getTimeseries(ctx.handle.db, march());
    expect(t.interval).toBe("day");
    expect(t.points).toHaveLength(31);
    expect(t.points[0]).toEqual({ date: "2026-03-01", sessions: 0, visitors: 0, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 });
    // 03-02: S1 with o1 (100); 03-05: S3 with o2 + o3 (200.50 + 50, o3 placed in April).
    expect(t.points[1]).toEqual({ date: "2026-03-02", sessions: 1, visitors: 1, conversions: 1, orders: 1, revenue: 100, net_revenue: 100 });
    expect(t.points[4]).toEqual({ date: "2026-03-05", sessions: 1, visitors: 1, conversions: 1, orders: 2, revenue: 250.5, net_revenue: 250.5 });
    // Sum of sessions over the buckets = 5.
    expect(t.points.reduce((a, p) => a + p.sessions, 0)).toBe(5);
  });

  it("week buckets start on Monday, even before start_date", async () => {
    await loadFixture(ctx.handle.db);
    const t = await getTimeseries(ctx.handle.db, march(), { interval: "week" });
    // 2026-03-01 is a Sunday → its ISO week starts Monday 2026-02-23 (S6 of 02-28 is outside the range: 0).
    expect(t.points).toEqual([
      { date: "2026-02-23", sessions: 0, visitors: 0, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 },
      // S1, S2 (v1), S3 (v2): 3 sessions, 2 visitors, 2 conversions, 1 + 2 orders, 100 + 250.5
      { date: "2026-03-02", sessions: 3, visitors: 2, conversions: 2, orders: 3, revenue: 350.5, net_revenue: 350.5 },
      { date: "2026-03-09", sessions: 1, visitors: 1, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 }, // S4
      { date: "2026-03-16", sessions: 1, visitors: 1, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 }, // S5
      { date: "2026-03-23", sessions: 0, visitors: 0, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 },
      { date: "2026-03-30", sessions: 0, visitors: 0, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 },
    ]);
    const m = await getTimeseries(ctx.handle.db, march(), { interval: "month" });
    expect(m.points.map((p) => [p.date, p.sessions, p.visitors])).toEqual([["2026-03-01", 5, 3]]);
  });

  it("period=all starts at the first session's date", async () => {
    await loadFixture(ctx.handle.db);
    const q = parseAnalyticsQuery({ period: "all" }, { tz: "UTC", now: NOW });
    const t = await getTimeseries(ctx.handle.db, q);
    // First session S6 on 2026-02-28, today 2026-04-15 → 47 days → day buckets 02-28 .. 04-15.
    expect(t.interval).toBe("day");
    expect(t.points).toHaveLength(47);
    expect(t.points[0]).toMatchObject({ date: "2026-02-28", sessions: 1, revenue: 999 });
    expect(t.points[46].date).toBe("2026-04-15");
  });

  it("Europe/Kyiv: 23:30 on the last day of an ISO week and of a month stays in that bucket", async () => {
    const tz = "Europe/Kyiv"; // UTC+3 in summer
    await ingestBatch(ctx.handle.db, {
      sessions: [
        // Sunday 2026-05-31 23:30 Kyiv = 20:30 UTC
        { id: id(1), visitor_id: "k1", started_at: "2026-05-31T20:30:00Z", utm_source: "google" },
        // Monday 2026-06-01 00:30 Kyiv = 21:30 UTC on May 31 (same UTC day, next Kyiv week and month)
        { id: id(2), visitor_id: "k2", started_at: "2026-05-31T21:30:00Z", utm_source: "google" },
      ],
      orders: [{ order_id: "k-o1", session_id: id(1), total: 10, placed_at: "2026-05-31T20:40:00Z" }],
    });
    const now = new Date("2026-06-20T12:00:00Z");
    const weeks = await getTimeseries(
      ctx.handle.db,
      parseAnalyticsQuery({ start_date: "2026-05-25", end_date: "2026-06-07" }, { tz, now }),
      { interval: "week" },
    );
    expect(weeks.points.map((p) => [p.date, p.sessions, p.revenue])).toEqual([
      ["2026-05-25", 1, 10],
      ["2026-06-01", 1, 0],
    ]);
    const months = await getTimeseries(
      ctx.handle.db,
      parseAnalyticsQuery({ start_date: "2026-05-01", end_date: "2026-06-30" }, { tz, now }),
      { interval: "month" },
    );
    expect(months.points.map((p) => [p.date, p.sessions, p.orders])).toEqual([
      ["2026-05-01", 1, 1],
      ["2026-06-01", 1, 0],
    ]);
    // The range itself is in Kyiv days: May 31 holds one session (in UTC it would hold both).
    const day = await getGeneralStats(ctx.handle.db, parseAnalyticsQuery({ start_date: "2026-05-31", end_date: "2026-05-31" }, { tz, now }));
    expect([day.sessions, day.revenue]).toEqual([1, 10]);
    const utcDay = await getGeneralStats(ctx.handle.db, parseAnalyticsQuery({ start_date: "2026-05-31", end_date: "2026-05-31" }, { tz: "UTC", now }));
    expect(utcDay.sessions).toBe(2);
  });
});
