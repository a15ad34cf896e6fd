import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getCohortAnalysis } from "@/lib/analytics/cohort";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { getRoi } from "@/lib/analytics/roi";
import type { Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { ingestOrders } from "@/lib/ingest/orders";
import { eraseVisitor } from "@/lib/ingest/erase";
import { ingestRefunds } from "@/lib/ingest/refunds";
import { importProductCosts, parseProductCostsCsv } from "@/lib/profit/product-costs";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";

/*
 * Contribution margin (SPEC 18, docs/money.md), by hand. Settings PAYMENT_FEE_PCT=2,
 * PAYMENT_FEE_FIXED=1 (fee = total × 2 % + 1). Range 2026-03-02 .. 2026-03-11 (10 days: long enough
 * for the day cells), UTC.
 *   o1  S1 google/spring    c1  total 100  items 2 × sku A, own cost 15  → COGS 30, fee 3
 *   o2  S2 facebook/spring  c2  total 200  items 1 × sku B, no cost      → uncosted, fee 5
 *   o3  S3 (direct)         c3  total  50  no items                      → uncosted, fee 2
 * margin = o1: 100 − 30 − 0 shipping − 3 = 67; orders_without_cost 2.
 * Late refund of o1, 20 → o1's margin 80 − 30 − 3 = 47.
 * Late cost: sku B costs 120 → o2: 200 − 120 − 5 = 75 → margin 47 + 75 = 122, 1 without cost.
 * DEFAULT_MARGIN_PCT=40 → o3's COGS = 50 × 60 % = 30: 50 − 30 − 2 = 18 → 140 (still 1 without cost).
 * Erasing visitor v1 keeps every figure.
 */
const NOW = new Date("2026-03-12T12:00:00Z");
const q = (extra: Record<string, string> = {}) => parseAnalyticsQuery({ start_date: "2026-03-02", end_date: "2026-03-11", ...extra }, { now: NOW, tz: "UTC" });
const uid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

async function load(db: Db) {
  await db.execute(sql`delete from product_costs`);
  await ingestBatch(db, {
    sessions: [
      { id: uid(1), visitor_id: "v1", started_at: "2026-03-02T10:00:00Z", utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" },
      { id: uid(2), visitor_id: "v2", started_at: "2026-03-03T10:00:00Z", utm_source: "facebook", utm_medium: "paid_social", utm_campaign: "spring" },
      { id: uid(3), visitor_id: "v3", started_at: "2026-03-04T10:00:00Z" },
    ],
    events: [],
    orders: [
      { order_id: "o1", customer_id: "c1", session_id: uid(1), total: 100, placed_at: "2026-03-02T10:30:00Z", items: [{ sku: "A", quantity: 2, price: 50, cost: 15 }] },
      { order_id: "o2", customer_id: "c2", session_id: uid(2), total: 200, placed_at: "2026-03-03T10:30:00Z", items: [{ sku: "B", quantity: 1, price: 200 }] },
      { order_id: "o3", customer_id: "c3", session_id: uid(3), total: 50, placed_at: "2026-03-04T10:30:00Z" },
    ],
  });
  await upsertAdSpend(
    db,
    parseAdSpendRows([
      { date: "2026-03-02", utm_source: "google", utm_campaign: "spring", amount: 50 },
      { date: "2026-03-03", utm_source: "facebook", utm_campaign: "spring", amount: 100 },
    ]),
  );
}

/** Margin and orders without cost of the selection, through the day cells and through the raw scan: they must agree. */
async function both(db: Db) {
  const cells = await getGeneralStats(db, q(), { path: "cells" });
  const raw = await getGeneralStats(db, q(), { path: "raw" });
  expect({ margin: cells.margin, without: cells.orders_without_cost }).toEqual({ margin: raw.margin, without: raw.orders_without_cost });
  return { margin: cells.margin, without: cells.orders_without_cost, net: cells.net_revenue };
}

describeDb("money: contribution margin, poas, ncac", (ctx) => {
  it("margin stays exact through the day cells under a late refund, a late cost, DEFAULT_MARGIN_PCT and erasure", async () => {
    const restore = overrideConfig({ PAYMENT_FEE_PCT: "2", PAYMENT_FEE_FIXED: "1" });
    try {
      const db = ctx.handle.db;
      await load(db);
      expect(await both(db)).toEqual({ margin: 67, without: 2, net: 350 });

      await ingestRefunds(db, { refund_id: "r1", order_id: "o1", amount: 20, refunded_at: "2026-03-10T09:00:00Z" });
      expect(await both(db)).toEqual({ margin: 47, without: 2, net: 330 });

      const imported = await importProductCosts(db, parseProductCostsCsv("sku,cost\nB,120\nZ,1\n"));
      expect(imported).toEqual({ skus: 2, added: 2, replaced: 0, orders_recosted: 1 });
      expect(await both(db)).toEqual({ margin: 122, without: 1, net: 330 });

      const pct = overrideConfig({ PAYMENT_FEE_PCT: "2", PAYMENT_FEE_FIXED: "1", DEFAULT_MARGIN_PCT: "40" });
      try {
        expect(await both(db)).toEqual({ margin: 140, without: 1, net: 330 });
      } finally {
        pct();
      }

      await eraseVisitor(db, "v1");
      expect(await both(db)).toEqual({ margin: 122, without: 1, net: 330 });

      // Breakdown rows carry it too: google 47 (0 without cost), facebook 75, (direct) 0 with 1 without cost.
      const src = await getBreakdown(db, q(), "sources", { path: "cells" });
      expect(src.rows.map((r) => [r.key, r.margin, r.orders_without_cost])).toEqual([
        ["(direct)", 0, 1],
        ["facebook", 75, 0],
        ["google", 47, 0],
      ]);
    } finally {
      restore();
    }
  });

  it("shipping_cost sent with an order (API or batch) lowers its margin, through the cells too", async () => {
    const restore = overrideConfig({ PAYMENT_FEE_PCT: "2", PAYMENT_FEE_FIXED: "1" });
    try {
      const db = ctx.handle.db;
      await load(db);
      // o1 re-sent with what its shipping cost the shop: 100 − 30 COGS − 8 shipping − 3 fee = 59; o2, o3 still without cost.
      await ingestOrders(db, { order_id: "o1", customer_id: "c1", session_id: uid(1), total: 100, placed_at: "2026-03-02T10:30:00Z", shipping_cost: 8 });
      expect(await both(db)).toEqual({ margin: 59, without: 2, net: 350 });
      // Sent again without it: the stored shipping cost is kept (like every optional amount).
      await ingestOrders(db, { order_id: "o1", customer_id: "c1", session_id: uid(1), total: 100, placed_at: "2026-03-02T10:30:00Z" });
      expect(await both(db)).toEqual({ margin: 59, without: 2, net: 350 });
      // Through the batch: 5.5 → 100 − 30 − 5.5 − 3 = 61.5.
      await ingestBatch(db, { orders: [{ order_id: "o1", customer_id: "c1", session_id: uid(1), total: 100, placed_at: "2026-03-02T10:30:00Z", shipping_cost: 5.5 }] });
      expect(await both(db)).toEqual({ margin: 61.5, without: 2, net: 350 });
      // A negative or non-numeric cost is refused naming the field.
      await expect(ingestOrders(db, { order_id: "o9", total: 10, shipping_cost: -1 })).rejects.toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ path: "shipping_cost" })] });
      await expect(ingestOrders(db, { order_id: "o9", total: 10, shipping_cost: "free" })).rejects.toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ path: "shipping_cost" })] });
    } finally {
      restore();
    }
  });

  it("ROI: poas = margin / spend, ncac = spend / new customers; the total's over the rows with spend", async () => {
    const restore = overrideConfig({ PAYMENT_FEE_PCT: "2", PAYMENT_FEE_FIXED: "1" });
    try {
      const db = ctx.handle.db;
      await load(db);
      await ingestRefunds(db, { refund_id: "r1", order_id: "o1", amount: 20, refunded_at: "2026-03-10T09:00:00Z" });
      await importProductCosts(db, [{ sku: "B", cost: 120 }]);
      for (const path of ["cells", "raw"] as const) {
        const r = await getRoi(db, q(), { path });
        const pick = (x: (typeof r.rows)[number]) => [x.utm_source, x.spend, x.margin, x.poas, x.new_customers, x.ncac, x.orders_without_cost];
        expect(r.rows.map(pick), path).toEqual([
          // facebook/spring: margin 75 / spend 100 = 0.75; 1 new customer → ncac 100
          ["facebook", 100, 75, 0.75, 1, 100, 0],
          // google/spring: 47 / 50 = 0.94; ncac 50
          ["google", 50, 47, 0.94, 1, 50, 0],
          // (direct): no spend → poas null (divisor 0); ncac 0 / 1 new customer = 0; o3 has no cost
          ["(direct)", 0, 0, null, 1, 0, 1],
        ]);
        // total: margin 122 of the selection; paid poas (47 + 75) / 150 = 0.8133 → 0.81; paid ncac 150 / 2 = 75
        expect(r.total, path).toMatchObject({ margin: 122, orders_without_cost: 1, poas: 0.81, new_customers: 3, ncac: 75 });
      }
    } finally {
      restore();
    }
  });

  it("LTV and cohorts on margin: margin LTV, payback on margin, orders without cost", async () => {
    const restore = overrideConfig({ PAYMENT_FEE_PCT: "2", PAYMENT_FEE_FIXED: "1" });
    try {
      const db = ctx.handle.db;
      await load(db);
      await ingestRefunds(db, { refund_id: "r1", order_id: "o1", amount: 20, refunded_at: "2026-03-10T09:00:00Z" });
      await importProductCosts(db, [{ sku: "B", cost: 120 }]);
      const ltv = await getLtvComparison(db, q());
      // google: c1 margin 47 / 1 customer; facebook: c2 75; (direct): c3 uncosted → 0, 1 without cost
      expect(ltv.map((r) => [r.utm_source, r.margin, r.margin_ltv, r.orders_without_cost])).toEqual([
        ["facebook", 75, 75, 0],
        ["google", 47, 47, 0],
        ["(direct)", 0, 0, 1],
      ]);
      // One weekly cohort (Mon 2026-03-02), 3 customers, spend in its week 150.
      // margin LTV k0 = (47 + 75 + 0) / 3 = 40.67; poas k0 = 122 / 150 = 0.8133 → 0.81.
      const m = await getCohortAnalysis(db, q(), { cohortType: "week", metric: "margin", periods: 2 });
      expect(m).toMatchObject({ cohorts: ["2026-03-02"], sizes: [3], matrix: [[40.67, 40.67]], orders_without_cost: 1 });
      const p = await getCohortAnalysis(db, q(), { cohortType: "week", metric: "poas", periods: 1 });
      expect(p.matrix).toEqual([[0.81]]);
      // basis=paid: c1 and c2 only (pairs with spend): margin 122 / 150 → 0.81, size 2.
      const paid = await getCohortAnalysis(db, q(), { cohortType: "week", metric: "poas", periods: 1, basis: "paid" });
      expect(paid).toMatchObject({ sizes: [2], matrix: [[0.81]], orders_without_cost: 0 });
    } finally {
      restore();
    }
  });

  it("the sku,cost CSV: header required, bad rows named, a decimal comma, the last line of a sku wins", () => {
    expect(parseProductCostsCsv("\uFEFFSKU, Cost\nA,\"12,5\"\nB,3\nA,13\n")).toEqual([
      { sku: "A", cost: 13 },
      { sku: "B", cost: 3 },
    ]);
    const issue = (text: string) => {
      try {
        parseProductCostsCsv(text);
        return "no error";
      } catch (e) {
        return (e as { issues?: { path: string }[]; message: string }).issues?.[0]?.path ?? (e as Error).message;
      }
    };
    expect(issue("sku,price\nA,1")).toMatch(/columns sku, cost/);
    expect(issue("sku,cost\nA,-1")).toBe("[0].cost");
    expect(issue("sku,cost\nA,1.234")).toBe("[0].cost");
    expect(issue("sku,cost\n,1")).toBe("[0].sku");
    expect(issue("sku,cost\nA\u0000,1")).toBe("[0].sku");
    expect(issue(`sku,cost\n${"x".repeat(201)},1`)).toBe("[0].sku");
    expect(issue("sku,cost\n")).toMatch(/no rows/);
  });
});
