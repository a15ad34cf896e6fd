import { expect, it } from "vitest";
import { getCohortAnalysis } from "@/lib/analytics/cohort";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { describeDb } from "../helpers/db";
import { load, loadMainFixture, MAIN_NOW, MAIN_RANGE, uid } from "../fixtures/seed-v3.fixture";

// The main fixture is described in tests/fixtures/seed-v3.fixture.ts. Range 2025-01-06..2025-01-19, today
// 2025-03-05 (a Wednesday; its ISO week starts 2025-03-03). Cohorts by week:
//   2025-01-06: c1, c2 (size 2)     2025-01-13: c3 (size 1)
// c4 (first order 01-02) and c5 (01-20) are outside the range; c6 has no paid order.
// Week k of cohort 2025-01-06 starts 01-06 + 7k: k=8 → 03-03 (≤ today), k=9 → 03-10 (future → null).
// Week k of cohort 2025-01-13: k=7 → 03-03, k=8 → 03-10 (null).
const q = (extra: Record<string, string> = {}, tz = "UTC") => parseAnalyticsQuery({ ...MAIN_RANGE, ...extra }, { now: MAIN_NOW, tz });

describeDb("cohort analysis", (ctx) => {
  it("retention by week: offsets, refunded/pending excluded, future cells null, size-weighted totals", async () => {
    await loadMainFixture(ctx.handle.db);
    const r = await getCohortAnalysis(ctx.handle.db, q(), { cohortType: "week", metric: "retention", periods: 12 });
    expect(r.cohorts).toEqual(["2025-01-06", "2025-01-13"]);
    expect(r.sizes).toEqual([2, 1]);
    expect(r.periods).toEqual(Array.from({ length: 12 }, (_, k) => `Week ${k}`));
    // 2025-01-06: k0 both; k1 (01-13..19) c1's 01-15 (c2's 01-14 is refunded) → 1/2; k2 c2's 01-21
    // is pending → 0; k4 (02-03..09) c1's 02-03 → 1/2.
    expect(r.matrix[0]).toEqual([100, 50, 0, 0, 50, 0, 0, 0, 0, null, null, null]);
    // 2025-01-13: k0 c3 (01-14, 01-16 both in week 0), k2 (01-27..02-02) c3's 01-27.
    expect(r.matrix[1]).toEqual([100, 0, 100, 0, 0, 0, 0, 0, null, null, null, null]);
    // Totals = Σ buyers / Σ size over non-null cells: k1 (1+0)/3 = 33.33, k2 (0+1)/3, k4 (1+0)/3,
    // k8 only the first cohort: 0/2 = 0; k9.. every cell null → null.
    expect(r.totals).toEqual([100, 33.33, 33.33, 0, 33.33, 0, 0, 0, 0, null, null, null]);
  });

  it("orders, revenue and cumulative ltv by week", async () => {
    await loadMainFixture(ctx.handle.db);
    const opts = { cohortType: "week" as const, periods: 10 };
    const orders = await getCohortAnalysis(ctx.handle.db, q(), { ...opts, metric: "orders" });
    // 2025-01-06: k0 o1a + o2a = 2, k1 o1b, k4 o1c. 2025-01-13: k0 o3a + o3b = 2, k2 o3c.
    expect(orders.matrix).toEqual([
      [2, 1, 0, 0, 1, 0, 0, 0, 0, null],
      [2, 0, 1, 0, 0, 0, 0, 0, null, null],
    ]);
    // Totals are sums of the non-null cells.
    expect(orders.totals).toEqual([4, 1, 1, 0, 1, 0, 0, 0, 0, null]);

    const revenue = await getCohortAnalysis(ctx.handle.db, q(), { ...opts, metric: "revenue" });
    // k0: 100 + 200 = 300 and 80 + 20 = 100; k1: 50; k4: 30; k2 of the second: 40.
    expect(revenue.matrix).toEqual([
      [300, 50, 0, 0, 30, 0, 0, 0, 0, null],
      [100, 0, 40, 0, 0, 0, 0, 0, null, null],
    ]);
    expect(revenue.totals).toEqual([400, 50, 40, 0, 30, 0, 0, 0, 0, null]);

    const ltv = await getCohortAnalysis(ctx.handle.db, q(), { ...opts, metric: "ltv" });
    // Cumulative revenue / size: first 300/2 = 150, 350/2 = 175, ..., 380/2 = 190 from k4;
    // second 100/1, 100, 140 from k2.
    expect(ltv.matrix).toEqual([
      [150, 175, 175, 175, 190, 190, 190, 190, 190, null],
      [100, 100, 140, 140, 140, 140, 140, 140, null, null],
    ]);
    // Size-weighted: k0 (2·150 + 1·100)/3 = 133.33; k1 (350 + 100)/3 = 150; k2 (350 + 140)/3 = 163.33;
    // k4 (380 + 140)/3 = 173.33; k8 only the first cohort: 190.
    expect(ltv.totals).toEqual([133.33, 150, 163.33, 163.33, 173.33, 173.33, 173.33, 173.33, 190, null]);
  });

  it("month and day cohorts with their labels and default periods", async () => {
    await loadMainFixture(ctx.handle.db);
    const month = await getCohortAnalysis(ctx.handle.db, q(), { cohortType: "month", metric: "orders" });
    // One cohort 2025-01-01 (c1, c2, c3). Month 0 (January): o1a, o1b, o2a, o3a, o3b, o3c = 6;
    // month 1 (February): o1c = 1; month 2 (March, starts 03-01 ≤ today) 0; months 3..11 null.
    expect(month.cohorts).toEqual(["2025-01-01"]);
    expect(month.sizes).toEqual([3]);
    expect(month.periods).toHaveLength(12);
    expect(month.periods[11]).toBe("Month 11");
    expect(month.matrix).toEqual([[6, 1, 0, null, null, null, null, null, null, null, null, null]]);

    const day = await getCohortAnalysis(ctx.handle.db, q(), { cohortType: "day", metric: "retention" });
    // Day cohorts: 01-07 c1, 01-10 c2, 01-14 c3; 30 columns by default, none in the future.
    expect(day.cohorts).toEqual(["2025-01-07", "2025-01-10", "2025-01-14"]);
    expect(day.periods).toHaveLength(30);
    // c1: 01-15 is day 8, 02-03 day 27; c3: 01-16 is day 2, 01-27 day 13; c2 never again.
    const ones = (k: number[]) => Array.from({ length: 30 }, (_, i) => (i === 0 || k.includes(i) ? 100 : 0));
    expect(day.matrix).toEqual([ones([8, 27]), ones([]), ones([2, 13])]);
  });

  it("filters customers by their acquisition session, (none) matching the unattributed", async () => {
    await loadMainFixture(ctx.handle.db);
    const google = await getCohortAnalysis(ctx.handle.db, q({ utm_source: "google" }), { cohortType: "week", metric: "orders", periods: 3 });
    // c1 (S1 google) and c3 (S3 google); c2 is unattributed. c1's later orders are unattributed but
    // still count: the filter is on the customer, not on the order.
    expect(google.cohorts).toEqual(["2025-01-06", "2025-01-13"]);
    expect(google.sizes).toEqual([1, 1]);
    expect(google.matrix).toEqual([
      [1, 1, 0],
      [2, 0, 1],
    ]);
    const none = await getCohortAnalysis(ctx.handle.db, q({ utm_source: "(none)" }), { cohortType: "week", metric: "revenue", periods: 3 });
    expect(none.cohorts).toEqual(["2025-01-06"]);
    expect(none.matrix).toEqual([[200, 0, 0]]);
    const mobile = await getCohortAnalysis(ctx.handle.db, q({ device: "mobile", country: "PL" }), { cohortType: "week", periods: 3 });
    // Only c3's acquisition session S3 is mobile in PL.
    expect(mobile.sizes).toEqual([1]);
    expect(mobile.cohorts).toEqual(["2025-01-13"]);
  });

  it("no customers: empty cohorts, null totals", async () => {
    const r = await getCohortAnalysis(ctx.handle.db, q(), { cohortType: "week", metric: "ltv", periods: 4 });
    expect(r).toEqual({
      cohort_type: "week",
      metric: "ltv",
      basis: "all",
      cohorts: [],
      sizes: [],
      periods: ["Week 0", "Week 1", "Week 2", "Week 3"],
      matrix: [],
      totals: [null, null, null, null],
      orders_without_cost: 0,
    });
  });

  it("buckets are calendar buckets in the app time zone (Europe/Kyiv, UTC+2 in winter)", async () => {
    // k1 first order Fri 2025-01-31 23:30 Kyiv (21:30Z), second Sat 2025-02-01 00:30 Kyiv (22:30Z,
    //    still January 31 in UTC);
    // k2 first order 2025-02-01 00:45 Kyiv (22:45Z on January 31 in UTC);
    // w1 first order Sun 2025-01-12 23:30 Kyiv (21:30Z), second Mon 2025-01-13 00:30 Kyiv (22:30Z,
    //    still Sunday in UTC).
    await load(
      ctx.handle.db,
      [
        { id: uid(201), visitor_id: "k1", started_at: "2025-01-31T21:00:00Z", utm_source: "google" },
        { id: uid(202), visitor_id: "k2", started_at: "2025-01-31T22:40:00Z", utm_source: "google" },
        { id: uid(203), visitor_id: "w1", started_at: "2025-01-12T21:00:00Z", utm_source: "google" },
      ],
      [
        { order_id: "k1a", customer_id: "k1", session_id: uid(201), total: 100, placed_at: "2025-01-31T21:30:00Z" },
        { order_id: "k1b", customer_id: "k1", total: 50, placed_at: "2025-01-31T22:30:00Z" },
        { order_id: "k2a", customer_id: "k2", session_id: uid(202), total: 70, placed_at: "2025-01-31T22:45:00Z" },
        { order_id: "w1a", customer_id: "w1", session_id: uid(203), total: 10, placed_at: "2025-01-12T21:30:00Z" },
        { order_id: "w1b", customer_id: "w1", total: 20, placed_at: "2025-01-12T22:30:00Z" },
      ],
    );
    const now = new Date("2025-06-01T12:00:00Z");
    const kyivMonths = parseAnalyticsQuery({ start_date: "2025-01-20", end_date: "2025-02-28" }, { now, tz: "Europe/Kyiv" });
    const m = await getCohortAnalysis(ctx.handle.db, kyivMonths, { cohortType: "month", metric: "orders", periods: 3 });
    // Kyiv: k1 → cohort January with k1b in month 1 (February); k2 → cohort February.
    expect(m.cohorts).toEqual(["2025-01-01", "2025-02-01"]);
    expect(m.sizes).toEqual([1, 1]);
    expect(m.matrix).toEqual([
      [1, 1, 0],
      [1, 0, 0],
    ]);
    // The same instants in UTC all fall on January 31: one cohort of 2 with 3 orders in month 0.
    const utcMonths = parseAnalyticsQuery({ start_date: "2025-01-20", end_date: "2025-02-28" }, { now, tz: "UTC" });
    const mu = await getCohortAnalysis(ctx.handle.db, utcMonths, { cohortType: "month", metric: "orders", periods: 3 });
    expect(mu.cohorts).toEqual(["2025-01-01"]);
    expect(mu.matrix).toEqual([[3, 0, 0]]);

    const kyivWeeks = parseAnalyticsQuery({ start_date: "2025-01-06", end_date: "2025-01-19" }, { now, tz: "Europe/Kyiv" });
    const w = await getCohortAnalysis(ctx.handle.db, kyivWeeks, { cohortType: "week", metric: "orders", periods: 2 });
    // Kyiv: w1's Sunday order opens the week of Mon 2025-01-06; the Monday 00:30 order is week 1.
    expect(w.cohorts).toEqual(["2025-01-06"]);
    expect(w.matrix).toEqual([[1, 1]]);
    const utcWeeks = parseAnalyticsQuery({ start_date: "2025-01-06", end_date: "2025-01-19" }, { now, tz: "UTC" });
    const wu = await getCohortAnalysis(ctx.handle.db, utcWeeks, { cohortType: "week", metric: "orders", periods: 2 });
    expect(wu.matrix).toEqual([[2, 0]]);

    const d = await getCohortAnalysis(ctx.handle.db, kyivWeeks, { cohortType: "day", metric: "revenue", periods: 2 });
    // Kyiv days: cohort 2025-01-12 (10 on day 0, 20 on 2025-01-13 = day 1).
    expect(d.cohorts).toEqual(["2025-01-12"]);
    expect(d.matrix).toEqual([[10, 20]]);
  });

  it("range end in the Kyiv zone decides who forms a cohort", async () => {
    // 2025-01-19 23:30 Kyiv = 21:30Z is inside a range ending 2025-01-19 in Kyiv; 2025-01-20 00:30
    // Kyiv = 22:30Z on the 19th in UTC is outside it in Kyiv.
    await load(
      ctx.handle.db,
      [],
      [
        { order_id: "e1", customer_id: "e1", total: 10, placed_at: "2025-01-19T21:30:00Z" },
        { order_id: "e2", customer_id: "e2", total: 20, placed_at: "2025-01-19T22:30:00Z" },
      ],
    );
    const now = new Date("2025-06-01T12:00:00Z");
    const kyiv = parseAnalyticsQuery({ start_date: "2025-01-13", end_date: "2025-01-19" }, { now, tz: "Europe/Kyiv" });
    const r = await getCohortAnalysis(ctx.handle.db, kyiv, { cohortType: "week", metric: "revenue", periods: 1 });
    expect(r.sizes).toEqual([1]);
    expect(r.matrix).toEqual([[10]]);
    const utc = parseAnalyticsQuery({ start_date: "2025-01-13", end_date: "2025-01-19" }, { now, tz: "UTC" });
    const ru = await getCohortAnalysis(ctx.handle.db, utc, { cohortType: "week", metric: "revenue", periods: 1 });
    expect(ru.matrix).toEqual([[30]]);
  });
});
