import { expect, it } from "vitest";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getCompare, previousRange } from "@/lib/analytics/compare";
import { getFunnel } from "@/lib/analytics/funnel";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getReturningVisitors } from "@/lib/analytics/returning-visitors";
import { describeDb } from "../helpers/db";
import { loadFixture, march } from "../fixtures/analytics-fixture";

// Fixture table: tests/fixtures/analytics-fixture.ts (S1..S5 in March 2026, S6 in February, a bot).

describeDb("analytics: general stats, breakdowns, funnel, returning, compare", (ctx) => {
  it("general-stats: every figure of the March selection", async () => {
    await loadFixture(ctx.handle.db);
    expect(await getGeneralStats(ctx.handle.db, march())).toEqual({
      sessions: 5, // S1..S5 (S6 is in February, the Googlebot session was never stored)
      visitors: 3, // v1 (S1,S2), v2 (S3,S5), v3 (S4)
      conversions: 2, // S1 and S3 have paid orders
      conversion_rate: 40, // 2/5
      orders: 3, // o1 + o2 + o3 (o3 placed in April still counts; refunded o1r and pending o4 do not)
      revenue: 350.5, // 100 + 200.50 + 50
      net_revenue: 350.5,
      margin: 0, // no order has a known cost and DEFAULT_MARGIN_PCT is unset
      orders_without_cost: 3, // o1, o2, o3: all 3 paid orders lack a cost
      aov: 116.83, // 350.5/3 = 116.833…
      revenue_per_session: 70.1, // 350.5/5
      new_sessions: 3, // S1, S3, S4
      returning_sessions: 2, // S2 (v1 after S1), S5 (v2 after S3)
      bounce_rate: 40, // S2 (1 event) and S4 (0 events): 2/5
      avg_page_views: 1.6, // (3+1+2+0+2)/5
    });
  });

  it("general-stats: zero denominators give 0, filters narrow, (none) matches unset", async () => {
    await loadFixture(ctx.handle.db);
    const empty = await getGeneralStats(ctx.handle.db, march({ utm_source: "nowhere" }));
    expect(empty).toEqual({
      sessions: 0, visitors: 0, conversions: 0, conversion_rate: 0, orders: 0, revenue: 0, net_revenue: 0,
      margin: 0, orders_without_cost: 0, // no orders → no margin, no uncosted orders
      aov: 0, revenue_per_session: 0, new_sessions: 0, returning_sessions: 0, bounce_rate: 0, avg_page_views: 0,
    });
    // utm_content=(none): S4 (direct, unset) and S5 (google/summer, no content) → 2 sessions, 2 visitors.
    const none = await getGeneralStats(ctx.handle.db, march({ utm_content: "(none)" }));
    expect([none.sessions, none.visitors, none.avg_page_views]).toEqual([2, 2, 1]); // pv (0+2)/2
    // country=(none): S4 only.
    expect((await getGeneralStats(ctx.handle.db, march({ country: "(none)" }))).sessions).toBe(1);
    // utm_source=google & device=desktop: S1, S5 → orders 1, revenue 100.
    const g = await getGeneralStats(ctx.handle.db, march({ utm_source: "google", device: "desktop" }));
    expect([g.sessions, g.orders, g.revenue, g.conversion_rate]).toEqual([2, 1, 100, 50]);
  });

  it("sources breakdown: rows sorted, total with distinct visitors (not a sum)", async () => {
    await loadFixture(ctx.handle.db);
    const b = await getBreakdown(ctx.handle.db, march(), "sources");
    // margin 0 everywhere (no known cost, DEFAULT_MARGIN_PCT unset); orders_without_cost = each row's paid orders.
    expect(b.rows).toEqual([
      // google: S1,S2,S5; visitors v1,v2; S1 converted with 100.
      { key: "google", sessions: 3, visitors: 2, conversions: 1, conversion_rate: 33.33, orders: 1, revenue: 100, net_revenue: 100, margin: 0, orders_without_cost: 1, aov: 100, revenue_per_session: 33.33 },
      // ties at 1 session sort by key, byte order: "(direct)" before "facebook".
      { key: "(direct)", sessions: 1, visitors: 1, conversions: 0, conversion_rate: 0, orders: 0, revenue: 0, net_revenue: 0, margin: 0, orders_without_cost: 0, aov: 0, revenue_per_session: 0 },
      // facebook: S3 with o2 200.50 + o3 50 → aov 250.5/2 = 125.25.
      { key: "facebook", sessions: 1, visitors: 1, conversions: 1, conversion_rate: 100, orders: 2, revenue: 250.5, net_revenue: 250.5, margin: 0, orders_without_cost: 2, aov: 125.25, revenue_per_session: 250.5 },
    ]);
    // Visitors: 3 distinct (v2 is under google and facebook), not 2+1+1 = 4.
    // Total orders_without_cost: 1 + 0 + 2 = 3 (all paid orders; margin 0).
    expect(b.total).toEqual({ key: "total", sessions: 5, visitors: 3, conversions: 2, conversion_rate: 40, orders: 3, revenue: 350.5, net_revenue: 350.5, margin: 0, orders_without_cost: 3, aov: 116.83, revenue_per_session: 70.1 });
  });

  it("geo, devices, campaigns, content, browsers, operating-systems breakdowns", async () => {
    await loadFixture(ctx.handle.db);
    const db = ctx.handle.db;
    const geo = await getBreakdown(db, march(), "geo");
    // PL: S3,S5 (v2) orders 2 rev 250.5; UA: S1,S2 (v1) orders 1 rev 100; (none): S4. PL/UA tie at 2 → key order.
    expect(geo.rows.map((r) => [r.key, r.name, r.sessions, r.visitors, r.orders, r.revenue])).toEqual([
      ["PL", "Poland", 2, 1, 2, 250.5],
      ["UA", "Ukraine", 2, 1, 1, 100],
      ["(none)", "Unknown", 1, 1, 0, 0],
    ]);
    expect(Object.keys(geo.rows[0]).slice(0, 3)).toEqual(["key", "name", "sessions"]);
    // devices: desktop S1,S4,S5 (v1,v3,v2 → 3 visitors, 1 conversion of 3 → 33.33), mobile S2,S3 (v1,v2).
    expect((await getBreakdown(db, march(), "devices")).rows.map((r) => [r.key, r.sessions, r.visitors, r.conversion_rate])).toEqual([
      ["desktop", 3, 3, 33.33],
      ["mobile", 2, 2, 50],
    ]);
    // campaigns: spring S1,S2,S3 (v1,v2; conv 2; rev 350.5); (none) S4; summer S5.
    expect((await getBreakdown(db, march(), "campaigns")).rows.map((r) => [r.key, r.sessions, r.visitors, r.revenue])).toEqual([
      ["spring", 3, 2, 350.5],
      ["(none)", 1, 1, 0],
      ["summer", 1, 1, 0],
    ]);
    // content: a S1,S3; (none) S4,S5; b S2 → a/(none) tie at 2: "(none)" < "a".
    expect((await getBreakdown(db, march(), "content")).rows.map((r) => [r.key, r.sessions])).toEqual([
      ["(none)", 2],
      ["a", 2],
      ["b", 1],
    ]);
    // browsers: Chrome S1,S3,S5; Firefox S4; Safari S2.
    expect((await getBreakdown(db, march(), "browsers")).rows.map((r) => [r.key, r.sessions])).toEqual([
      ["Chrome", 3],
      ["Firefox", 1],
      ["Safari", 1],
    ]);
    // os: Windows S1,S5; Android S3; Linux S4; iOS S2 (byte order: upper case before lower).
    expect((await getBreakdown(db, march(), "operating-systems")).rows.map((r) => [r.key, r.sessions])).toEqual([
      ["Windows", 2],
      ["Android", 1],
      ["Linux", 1],
      ["iOS", 1],
    ]);
    // The total follows the filter: country=PL → S3,S5, one visitor.
    const pl = await getBreakdown(db, march({ country: "PL" }), "sources");
    expect([pl.total.sessions, pl.total.visitors, pl.total.revenue]).toEqual([2, 1, 250.5]);
  });

  it("funnel: a later step counts for earlier ones, purchase = converted", async () => {
    await loadFixture(ctx.handle.db);
    expect(await getFunnel(ctx.handle.db, march())).toEqual({
      steps: [
        { step: "sessions", sessions: 5, rate_from_start: 100, rate_from_previous: 100 },
        // product_view or later: S1 (checkout), S3 (product_view), S5 (add_to_cart) = 3
        { step: "product_view", sessions: 3, rate_from_start: 60, rate_from_previous: 60 },
        // add_to_cart or later: S1, S5, and S3 (converted) = 3
        { step: "add_to_cart", sessions: 3, rate_from_start: 60, rate_from_previous: 100 },
        // checkout_start or later: S1, S3 (converted) = 2 → 2/3 = 66.67
        { step: "checkout_start", sessions: 2, rate_from_start: 40, rate_from_previous: 66.67 },
        { step: "purchase", sessions: 2, rate_from_start: 40, rate_from_previous: 100 },
      ],
    });
    const none = await getFunnel(ctx.handle.db, march({ utm_source: "nowhere" }));
    // No sessions: every rate 0, the first step's rate_from_previous too.
    expect(none.steps.map((s) => [s.sessions, s.rate_from_start, s.rate_from_previous])).toEqual([
      [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0],
    ]);
  });

  it("returning-visitors", async () => {
    await loadFixture(ctx.handle.db);
    expect(await getReturningVisitors(ctx.handle.db, march())).toEqual({
      // new: S1, S3, S4 — conversions S1, S3 → 2/3 = 66.67; revenue 100 + 250.5
      new: { sessions: 3, conversions: 2, conversion_rate: 66.67, revenue: 350.5 },
      returning: { sessions: 2, conversions: 0, conversion_rate: 0, revenue: 0 },
      returning_share: 40, // 2/5
    });
    const empty = await getReturningVisitors(ctx.handle.db, march({ country: "DE" }));
    expect(empty.returning_share).toBe(0);
  });

  it("compare: default previous range, changes from unrounded values, null against 0", async () => {
    await loadFixture(ctx.handle.db);
    // March has 31 days → previous = the 31 days before: 2026-01-29 .. 2026-02-28 (holds S6 only).
    expect(previousRange({ start: "2026-03-01", end: "2026-03-31" })).toEqual({ start: "2026-01-29", end: "2026-02-28" });
    const c = await getCompare(ctx.handle.db, march());
    expect(c.previous.start_date).toBe("2026-01-29");
    expect(c.previous.stats).toMatchObject({ sessions: 1, visitors: 1, orders: 1, revenue: 999, conversion_rate: 100, bounce_rate: 100, avg_page_views: 1, returning_sessions: 0 });
    expect(c.change).toEqual({
      sessions: 400, // (5-1)/1
      visitors: 200, // (3-1)/1
      conversions: 100, // (2-1)/1
      conversion_rate: -60, // (40-100)/100
      orders: 200, // (3-1)/1
      revenue: -64.91, // (350.5-999)/999 = -64.9149…
      net_revenue: -64.91,
      margin: null, // previous margin 0 (no known cost) → null against 0
      orders_without_cost: 200, // (3-1)/1: every paid order is uncosted in both ranges
      aov: -88.3, // (116.8333…-999)/999 = -88.3049… (from the unrounded aov)
      revenue_per_session: -92.98, // (70.1-999)/999 = -92.9829…
      new_sessions: 200, // (3-1)/1
      returning_sessions: null, // previous 0
      bounce_rate: -60, // (40-100)/100
      avg_page_views: 60, // (1.6-1)/1
    });
    // Explicit previous range: 2026-02-28 .. 2026-02-28 gives the same S6.
    const e = await getCompare(ctx.handle.db, march(), { previous: { start: "2026-02-28", end: "2026-02-28" } });
    expect([e.previous.start_date, e.previous.end_date, e.previous.stats.revenue, e.change.sessions]).toEqual(["2026-02-28", "2026-02-28", 999, 400]);
  });
});
