import { expect, it } from "vitest";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { describeDb } from "../helpers/db";
import { load, loadMainFixture, MAIN_NOW, MAIN_RANGE, uid } from "../fixtures/seed-v3.fixture";

const q = (extra: Record<string, string> = {}) => parseAnalyticsQuery({ ...MAIN_RANGE, ...extra }, { now: MAIN_NOW, tz: "UTC" });

describeDb("LTV by acquisition source", (ctx) => {
  it("customers acquired in the range, lifetime paid orders only, sorted by ltv", async () => {
    await loadMainFixture(ctx.handle.db);
    // First orders in 2025-01-06..19: c1 (google), c2 (unattributed → "(none)"), c3 (google).
    // c4 (first order 01-02) and c5 (01-20) are outside; c6 never paid.
    // google: c1 100+50+30 = 180 (3 orders, the 02-03 one after the range counts), c3 80+20+40 = 140
    //   → customers 2, orders 6, revenue 320, ltv 160, aov 320/6 = 53.33, 3 orders each, both repeat.
    // (none): c2 200 only (refunded 70 and pending 90 left out) → ltv 200, aov 200, 1 order, 0 % repeat.
    // No order has lines with costs: margin 0, every order without cost (SPEC 18).
    expect(await getLtvComparison(ctx.handle.db, q())).toEqual([
      { utm_source: "(none)", customers: 1, orders: 1, revenue: 200, net_revenue: 200, margin: 0, margin_ltv: 0, orders_without_cost: 1, ltv: 200, aov: 200, orders_per_customer: 1, repeat_rate: 0 },
      { utm_source: "google", customers: 2, orders: 6, revenue: 320, net_revenue: 320, margin: 0, margin_ltv: 0, orders_without_cost: 6, ltv: 160, aov: 53.33, orders_per_customer: 3, repeat_rate: 100 },
    ]);
  });

  it("ties on ltv go to more customers, then to the source name", async () => {
    await loadMainFixture(ctx.handle.db);
    // bing: one customer of 160 (ties google's 160 with fewer customers → after google);
    // yahoo: one customer of 200 (ties "(none)" with as many customers → "(none)" < "yahoo").
    await load(
      ctx.handle.db,
      [
        { id: uid(301), visitor_id: "b7", started_at: "2025-01-09T10:00:00Z", utm_source: "bing" },
        { id: uid(302), visitor_id: "y8", started_at: "2025-01-11T10:00:00Z", utm_source: "yahoo" },
      ],
      [
        { order_id: "o7", customer_id: "c7", session_id: uid(301), total: 160, placed_at: "2025-01-09T10:05:00Z" },
        { order_id: "o8", customer_id: "c8", session_id: uid(302), total: 200, placed_at: "2025-01-11T10:05:00Z" },
      ],
    );
    const got = await getLtvComparison(ctx.handle.db, q());
    expect(got.map((r) => [r.utm_source, r.ltv, r.customers])).toEqual([
      ["(none)", 200, 1],
      ["yahoo", 200, 1],
      ["google", 160, 2],
      ["bing", 160, 1],
    ]);
  });

  it("filters on the acquisition session's dimensions", async () => {
    await loadMainFixture(ctx.handle.db);
    // PL: only c3's acquisition session S3 → 3 orders, 140; ltv 140, aov 46.67, repeat 100 %.
    expect(await getLtvComparison(ctx.handle.db, q({ country: "PL" }))).toEqual([
      { utm_source: "google", customers: 1, orders: 3, revenue: 140, net_revenue: 140, margin: 0, margin_ltv: 0, orders_without_cost: 3, ltv: 140, aov: 46.67, orders_per_customer: 3, repeat_rate: 100 },
    ]);
    // An unattributed customer reads "(none)" in every dimension.
    const none = await getLtvComparison(ctx.handle.db, q({ device: "(none)" }));
    expect(none.map((r) => [r.utm_source, r.customers, r.revenue])).toEqual([["(none)", 1, 200]]);
    expect(await getLtvComparison(ctx.handle.db, q({ utm_source: "nowhere" }))).toEqual([]);
  });

  it("no customers: an empty array", async () => {
    expect(await getLtvComparison(ctx.handle.db, q())).toEqual([]);
  });
});
