import { expect, it } from "vitest";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { getRepeatRate } from "@/lib/analytics/repeat-rate";
import { describeDb } from "../helpers/db";
import { load, loadMainFixture, MAIN_NOW, MAIN_RANGE } from "../fixtures/seed-v3.fixture";

const q = (extra: Record<string, string> = {}, tz = "UTC") => parseAnalyticsQuery({ ...MAIN_RANGE, ...extra }, { now: MAIN_NOW, tz });

describeDb("repeat purchase rate", (ctx) => {
  it("customers with a paid order in the range; their orders and gaps up to the range end", async () => {
    await loadMainFixture(ctx.handle.db);
    // Paid orders placed 2025-01-06..19: c1 (01-07, 01-15), c2 (01-10), c3 (01-14, 01-16), c4 (01-08).
    // Up to the range end (2025-01-20 00:00Z): c1 2 orders (02-03 is later), c2 1 (refund and
    // pending excluded), c3 2 (01-27 later), c4 2 (01-02 before the range counts).
    // Repeat customers c1, c3, c4 → 3/4 = 75 %; orders (2+1+2+2)/4 = 1.75.
    // Gaps: c1 01-07 10:00 → 01-15 16:00 = 8 d 6 h = 8.25 d; c3 01-14 09:00 → 01-16 21:00 = 2.5 d;
    // c4 01-02 12:00 → 01-08 00:00 = 5.5 d; mean (8.25 + 2.5 + 5.5)/3 = 5.4167 → 5.42.
    expect(await getRepeatRate(ctx.handle.db, q())).toEqual({
      total_customers: 4,
      repeat_customers: 3,
      repeat_rate: 75,
      avg_orders_per_customer: 1.75,
      avg_days_between_orders: 5.42,
    });
  });

  it("filters customers by acquisition session", async () => {
    await loadMainFixture(ctx.handle.db);
    // google-acquired: c1 and c3 → both repeat; gaps (8.25 + 2.5)/2 = 5.375 → 5.38.
    expect(await getRepeatRate(ctx.handle.db, q({ utm_source: "google" }))).toEqual({
      total_customers: 2,
      repeat_customers: 2,
      repeat_rate: 100,
      avg_orders_per_customer: 2,
      avg_days_between_orders: 5.38,
    });
    // Unattributed: c2 alone, one order, no gap.
    expect(await getRepeatRate(ctx.handle.db, q({ utm_source: "(none)" }))).toEqual({
      total_customers: 1,
      repeat_customers: 0,
      repeat_rate: 0,
      avg_orders_per_customer: 1,
      avg_days_between_orders: 0,
    });
  });

  it("a wider range takes later orders and gaps", async () => {
    await loadMainFixture(ctx.handle.db);
    // 2025-01-06..2025-02-28: c1..c5. Orders to the end: c1 3, c2 1, c3 3, c4 2, c5 1 → 10/5 = 2.
    // Repeat: c1, c3, c4 → 60 %. Gaps: c1 8.25 and 01-15 16:00 → 02-03 10:00 = 18 d 18 h = 18.75;
    // c3 2.5 and 01-16 21:00 → 01-27 09:00 = 10.5; c4 5.5 → (8.25+18.75+2.5+10.5+5.5)/5 = 45.5/5 = 9.1.
    expect(await getRepeatRate(ctx.handle.db, q({ start_date: "2025-01-06", end_date: "2025-02-28" }))).toEqual({
      total_customers: 5,
      repeat_customers: 3,
      repeat_rate: 60,
      avg_orders_per_customer: 2,
      avg_days_between_orders: 9.1,
    });
  });

  it("elapsed days are exact across a DST change; the range edge follows the time zone", async () => {
    // Kyiv moves to summer time on 2025-03-30. Orders 2025-03-29 12:00Z and 2025-03-31 00:00Z are
    // 36 h = 1.5 days apart whatever the clocks say. The second customer's only order at
    // 2025-03-31 21:30Z is 00:30 on April 1 in Kyiv (UTC+3), outside a range ending March 31.
    await load(
      ctx.handle.db,
      [],
      [
        { order_id: "d1", customer_id: "d", total: 10, placed_at: "2025-03-29T12:00:00Z" },
        { order_id: "d2", customer_id: "d", total: 10, placed_at: "2025-03-31T00:00:00Z" },
        { order_id: "x1", customer_id: "x", total: 10, placed_at: "2025-03-31T21:30:00Z" },
      ],
    );
    const range = { start_date: "2025-03-25", end_date: "2025-03-31" };
    expect(await getRepeatRate(ctx.handle.db, q(range, "Europe/Kyiv"))).toEqual({
      total_customers: 1,
      repeat_customers: 1,
      repeat_rate: 100,
      avg_orders_per_customer: 2,
      avg_days_between_orders: 1.5,
    });
    // In UTC the 21:30Z order is on March 31: 2 customers, 3 orders → 1.5 each, 50 % repeat.
    expect(await getRepeatRate(ctx.handle.db, q(range, "UTC"))).toMatchObject({ total_customers: 2, repeat_rate: 50, avg_orders_per_customer: 1.5 });
  });

  it("no customers: zeros, not NaN", async () => {
    expect(await getRepeatRate(ctx.handle.db, q())).toEqual({
      total_customers: 0,
      repeat_customers: 0,
      repeat_rate: 0,
      avg_orders_per_customer: 0,
      avg_days_between_orders: 0,
    });
  });
});
