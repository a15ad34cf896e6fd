import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { computeAttribution } from "@/lib/analytics/attribution";
import { getCohortAnalysis } from "@/lib/analytics/cohort";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { getRepeatRate } from "@/lib/analytics/repeat-rate";
import { rows, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ingestBatch } from "@/lib/ingest/batch";
import { ingestOrders } from "@/lib/ingest/orders";
import { getAwaitingRate, storeRates } from "@/lib/ingest/rates";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";
import { sid } from "../helpers/ingest";

/**
 * SPEC 17.5: orders in any currency, converted to APP_CURRENCY (UAH here) at the rate of their
 * day; with no rate the order waits and counts nowhere, and counts once its rate is stored: in
 * the raw reports and through the day cells (the orders' and sessions' change marks).
 *
 * Fixture (UTC days): visitor v1 arrives by google/cpc (session 1) and visitor v2 by
 * facebook/social (session 2) on 2026-03-10 09:00; o-uah = 1,000.00 UAH from v2 and o-usd =
 * 120.00 USD from v1, both 2026-03-10 10:00.
 */

const NOW = new Date("2026-04-15T12:00:00Z");
const MARCH = { start_date: "2026-03-01", end_date: "2026-03-31" };

async function seed(db: Db) {
  await ingestBatch(db, {
    sessions: [
      { id: sid(1), visitor_id: "v1", started_at: "2026-03-10T09:00:00Z", landing_url: "https://shop.example/?utm_source=google&utm_medium=cpc" },
      { id: sid(2), visitor_id: "v2", started_at: "2026-03-10T09:00:00Z", landing_url: "https://shop.example/?utm_source=facebook&utm_medium=social" },
    ],
    events: [],
    orders: [
      { order_id: "o-uah", visitor_id: "v2", total: 1000, currency: "UAH", placed_at: "2026-03-10T10:00:00Z" },
      { order_id: "o-usd", visitor_id: "v1", total: 120, currency: "USD", placed_at: "2026-03-10T10:00:00Z" },
    ],
  });
}

const order = async (db: Db, id: string) =>
  (
    await rows<{ total: number | null; currency: string; total_original: number; fx_rate: number | null }>(
      db,
      sql`select total::float8 as total, currency, total_original::float8 as total_original, fx_rate::float8 as fx_rate from orders where order_id = ${id}`,
    )
  )[0];

const stats = async (db: Db, path: "raw" | "cells") => {
  const s = await getGeneralStats(db, parseAnalyticsQuery(MARCH, { now: NOW }), { path });
  return { orders: s.orders, revenue: s.revenue, conversions: s.conversions };
};

const facts = (db: Db) =>
  rows<{ id: string; paid_orders: number; revenue: number }>(db, sql`select id::text, paid_orders, revenue::float8 as revenue from sessions order by id`);
const customers = (db: Db) =>
  rows<{ customer_id: string; paid_orders: number; revenue: number }>(db, sql`select customer_id, paid_orders, revenue::float8 as revenue from customers order by customer_id`);

/** Σ last-non-direct revenue over the keys + unattributed (every counted order exactly once). */
const attributed = async (db: Db, path: "raw" | "cells") => {
  const a = await computeAttribution(db, parseAnalyticsQuery(MARCH, { now: NOW }), "utm_source", { path });
  return Math.round((a.keys.reduce((s, k) => s + k.last_non_direct.revenue, 0) + a.unattributed.revenue) * 100) / 100;
};

describeDb("orders in any currency (SPEC 17.5)", (ctx) => {
  let restore: () => void;
  beforeAll(() => {
    restore = overrideConfig({ APP_CURRENCY: "UAH", APP_TIMEZONE: "UTC" });
  });
  afterAll(() => restore());

  it("a USD order with no rate counts nowhere and is shown awaiting; storing the rate makes it count (raw and day cells)", async () => {
    const db = ctx.handle.db;
    await seed(db);
    expect(await order(db, "o-usd")).toEqual({ total: null, currency: "USD", total_original: 120, fx_rate: null });
    expect(await order(db, "o-uah")).toEqual({ total: 1000, currency: "UAH", total_original: 1000, fx_rate: 1 });
    // Only o-uah counts: 1 order, 1,000.00, 1 conversion; the cells are computed now (cached).
    expect(await stats(db, "raw")).toEqual({ orders: 1, revenue: 1000, conversions: 1 });
    expect(await stats(db, "cells")).toEqual({ orders: 1, revenue: 1000, conversions: 1 });
    expect(await attributed(db, "raw")).toBe(1000);
    expect(await attributed(db, "cells")).toBe(1000);
    expect(await facts(db)).toEqual([
      { id: sid(1), paid_orders: 0, revenue: 0 },
      { id: sid(2), paid_orders: 1, revenue: 1000 },
    ]);
    expect(await customers(db)).toEqual([{ customer_id: "visitor:v2", paid_orders: 1, revenue: 1000 }]);
    expect(await getAwaitingRate(db)).toEqual({ orders: 1, by_currency: { USD: { orders: 1, amount: 120 } } });
    const repeat = await getRepeatRate(db, parseAnalyticsQuery(MARCH, { now: NOW }));
    expect(repeat.total_customers).toBe(1);

    // The day's rate: 120 × 41.2345 = 4,948.14 UAH.
    expect(await storeRates(db, [{ date: "2026-03-10", currency: "USD", rate: 41.2345 }], "api")).toEqual({
      rates: 1, added: 1, updated: 0, orders_converted: 1, orders_awaiting: 0,
    });
    expect(await order(db, "o-usd")).toEqual({ total: 4948.14, currency: "USD", total_original: 120, fx_rate: 41.2345 });
    // Revenue grows by exactly 4,948.14: 1,000 + 4,948.14 = 5,948.14; 2 orders, 2 conversions; the
    // cached cells of 2026-03-10 were marked stale by the writes and say the same.
    expect(await stats(db, "raw")).toEqual({ orders: 2, revenue: 5948.14, conversions: 2 });
    expect(await stats(db, "cells")).toEqual({ orders: 2, revenue: 5948.14, conversions: 2 });
    expect(await attributed(db, "raw")).toBe(5948.14);
    expect(await attributed(db, "cells")).toBe(5948.14);
    expect(await facts(db)).toEqual([
      { id: sid(1), paid_orders: 1, revenue: 4948.14 },
      { id: sid(2), paid_orders: 1, revenue: 1000 },
    ]);
    expect(await customers(db)).toEqual([
      { customer_id: "visitor:v1", paid_orders: 1, revenue: 4948.14 },
      { customer_id: "visitor:v2", paid_orders: 1, revenue: 1000 },
    ]);
    expect(await getAwaitingRate(db)).toEqual({ orders: 0, by_currency: {} });
    // Cohort of March: both customers, revenue 5,948.14 in its first month.
    const cohort = await getCohortAnalysis(db, parseAnalyticsQuery(MARCH, { now: NOW }), { cohortType: "month", metric: "revenue", periods: 1 });
    expect([cohort.sizes, cohort.matrix[0][0]]).toEqual([[2], 5948.14]);

    // A corrected rate re-converts: 120 × 41.5 = 4,980.00; revenue 1,000 + 4,980 = 5,980.00.
    expect(await storeRates(db, [{ date: "2026-03-10", currency: "USD", rate: 41.5 }], "api")).toMatchObject({ added: 0, updated: 1, orders_converted: 1 });
    expect(await stats(db, "cells")).toEqual({ orders: 2, revenue: 5980, conversions: 2 });
    // The same rate again changes no order.
    expect(await storeRates(db, [{ date: "2026-03-10", currency: "USD", rate: 41.5 }], "api")).toMatchObject({ updated: 1, orders_converted: 0 });
  });

  it("a day without its own rate takes the latest earlier one within 7 days; 8 days back is too old; the day's own rate replaces it", async () => {
    const db = ctx.handle.db;
    await storeRates(db, [{ date: "2026-03-10", currency: "EUR", rate: 45 }], "api");
    await ingestOrders(db, [
      { order_id: "e-same", customer_id: "c1", total: 10, currency: "EUR", placed_at: "2026-03-10T23:59:59Z" },
      { order_id: "e-7", customer_id: "c2", total: 10, currency: "EUR", placed_at: "2026-03-17T00:00:00Z" },
      { order_id: "e-8", customer_id: "c3", total: 10, currency: "EUR", placed_at: "2026-03-18T00:00:00Z" },
      { order_id: "e-before", customer_id: "c4", total: 10, currency: "EUR", placed_at: "2026-03-09T23:59:59Z" },
    ]);
    // 10 × 45 = 450 on the day and 7 days later; 8 days later and the day before: no rate.
    expect((await order(db, "e-same")).total).toBe(450);
    expect((await order(db, "e-7")).total).toBe(450);
    expect((await order(db, "e-8")).total).toBeNull();
    expect((await order(db, "e-before")).total).toBeNull();
    expect(await getAwaitingRate(db)).toEqual({ orders: 2, by_currency: { EUR: { orders: 2, amount: 20 } } });
    // A rate of 03-15 (46): e-7 (03-17) now takes it, e-8 (03-18) too; e-same keeps 03-10's.
    // 10 × 46 = 460. e-before still waits.
    expect(await storeRates(db, [{ date: "2026-03-15", currency: "EUR", rate: 46 }], "file")).toMatchObject({ orders_converted: 2, orders_awaiting: 1 });
    expect([(await order(db, "e-same")).total, (await order(db, "e-7")).total, (await order(db, "e-8")).total]).toEqual([450, 460, 460]);
    // Its own day's rate (47) replaces the fallback for e-7 only: 470.
    expect(await storeRates(db, [{ date: "2026-03-17", currency: "EUR", rate: 47 }], "api")).toMatchObject({ orders_converted: 2 });
    // e-8 (03-18) also moved: its latest earlier rate is now 03-17's.
    expect([(await order(db, "e-7")).total, (await order(db, "e-8")).total]).toEqual([470, 470]);
  });

  it("the day is APP_TIMEZONE's: 2026-03-10T22:30Z is 2026-03-11 in Kyiv", async () => {
    const db = ctx.handle.db;
    const undo = overrideConfig({ APP_TIMEZONE: "Europe/Kyiv" });
    try {
      await storeRates(db, [
        { date: "2026-03-10", currency: "USD", rate: 40 },
        { date: "2026-03-11", currency: "USD", rate: 41 },
      ], "api");
      await ingestOrders(db, { order_id: "k1", customer_id: "c1", total: 2, currency: "USD", placed_at: "2026-03-10T22:30:00Z" });
      // 2 × 41 = 82 (the Kyiv day 03-11), not 2 × 40.
      expect((await order(db, "k1")).total).toBe(82);
    } finally {
      undo();
    }
  });

  it("currency: any ISO 4217 code (case-insensitive), none = APP_CURRENCY, unknown → 400 naming currency; an update re-converts", async () => {
    const db = ctx.handle.db;
    await storeRates(db, [{ date: "2026-03-10", currency: "PLN", rate: 10.5 }], "api");
    await ingestOrders(db, [
      { order_id: "p1", customer_id: "c1", total: 3, currency: " pln ", placed_at: "2026-03-10T12:00:00Z" },
      { order_id: "n1", customer_id: "c2", total: 7.5, placed_at: "2026-03-10T12:00:00Z" },
    ]);
    // 3 × 10.5 = 31.50; no currency: UAH at 1.
    expect(await order(db, "p1")).toEqual({ total: 31.5, currency: "PLN", total_original: 3, fx_rate: 10.5 });
    expect(await order(db, "n1")).toEqual({ total: 7.5, currency: "UAH", total_original: 7.5, fx_rate: 1 });
    for (const bad of ["ZZZ", "US", "usdollar", 840, "U\u0000D"]) {
      const err = await ingestOrders(db, { order_id: "x", total: 1, currency: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).issues?.map((i) => i.path)).toEqual(["currency"]);
    }
    // Re-sent in another currency: stored as sent and converted again (3 UAH = 3.00).
    await ingestOrders(db, { order_id: "p1", customer_id: "c1", total: 3, currency: "UAH", placed_at: "2026-03-10T12:00:00Z" });
    expect(await order(db, "p1")).toEqual({ total: 3, currency: "UAH", total_original: 3, fx_rate: 1 });
    // A pending order waits too but is not "awaiting" (it would not count anyway).
    await ingestOrders(db, { order_id: "q1", customer_id: "c3", total: 5, currency: "CHF", status: "pending", placed_at: "2026-03-10T12:00:00Z" });
    expect(await getAwaitingRate(db)).toEqual({ orders: 0, by_currency: {} });
  });
});
