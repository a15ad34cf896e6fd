import { expect, it } from "vitest";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getCompare } from "@/lib/analytics/compare";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery, queryToParams, type AnalyticsQuery } from "@/lib/analytics/params";
import { getRoi } from "@/lib/analytics/roi";
import { getTimeseries } from "@/lib/analytics/timeseries";
import { exportCsv } from "@/lib/analytics/export-csv";
import type { Db } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { ingestOrders } from "@/lib/ingest/orders";
import { ingestRefunds } from "@/lib/ingest/refunds";
import { describeDb } from "../helpers/db";

/**
 * SPEC 17.5 net revenue, by hand. March 2026, UTC:
 *   S1 v1 google   2026-03-02  o1 100 paid; o4 30 pending
 *   S2 v2 facebook 2026-03-05  o2 200 paid
 *   S3 v3 google   2026-02-20  o3 50 paid (its session started before the range)
 * Refunds: r1 o1 20 on 03-10; r2 o1 5 on 04-05 (after the range); r3 o2 50 on 03-20;
 *          r4 o3 10 on 03-15; r5 o4 10 on 03-12 (pending order: counts nowhere).
 * Accrual (the range's orders, refunds whenever dated): revenue 100 + 200 = 300,
 *   refunds 20 + 5 + 50 = 75 → net 225; google 100 − 25 = 75, facebook 200 − 50 = 150.
 * Cash (refunds dated in March): 20 + 50 + 10 = 80 → net 300 − 80 = 220; google 100 − (20 + 10) = 70,
 *   facebook 150.
 */

const NOW = new Date("2026-04-15T12:00:00Z");
const sid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const q = (extra: Record<string, string> = {}): AnalyticsQuery =>
  parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31", ...extra }, { tz: "UTC", now: NOW });

async function load(db: Db) {
  const s = (n: number, visitor: string, at: string, utmSource: string) => ({
    id: sid(n),
    visitorId: visitor,
    startedAt: new Date(at),
    lastEventAt: new Date(at),
    utmSource,
  });
  await db.insert(sessions).values([
    s(1, "v1", "2026-03-02T10:00:00Z", "google"),
    s(2, "v2", "2026-03-05T10:00:00Z", "facebook"),
    s(3, "v3", "2026-02-20T10:00:00Z", "google"),
  ]);
  await ingestOrders(db, [
    { order_id: "o1", session_id: sid(1), total: 100, placed_at: "2026-03-02T10:05:00Z" },
    { order_id: "o4", session_id: sid(1), total: 30, status: "pending", placed_at: "2026-03-02T10:06:00Z" },
    { order_id: "o2", session_id: sid(2), total: 200, placed_at: "2026-03-05T10:05:00Z" },
    { order_id: "o3", session_id: sid(3), total: 50, placed_at: "2026-02-20T10:05:00Z" },
  ]);
  await ingestRefunds(db, [
    { order_id: "o1", refund_id: "r1", amount: 20, refunded_at: "2026-03-10T12:00:00Z" },
    { order_id: "o1", refund_id: "r2", amount: 5, refunded_at: "2026-04-05T12:00:00Z" },
    { order_id: "o2", refund_id: "r3", amount: 50, refunded_at: "2026-03-20T12:00:00Z" },
    { order_id: "o3", refund_id: "r4", amount: 10, refunded_at: "2026-03-15T12:00:00Z" },
    { order_id: "o4", refund_id: "r5", amount: 10, refunded_at: "2026-03-12T12:00:00Z" },
  ]);
}

describeDb("net revenue: accrual and cash (SPEC 17.5)", (ctx) => {
  const db = () => ctx.handle.db;

  it("general-stats and compare: revenue unchanged, net on both bases, raw and day cells alike", async () => {
    await load(db());
    for (const path of ["raw", "cells"] as const) {
      const accrual = await getGeneralStats(db(), q(), { path });
      expect([accrual.revenue, accrual.net_revenue]).toEqual([300, 225]);
      const cash = await getGeneralStats(db(), q({ basis: "cash" }), { path });
      expect([cash.revenue, cash.net_revenue]).toEqual([300, 220]);
    }
    // Compare: the previous 31 days (29 Jan – 28 Feb) hold S3: revenue 50, its refund r4 10 → net 40
    // (accrual); cash: refunds dated in February, none → 50. Change of net (225 − 40)/40 = 462.5 %.
    const c = await getCompare(db(), q());
    expect([c.previous.stats.revenue, c.previous.stats.net_revenue, c.change.net_revenue]).toEqual([50, 40, 462.5]);
    const cc = await getCompare(db(), q({ basis: "cash" }));
    expect([cc.current.stats.net_revenue, cc.previous.stats.net_revenue]).toEqual([220, 50]);
  });

  it("a breakdown's rows and total", async () => {
    await load(db());
    for (const path of ["raw", "cells"] as const) {
      const b = await getBreakdown(db(), q(), "sources", { path });
      expect(b.rows.map((r) => [r.key, r.revenue, r.net_revenue])).toEqual([
        ["facebook", 200, 150],
        ["google", 100, 75],
      ]);
      expect([b.total.revenue, b.total.net_revenue]).toEqual([300, 225]);
      const cash = await getBreakdown(db(), q({ basis: "cash" }), "sources", { path });
      expect(cash.rows.map((r) => [r.key, r.revenue, r.net_revenue])).toEqual([
        ["facebook", 200, 150],
        ["google", 100, 70], // r1 20 of S1 and r4 10 of S3 (a google session of February)
      ]);
      expect([cash.total.revenue, cash.total.net_revenue]).toEqual([300, 220]);
    }
    // A filter narrows the refunds too: google only → accrual 75, cash 70.
    expect((await getGeneralStats(db(), q({ utm_source: "google" }))).net_revenue).toBe(75);
    expect((await getGeneralStats(db(), q({ utm_source: "google", basis: "cash" }))).net_revenue).toBe(70);
  });

  it("timeseries points: accrual by the session's day, cash by the refund's day", async () => {
    await load(db());
    const pick = (points: { date: string; revenue: number; net_revenue: number }[], dates: string[]) =>
      points.filter((p) => dates.includes(p.date)).map((p) => [p.date, p.revenue, p.net_revenue]);
    const days = ["2026-03-02", "2026-03-05", "2026-03-10", "2026-03-15", "2026-03-20"];
    for (const path of ["raw", "cells"] as const) {
      const accrual = await getTimeseries(db(), q(), { path });
      expect(pick(accrual.points, days)).toEqual([
        ["2026-03-02", 100, 75], // S1: 100 − (20 + 5)
        ["2026-03-05", 200, 150], // S2: 200 − 50
        ["2026-03-10", 0, 0],
        ["2026-03-15", 0, 0],
        ["2026-03-20", 0, 0],
      ]);
      const cash = await getTimeseries(db(), q({ basis: "cash" }), { path });
      expect(pick(cash.points, days)).toEqual([
        ["2026-03-02", 100, 100],
        ["2026-03-05", 200, 200],
        ["2026-03-10", 0, -20], // r1
        ["2026-03-15", 0, -10], // r4
        ["2026-03-20", 0, -50], // r3
      ]);
      // Σ cash net over the points = 300 − 80 = 220, the general figure.
      expect(cash.points.reduce((a, p) => a + p.net_revenue, 0)).toBe(220);
    }
    // Weeks: cash refunds go to their week's Monday (9, 16 Mar).
    const weeks = await getTimeseries(db(), q({ basis: "cash" }), { interval: "week" });
    expect(weeks.points.map((p) => [p.date, p.net_revenue])).toEqual([
      ["2026-02-23", 0],
      ["2026-03-02", 300],
      ["2026-03-09", -30], // r1 20 (10 Mar) + r4 10 (15 Mar)
      ["2026-03-16", -50],
      ["2026-03-23", 0],
      ["2026-03-30", 0],
    ]);
  });

  it("roi rows and total, ltv-comparison (accrual only), export-csv columns", async () => {
    await load(db());
    const roi = await getRoi(db(), q());
    expect(roi.rows.map((r) => [r.utm_source, r.revenue, r.net_revenue])).toEqual([
      ["facebook", 200, 150],
      ["google", 100, 75],
    ]);
    expect(roi.total.net_revenue).toBe(225);
    const roiCash = await getRoi(db(), q({ basis: "cash" }));
    expect(roiCash.rows.map((r) => [r.utm_source, r.net_revenue])).toEqual([
      ["facebook", 150],
      ["google", 70],
    ]);
    expect(roiCash.total.net_revenue).toBe(220);
    // Customers first buying in March: visitor:v1 (google, 100 − 25), visitor:v2 (facebook, 200 − 50).
    const ltv = await getLtvComparison(db(), q());
    expect(ltv.map((r) => [r.utm_source, r.revenue, r.net_revenue])).toEqual([
      ["facebook", 200, 150],
      ["google", 100, 75],
    ]);
    await expect(getLtvComparison(db(), q({ basis: "cash" }))).rejects.toMatchObject({ code: "invalid_input", issues: [{ path: "basis" }] });
    const csv = await exportCsv(db(), q({ basis: "cash" }), new URLSearchParams("report=sources"));
    expect((csv.body as string).split("\r\n").slice(0, 3)).toEqual([
      // margin 0 and 1 order without cost each: the fixture's orders carry no costs (SPEC 18).
      "key,sessions,visitors,conversions,conversion_rate,orders,revenue,net_revenue,margin,orders_without_cost,aov,revenue_per_session",
      "facebook,1,1,1,100,1,200,150,0,1,200,200",
      "google,1,1,1,100,1,100,70,0,1,100,100",
    ]);
  });

  it("basis is parsed (400 naming it) and kept in deep links", () => {
    expect(q().basis).toBeUndefined();
    expect(q({ basis: "accrual" }).basis).toBeUndefined();
    expect(q({ basis: "cash" }).basis).toBe("cash");
    expect(() => q({ basis: "weekly" })).toThrow(expect.objectContaining({ issues: [{ path: "basis", message: "must be one of accrual, cash" }] }));
    expect(queryToParams(q({ basis: "cash" })).get("basis")).toBe("cash");
    expect(queryToParams(q()).has("basis")).toBe(false);
  });
});
