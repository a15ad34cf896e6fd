import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { computeAttribution, getAttribution, getAttributionCompare, ATTRIBUTION_MODELS, type AttributionCompare } from "@/lib/analytics/attribution";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { getRepeatRate } from "@/lib/analytics/repeat-rate";
import type { ReadPath } from "@/lib/analytics/rollups";
import { rows, type Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { eraseVisitor } from "@/lib/ingest/erase";
import { ingestOrders } from "@/lib/ingest/orders";
import { describeDb } from "../helpers/db";
import { sid } from "../helpers/ingest";

/**
 * Landing touchpoints (SPEC 17.1 "Without a pixel", lib/ingest/landing-touchpoints.ts), by hand.
 * Orders are placed in March 2026 (UTC, default 30-day window); the reports read March. Every
 * assertion is checked on both paths attribution has: the statement over the range ("raw") and
 * the day cells ("cells"), which must follow every write.
 */

const NOW = new Date("2026-04-15T12:00:00Z");
const MARCH = parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31" }, { tz: "UTC", now: NOW });
const marchWith = (f: Record<string, string>) => parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31", ...f }, { tz: "UTC", now: NOW });
const PATHS: ReadPath[] = ["raw", "cells"];
const LANDING_XY = "https://shop.example/?utm_source=x&utm_campaign=y";

/** key → [conversions, revenue] per model. */
function table(c: AttributionCompare) {
  return Object.fromEntries(c.rows.map((r) => [r.key, Object.fromEntries(ATTRIBUTION_MODELS.map((m) => [m, [r.results[m].conversions, r.results[m].revenue]]))]));
}
const all = (conv: number, rev: number) => Object.fromEntries(ATTRIBUTION_MODELS.map((m) => [m, [conv, rev]]));

async function credit(db: Db, dimension: "utm_source" | "utm_campaign" | "utm_medium" | "referrer" | "landing_page" | "channel", q = MARCH) {
  const out = [];
  for (const path of PATHS) out.push(table(await getAttributionCompare(db, q, dimension, { path })));
  expect(out[1]).toEqual(out[0]); // cells answer what the range statement answers
  return out[0];
}
async function unattributed(db: Db) {
  const out = [];
  for (const path of PATHS) out.push((await computeAttribution(db, MARCH, "utm_source", { path })).unattributed);
  expect(out[1]).toEqual(out[0]);
  return out[0];
}
const touchpoints = (db: Db) =>
  rows<Record<string, string | null>>(
    db,
    sql`select order_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as occurred_at, landing_url, referrer,
               landing_page, referrer_host, utm_source, utm_medium, utm_campaign, utm_content, utm_term, country, device, browser, os, channel
        from order_touchpoints order by order_id`,
  );

describeDb("landing touchpoints (SPEC 17.1 without a pixel)", (ctx) => {
  it("an order with no visitor or session but a tagged landing URL: answer, attribution, acquisition; no session figure moves", async () => {
    const db = ctx.handle.db;
    // One ordinary session in March (direct, another visitor) so the session figures are not all zero.
    await ingestBatch(db, { sessions: [{ id: sid(1), visitor_id: "v-other", started_at: "2026-03-02T09:00:00Z", landing_url: "https://shop.example/" }] });
    const statsBefore = await getGeneralStats(db, MARCH, { path: "raw" });

    const got = await ingestOrders(db, { order_id: "t1", customer_id: "cx", total: 120, placed_at: "2026-03-15T12:00:00Z", landing_url: LANDING_XY });
    expect(got).toEqual({ orders: [{ order_id: "t1", session_id: null, utm_source: "x", created: true }] });
    expect(await touchpoints(db)).toEqual([
      {
        order_id: "t1", occurred_at: "2026-03-15T12:00:00", landing_url: LANDING_XY, referrer: null, landing_page: "/", referrer_host: "(none)",
        utm_source: "x", utm_medium: "(none)", utm_campaign: "y", utm_content: "(none)", utm_term: "(none)",
        country: "(none)", device: "other", browser: "(none)", os: "(none)",
        // SPEC 17.4: `x` is a social network's source name (X, formerly Twitter), no paid medium → Organic Social.
        channel: "Organic Social",
      },
    ]);

    // Attribution: the touchpoint is the order's only one → weight 1 in every model: x / y get 1 and 120.
    expect(await credit(db, "utm_source")).toEqual({ x: all(1, 120) });
    expect(await credit(db, "utm_campaign")).toEqual({ y: all(1, 120) });
    expect(await credit(db, "landing_page")).toEqual({ "/": all(1, 120) });
    expect(await credit(db, "channel")).toEqual({ "Organic Social": all(1, 120) });
    expect(await unattributed(db)).toEqual({ orders: 0, revenue: 0 });
    // Filters apply to it: utm_source=x keeps it, utm_source=google leaves nothing.
    for (const path of PATHS) {
      const kept = await getAttribution(db, marchWith({ utm_source: "x" }), "linear", "utm_campaign", { path });
      expect([kept.rows, kept.total]).toEqual([[{ key: "y", conversions: 1, revenue: 120, share: 100 }], { conversions: 1, revenue: 120 }]);
      const none = await getAttribution(db, marchWith({ utm_source: "google" }), "linear", "utm_source", { path });
      expect([none.rows, none.total, none.unattributed]).toEqual([[], { conversions: 0, revenue: 0 }, { orders: 0, revenue: 0 }]);
    }

    // Acquisition: the customer's first order has no session but this touchpoint → source x.
    // SPEC 18: the one order has no known cost and DEFAULT_MARGIN_PCT is unset → margin 0, margin_ltv 0/1 = 0, 1 order without cost.
    expect(await getLtvComparison(db, MARCH)).toEqual([
      { utm_source: "x", customers: 1, orders: 1, revenue: 120, net_revenue: 120, margin: 0, margin_ltv: 0, orders_without_cost: 1, ltv: 120, aov: 120, orders_per_customer: 1, repeat_rate: 0 },
    ]);
    const [cust] = await rows<Record<string, string | null>>(db, sql`select utm_source, utm_campaign, channel, acquisition_session_id from customers`);
    expect(cust).toEqual({ utm_source: "x", utm_campaign: "y", channel: "Organic Social", acquisition_session_id: null });
    expect((await getRepeatRate(db, marchWith({ utm_source: "x" }))).total_customers).toBe(1);
    expect((await getRepeatRate(db, marchWith({ utm_source: "(none)" }))).total_customers).toBe(0);

    // Not a session: general stats as before (1 session, 1 visitor, no order), no x row in sources.
    for (const path of PATHS) {
      expect(await getGeneralStats(db, MARCH, { path })).toEqual(statsBefore);
      const sources = await getBreakdown(db, MARCH, "sources", { path });
      expect(sources.rows.map((r) => [r.key, r.sessions, r.orders])).toEqual([["(direct)", 1, 0]]);
    }
    expect([statsBefore.sessions, statsBefore.visitors, statsBefore.orders, statsBefore.conversions]).toEqual([1, 1, 0, 0]);

    // Re-sent (an update): still x in the answer, no second touchpoint, nothing moves.
    const again = await ingestOrders(db, { order_id: "t1", customer_id: "cx", total: 120, placed_at: "2026-03-15T12:00:00Z", landing_url: LANDING_XY });
    expect(again.orders).toEqual([{ order_id: "t1", session_id: null, utm_source: "x", created: false }]);
    expect((await touchpoints(db)).length).toBe(1);
    expect(await credit(db, "utm_source")).toEqual({ x: all(1, 120) });
  });

  it("a visitor with a session in the window: the session wins, no touchpoint is stored", async () => {
    const db = ctx.handle.db;
    await ingestBatch(db, { sessions: [{ id: sid(2), visitor_id: "v2", started_at: "2026-03-13T12:00:00Z", landing_url: "https://shop.example/?utm_source=google&utm_medium=cpc" }] });
    const got = await ingestOrders(db, { order_id: "s1", visitor_id: "v2", total: 80, placed_at: "2026-03-15T12:00:00Z", landing_url: LANDING_XY });
    expect(got.orders).toEqual([{ order_id: "s1", session_id: sid(2), utm_source: "google", created: true }]);
    expect(await touchpoints(db)).toEqual([]);
    expect(await credit(db, "utm_source")).toEqual({ google: all(1, 80) });
    const [cust] = await rows<{ utm_source: string }>(db, sql`select utm_source from customers`);
    expect(cust.utm_source).toBe("google");
  });

  it("a session backfilled later inside the window takes the credit from the touchpoint (raw and cells)", async () => {
    const db = ctx.handle.db;
    await ingestOrders(db, { order_id: "b1", visitor_id: "v3", total: 60, placed_at: "2026-03-15T12:00:00Z", landing_url: LANDING_XY });
    expect(await credit(db, "utm_source")).toEqual({ x: all(1, 60) }); // cells of 15 March now cached
    // v3's bing session 7 days before the order arrives: sessions win in every model.
    await ingestBatch(db, { sessions: [{ id: sid(3), visitor_id: "v3", started_at: "2026-03-08T12:00:00Z", landing_url: "https://shop.example/?utm_source=bing" }] });
    expect(await credit(db, "utm_source")).toEqual({ bing: all(1, 60) });
    // Acquisition stays as first stored (like the order's 3.3 session): x.
    const [cust] = await rows<{ utm_source: string }>(db, sql`select utm_source from customers`);
    expect(cust.utm_source).toBe("x");
    // A session outside the window (31 days before) would not have: a second order shows it.
    await ingestOrders(db, { order_id: "b2", visitor_id: "v4", total: 10, placed_at: "2026-03-20T12:00:00Z", landing_url: LANDING_XY });
    await ingestBatch(db, { sessions: [{ id: sid(4), visitor_id: "v4", started_at: "2026-02-17T12:00:00Z", landing_url: "https://shop.example/?utm_source=tiktok" }] });
    expect(await credit(db, "utm_source")).toEqual({ bing: all(1, 60), x: all(1, 10) });
  });

  it("a landing URL with only a gclid: google / cpc, Paid Search, the click id kept", async () => {
    const db = ctx.handle.db;
    const got = await ingestOrders(db, { order_id: "g1", total: 90, placed_at: "2026-03-03T10:00:00Z", landing_url: "https://shop.example/shoes?gclid=abc" });
    expect(got.orders[0].utm_source).toBe("google");
    const [t] = await rows<Record<string, unknown>>(db, sql`select utm_source, utm_medium, channel, landing_page, click_ids from order_touchpoints`);
    expect(t).toEqual({ utm_source: "google", utm_medium: "cpc", channel: "Paid Search", landing_page: "/shoes", click_ids: { gclid: "abc" } });
    expect(await credit(db, "channel")).toEqual({ "Paid Search": all(1, 90) });
  });

  it("a referrer only: classified like a session's (facebook, referral); none at all: unattributed", async () => {
    const db = ctx.handle.db;
    // A session that came from the same referrer, for comparison: the touchpoint reads the same.
    await ingestBatch(db, { sessions: [{ id: sid(9), visitor_id: "v9", started_at: "2026-01-01T00:00:00Z", landing_url: "https://shop.example/", referrer: "https://www.facebook.com/" }] });
    const [fromSession] = await rows<{ utm_source: string; utm_medium: string; channel: string }>(db, sql`select utm_source, utm_medium, channel from sessions`);
    expect(fromSession).toEqual({ utm_source: "facebook", utm_medium: "referral", channel: "Organic Social" });
    const got = await ingestOrders(db, [
      { order_id: "r1", customer_id: "cr", total: 50, placed_at: "2026-03-10T08:00:00Z", referrer: "https://www.facebook.com/" },
      { order_id: "n1", customer_id: "cn", total: 7, placed_at: "2026-03-10T09:00:00Z" },
    ]);
    expect(got.orders).toEqual([
      { order_id: "r1", session_id: null, utm_source: "facebook", created: true },
      { order_id: "n1", session_id: null, utm_source: null, created: true },
    ]);
    const [t] = await touchpoints(db);
    expect([t.order_id, t.utm_source, t.utm_medium, t.channel, t.referrer_host, t.landing_page, t.landing_url, t.referrer]).toEqual([
      "r1", "facebook", "referral", "Organic Social", "facebook.com", "(none)", null, "https://www.facebook.com/",
    ]);
    expect(await credit(db, "channel")).toEqual({ "Organic Social": all(1, 50) });
    expect(await credit(db, "utm_medium")).toEqual({ referral: all(1, 50) });
    expect(await credit(db, "referrer")).toEqual({ "facebook.com": all(1, 50) });
    // n1 has neither: unattributed (7); r1 is not.
    expect(await unattributed(db)).toEqual({ orders: 1, revenue: 7 });
    const custs = await rows<{ customer_id: string; utm_source: string }>(db, sql`select customer_id, utm_source from customers order by customer_id`);
    expect(custs).toEqual([{ customer_id: "cn", utm_source: "(none)" }, { customer_id: "cr", utm_source: "facebook" }]);
    // A landing URL sent only on a later update does not make one (fixed when first stored).
    await ingestOrders(db, { order_id: "n1", customer_id: "cn", total: 7, placed_at: "2026-03-10T09:00:00Z", landing_url: LANDING_XY });
    expect((await touchpoints(db)).map((r) => r.order_id)).toEqual(["r1"]);
  });

  it("batch orders get touchpoints too; a refund, a deleted order and a dimension edit each move the cells", async () => {
    const db = ctx.handle.db;
    await ingestBatch(db, {
      orders: [
        { order_id: "k1", total: 40, placed_at: "2026-03-05T10:00:00Z", landing_url: "https://shop.example/sale?utm_source=email&utm_medium=newsletter" },
        { order_id: "k2", total: 30, placed_at: "2026-03-05T11:00:00Z", landing_url: LANDING_XY },
      ],
    });
    expect(await credit(db, "utm_source")).toEqual({ email: all(1, 40), x: all(1, 30) });
    // k2 refunded: only email is left.
    await ingestOrders(db, { order_id: "k2", total: 30, placed_at: "2026-03-05T11:00:00Z", status: "refunded" });
    expect(await credit(db, "utm_source")).toEqual({ email: all(1, 40) });
    // A touchpoint's dimension edited in place marks its hour (migration 0008): the cells follow.
    const marks = async () => (await rows<{ w: number }>(db, sql`select coalesce(sum(weight), 0)::int as w from order_changes`))[0].w;
    const before = await marks();
    await db.execute(sql`update order_touchpoints set utm_source = 'newsletter' where order_id = 'k1'`);
    expect(await marks()).toBe(before + 1);
    expect(await credit(db, "utm_source")).toEqual({ newsletter: all(1, 40) });
    // The order deleted: its touchpoint goes with it (cascade).
    await db.execute(sql`delete from orders where order_id = 'k1'`);
    expect((await touchpoints(db)).map((r) => r.order_id)).toEqual(["k2"]);
    expect(await credit(db, "utm_source")).toEqual({});
  });

  it("erasure clears the touchpoint's URLs and click ids and the order's URLs, and keeps its dimensions and credit", async () => {
    const db = ctx.handle.db;
    const url = "https://shop.example/p?utm_source=x&utm_campaign=y&email=a@b.example&gclid=G1";
    await ingestOrders(db, { order_id: "e1", visitor_id: "v5", total: 25, placed_at: "2026-03-12T12:00:00Z", landing_url: url, referrer: "https://news.example/a?u=1" });
    expect(await credit(db, "utm_source")).toEqual({ x: all(1, 25) });
    const clickIds = async () => (await rows<{ c: unknown }>(db, sql`select click_ids as c from order_touchpoints`))[0].c;
    expect(await clickIds()).toEqual({ gclid: "G1" });
    expect((await eraseVisitor(db, "v5")).orders).toBe(1);
    expect(await clickIds()).toBeNull();
    const [t] = await touchpoints(db);
    expect([t.landing_url, t.referrer, t.utm_source, t.utm_campaign, t.landing_page, t.referrer_host]).toEqual([null, null, "x", "y", "/p", "news.example"]);
    const [o] = await rows<{ landing_url: string | null; referrer: string | null }>(db, sql`select landing_url, referrer from orders`);
    expect(o).toEqual({ landing_url: null, referrer: null });
    expect(await credit(db, "utm_source")).toEqual({ x: all(1, 25) });
    const [cust] = await rows<{ utm_source: string }>(db, sql`select utm_source from customers`);
    expect(cust.utm_source).toBe("x");
  });
});
