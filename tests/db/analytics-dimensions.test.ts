import { describe, expect, it } from "vitest";
import { ingestBatch } from "@/lib/ingest/batch";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { previousYearRange, resolveCompareRange, sameDateLastYear } from "@/lib/analytics/compare";
import { getEvents } from "@/lib/analytics/events";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { defaultInterval, getTimeseries } from "@/lib/analytics/timeseries";
import { AppError } from "@/lib/errors";
import type { Db } from "@/lib/db/client";
import { describeDb } from "../helpers/db";

/**
 * SPEC 12 dimensions, filters and reports on a small fixture of its own (March 2026, UTC):
 *
 *  id  visitor started (UTC)   source/medium     term   landing path  referrer host   device   events                          orders
 *  A1  v1      03-02 10:00     google/cpc        shoes  /shoes        google.com      desktop  pv×2, newsletter_signup, a2c    o1 100 paid (c1)
 *  A2  v1      03-02 11:30     facebook/paid     -      /bags         m.facebook.com  mobile   pv×1, newsletter_signup×2       o3 70 pending (c3)
 *  A3  v2      03-03 09:00     newsletter/email  -      /             (none)          mobile   pv×1, video_play                o2 50 paid (c2)
 *  A4  v3      03-04 23:30     bing/cpc          bags   /bags         bing.com        tablet   none                            -
 */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const A = { A1: id(101), A2: id(102), A3: id(103), A4: id(104) };
const NOW = new Date("2026-04-15T12:00:00Z");
const q = (extra: string, tz = "UTC") => parseAnalyticsQuery(new URLSearchParams(`start_date=2026-03-01&end_date=2026-03-31${extra ? `&${extra}` : ""}`), { tz, now: NOW });

let ev = 5000;
const e = (session: string, type: string, at: string, n = 1, name?: string) =>
  Array.from({ length: n }, (_, i) => ({ id: id(ev++), session_id: session, type, name, occurred_at: new Date(Date.parse(at) + i * 1000).toISOString() }));

async function load(db: Db) {
  const s = (sid: string, visitor: string, at: string, landing: string, referrer: string | undefined, dims: Record<string, string>) => ({
    id: sid,
    visitor_id: visitor,
    started_at: at,
    landing_url: `https://shop.example${landing}`,
    referrer,
    browser: "Chrome",
    os: "Windows",
    country: "UA",
    ...dims,
  });
  await ingestBatch(db, {
    sessions: [
      s(A.A1, "v1", "2026-03-02T10:00:00Z", "/shoes?utm_source=google", "https://www.google.com/search?q=shoes", { utm_source: "google", utm_medium: "cpc", utm_term: "shoes", device: "desktop" }),
      s(A.A2, "v1", "2026-03-02T11:30:00Z", "/bags", "https://m.facebook.com/", { utm_source: "facebook", utm_medium: "paid", device: "mobile" }),
      s(A.A3, "v2", "2026-03-03T09:00:00Z", "/", undefined, { utm_source: "newsletter", utm_medium: "email", device: "mobile" }),
      s(A.A4, "v3", "2026-03-04T23:30:00Z", "/bags", "https://www.bing.com/", { utm_source: "bing", utm_medium: "cpc", utm_term: "bags", device: "tablet" }),
    ],
    events: [
      ...e(A.A1, "page_view", "2026-03-02T10:00:00Z", 2),
      ...e(A.A1, "custom", "2026-03-02T10:01:00Z", 1, "newsletter_signup"),
      ...e(A.A1, "add_to_cart", "2026-03-02T10:02:00Z"),
      ...e(A.A2, "page_view", "2026-03-02T11:30:00Z"),
      ...e(A.A2, "custom", "2026-03-02T11:31:00Z", 2, "newsletter_signup"),
      ...e(A.A3, "page_view", "2026-03-03T09:00:00Z"),
      ...e(A.A3, "custom", "2026-03-03T09:01:00Z", 1, "video_play"),
    ],
    orders: [
      { order_id: "o1", session_id: A.A1, customer_id: "c1", total: 100, status: "paid", placed_at: "2026-03-02T10:10:00Z" },
      { order_id: "o2", session_id: A.A3, customer_id: "c2", total: 50, status: "paid", placed_at: "2026-03-03T09:10:00Z" },
      { order_id: "o3", session_id: A.A2, customer_id: "c3", total: 70, status: "pending", placed_at: "2026-03-02T11:40:00Z" },
    ],
  });
}

// SPEC 18: no order here has a known cost and DEFAULT_MARGIN_PCT is unset, so margin is 0 and
// `withoutCost` (orders_without_cost) is given by hand: the row's paid orders.
const row = (key: string, sessions: number, visitors: number, conversions: number, orders: number, revenue: number, withoutCost: number) => ({
  key,
  sessions,
  visitors,
  conversions,
  conversion_rate: sessions ? Math.round((conversions / sessions) * 10000) / 100 : 0,
  orders,
  revenue,
  net_revenue: revenue,
  margin: 0,
  orders_without_cost: withoutCost,
  aov: orders ? Math.round((revenue / orders) * 100) / 100 : 0,
  revenue_per_session: sessions ? Math.round((revenue / sessions) * 100) / 100 : 0,
});
// Whole selection: 4 sessions, 3 visitors, 2 converted (A1, A3), 2 paid orders, 150 revenue; o1 + o2 = 2 without cost.
const TOTAL = row("total", 4, 3, 2, 2, 150, 2);

function status400(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError && err.code === "invalid_input") return (err.issues ?? []).map((i) => i.path);
    throw err;
  }
  throw new Error("expected a 400");
}

describeDb("analytics: SPEC 12 breakdowns, filters, events, hourly series", (ctx) => {
  it("mediums: cpc 2 (A1 + A4), email 1, paid 1; total over the selection", async () => {
    await load(ctx.handle.db);
    expect(await getBreakdown(ctx.handle.db, q(""), "mediums")).toEqual({
      rows: [
        row("cpc", 2, 2, 1, 1, 100, 1), // A1 (v1, o1 100) + A4 (v3): cr 50, aov 100, rps 50; o1 uncosted
        row("email", 1, 1, 1, 1, 50, 1), // A3 (o2 50, uncosted)
        row("paid", 1, 1, 0, 0, 0, 0), // A2: its order is pending (not counted, so not uncosted either)
      ],
      total: TOTAL, // cr 2/4 = 50, aov 150/2 = 75, rps 150/4 = 37.5
    });
  });

  it("terms: (none) for unset, sorted by sessions then key", async () => {
    await load(ctx.handle.db);
    const b = await getBreakdown(ctx.handle.db, q(""), "terms");
    // (none): A2 + A3 (v1, v2), A3 converted with 50; then "bags" (A4) before "shoes" (A1).
    // orders_without_cost: o2 under (none), none under bags, o1 under shoes.
    expect(b.rows).toEqual([row("(none)", 2, 2, 1, 1, 50, 1), row("bags", 1, 1, 0, 0, 0, 0), row("shoes", 1, 1, 1, 1, 100, 1)]);
    expect(b.total).toEqual(TOTAL);
  });

  it("landing-pages: the landing URL's path without its query string", async () => {
    await load(ctx.handle.db);
    const b = await getBreakdown(ctx.handle.db, q(""), "landing-pages");
    // /bags: A2 + A4 (v1, v3), no paid order; "/" (A3) sorts before "/shoes" (A1).
    // orders_without_cost: none under /bags (o3 is pending), o2 under /, o1 under /shoes.
    expect(b.rows).toEqual([row("/bags", 2, 2, 0, 0, 0, 0), row("/", 1, 1, 1, 1, 50, 1), row("/shoes", 1, 1, 1, 1, 100, 1)]);
  });

  it("referrers: host without www., (none) without a referrer", async () => {
    await load(ctx.handle.db);
    const b = await getBreakdown(ctx.handle.db, q(""), "referrers");
    expect(b.rows.map((r) => [r.key, r.sessions, r.revenue])).toEqual([
      ["(none)", 1, 50], // A3
      ["bing.com", 1, 0], // A4, www. dropped
      ["google.com", 1, 100], // A1
      ["m.facebook.com", 1, 0], // A2: only www. is dropped
    ]);
  });

  it("filters: landing_page, referrer, several values (any), not_ values (exclude), dimensions AND", async () => {
    await load(ctx.handle.db);
    const sessions = async (extra: string) => (await getGeneralStats(ctx.handle.db, q(extra))).sessions;
    expect(await sessions("landing_page=/bags")).toBe(2); // A2, A4
    expect(await sessions("referrer=google.com")).toBe(1); // A1
    expect(await sessions("referrer=(none)")).toBe(1); // A3
    expect(await sessions("utm_source=google&utm_source=bing")).toBe(2); // A1, A4
    expect(await sessions("not_utm_source=google")).toBe(3); // A2, A3, A4
    expect(await sessions("not_device=mobile&not_device=tablet")).toBe(1); // A1
    expect(await sessions("utm_medium=cpc&not_utm_term=shoes")).toBe(1); // A4
    expect(await sessions("landing_page=/bags&not_referrer=bing.com")).toBe(1); // A2
    expect(await sessions("utm_source=google&utm_source=bing&device=desktop")).toBe(1); // A1
    expect(await sessions("utm_source=google&not_utm_source=google")).toBe(0);
    // Revenue of google or newsletter: A1 100 + A3 50.
    expect((await getGeneralStats(ctx.handle.db, q("utm_source=google&utm_source=newsletter"))).revenue).toBe(150);
    // A breakdown under a negated filter: mediums without mobile = cpc only (A1, A4).
    expect((await getBreakdown(ctx.handle.db, q("not_device=mobile"), "mediums")).rows.map((r) => [r.key, r.sessions])).toEqual([["cpc", 2]]);
  });

  it("customer reports filter by the acquisition session's landing page and referrer", async () => {
    await load(ctx.handle.db);
    // c1 was acquired by A1 (/shoes, google.com, 100); c2 by A3 (/, no referrer, 50); c3 has no paid order.
    const ltv = async (extra: string) => (await getLtvComparison(ctx.handle.db, q(extra))).map((r) => [r.utm_source, r.customers, r.revenue]);
    expect(await ltv("landing_page=/shoes")).toEqual([["google", 1, 100]]);
    expect(await ltv("referrer=(none)")).toEqual([["newsletter", 1, 50]]);
    expect(await ltv("not_landing_page=/shoes")).toEqual([["newsletter", 1, 50]]);
  });

  it("events: a row per built-in type and custom name, sorted by sessions, type, name", async () => {
    await load(ctx.handle.db);
    expect(await getEvents(ctx.handle.db, q(""))).toEqual({
      rows: [
        // page_view: 2 + 1 + 1 events in A1, A2, A3 (v1, v2); converted A1, A3: 2/3 = 66.67
        { type: "page_view", name: null, events: 4, sessions: 3, visitors: 2, conversion_rate: 66.67 },
        // newsletter_signup: 1 (A1) + 2 (A2), both v1; converted A1: 1/2
        { type: "custom", name: "newsletter_signup", events: 3, sessions: 2, visitors: 1, conversion_rate: 50 },
        { type: "add_to_cart", name: null, events: 1, sessions: 1, visitors: 1, conversion_rate: 100 }, // A1
        { type: "custom", name: "video_play", events: 1, sessions: 1, visitors: 1, conversion_rate: 100 }, // A3
      ],
    });
    // Mobile only (A2, A3): page_view 2 sessions, A3 converted: 50; newsletter (A2) 0; video_play (A3) 100.
    expect((await getEvents(ctx.handle.db, q("device=mobile"))).rows).toEqual([
      { type: "page_view", name: null, events: 2, sessions: 2, visitors: 2, conversion_rate: 50 },
      { type: "custom", name: "newsletter_signup", events: 2, sessions: 1, visitors: 1, conversion_rate: 0 },
      { type: "custom", name: "video_play", events: 1, sessions: 1, visitors: 1, conversion_rate: 100 },
    ]);
    expect(await getEvents(ctx.handle.db, q("utm_source=nobody"))).toEqual({ rows: [] });
  });

  it("interval=hour: one day in UTC gives 24 instants, zeros included", async () => {
    await load(ctx.handle.db);
    const day = parseAnalyticsQuery({ start_date: "2026-03-02", end_date: "2026-03-02" }, { tz: "UTC", now: NOW });
    const t = await getTimeseries(ctx.handle.db, day); // one day: hour by default
    expect(t.interval).toBe("hour");
    expect(t.points).toHaveLength(24);
    expect(t.points[0]).toEqual({ date: "2026-03-02T00:00:00.000Z", sessions: 0, visitors: 0, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 });
    expect(t.points[10]).toEqual({ date: "2026-03-02T10:00:00.000Z", sessions: 1, visitors: 1, conversions: 1, orders: 1, revenue: 100, net_revenue: 100 }); // A1
    expect(t.points[11]).toEqual({ date: "2026-03-02T11:00:00.000Z", sessions: 1, visitors: 1, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 }); // A2 at 11:30
    expect(t.points[23].date).toBe("2026-03-02T23:00:00.000Z");
    // Two days are allowed (48 hours); A4 at 03-04 23:30 is in neither.
    const two = await getTimeseries(ctx.handle.db, parseAnalyticsQuery({ start_date: "2026-03-02", end_date: "2026-03-03" }, { tz: "UTC", now: NOW }), { interval: "hour" });
    expect([two.points.length, two.points.reduce((a, p) => a + p.sessions, 0)]).toEqual([48, 3]); // A1, A2, A3
    // Three days are not.
    await expect(getTimeseries(ctx.handle.db, q(""), { interval: "hour" })).rejects.toMatchObject({ code: "invalid_input", issues: [{ path: "interval" }] });
  });

  it("interval=hour in Europe/Kyiv: local hour starts as UTC instants, 23 and 25 hours on DST days", async () => {
    await ingestBatch(ctx.handle.db, {
      sessions: [
        // 2026-03-29 05:30Z = 08:30 Kyiv (summer time, UTC+3, since 01:00Z that day).
        { id: id(201), visitor_id: "k1", started_at: "2026-03-29T05:30:00Z", utm_source: "google" },
        // 2026-10-25 21:30Z = 23:30 Kyiv (winter time, UTC+2, since 01:00Z that day): the day's last hour.
        { id: id(202), visitor_id: "k2", started_at: "2026-10-25T21:30:00Z", utm_source: "google" },
      ],
    });
    const tz = "Europe/Kyiv";
    const spring = await getTimeseries(ctx.handle.db, parseAnalyticsQuery({ period: "day" }, { tz, now: new Date("2026-03-29T12:00:00Z") }));
    // Local midnight 2026-03-28T22:00Z to the next 2026-03-29T21:00Z: 23 hours.
    expect([spring.interval, spring.points.length, spring.points[0].date, spring.points[22].date]).toEqual(["hour", 23, "2026-03-28T22:00:00.000Z", "2026-03-29T20:00:00.000Z"]);
    // 08:00 Kyiv = 05:00Z is the 8th bucket (00, 01, 02, then 04.. local after the jump: index 7).
    expect(spring.points.filter((p) => p.sessions > 0).map((p) => p.date)).toEqual(["2026-03-29T05:00:00.000Z"]);
    const autumn = await getTimeseries(ctx.handle.db, parseAnalyticsQuery({ period: "day" }, { tz, now: new Date("2026-10-25T12:00:00Z") }));
    // 2026-10-24T21:00Z to 2026-10-25T22:00Z: 25 hours; the session is in the last one (23:00 Kyiv = 21:00Z).
    expect([autumn.points.length, autumn.points[24]]).toEqual([25, { date: "2026-10-25T21:00:00.000Z", sessions: 1, visitors: 1, conversions: 0, orders: 0, revenue: 0, net_revenue: 0 }]);
  });
});

describe("SPEC 12 parameters", () => {
  it("default interval: hour for one day, day from two days", () => {
    expect(defaultInterval("2026-03-02", "2026-03-02")).toBe("hour");
    expect(defaultInterval("2026-03-02", "2026-03-03")).toBe("day");
  });

  it("compare=previous_year: the same dates a year earlier, 29 February → 28 February", () => {
    expect(sameDateLastYear("2024-02-29")).toBe("2023-02-28");
    expect(sameDateLastYear("2025-03-01")).toBe("2024-03-01");
    expect(previousYearRange({ start: "2024-02-01", end: "2024-02-29" })).toEqual({ start: "2023-02-01", end: "2023-02-28" });
    const r = { start: "2026-03-01", end: "2026-03-31" };
    expect(resolveCompareRange(new URLSearchParams("compare=previous_year"), r)).toEqual({ range: { start: "2025-03-01", end: "2025-03-31" }, param: "compare" });
    // previous_period: the 31 days before.
    expect(resolveCompareRange(new URLSearchParams("compare=previous_period"), r).range).toEqual({ start: "2026-01-29", end: "2026-02-28" });
    expect(resolveCompareRange(new URLSearchParams(""), r).range).toEqual({ start: "2026-01-29", end: "2026-02-28" });
    expect(resolveCompareRange(new URLSearchParams("compare_start_date=2025-01-01&compare_end_date=2025-01-31"), r)).toEqual({
      range: { start: "2025-01-01", end: "2025-01-31" },
      param: "compare_start_date",
    });
    // Conflicting or unknown: 400 naming `compare`.
    expect(status400(() => resolveCompareRange(new URLSearchParams("compare=previous_year&compare_start_date=2025-01-01&compare_end_date=2025-01-31"), r))).toEqual(["compare"]);
    expect(status400(() => resolveCompareRange(new URLSearchParams("compare=last_decade"), r))).toEqual(["compare"]);
    expect(status400(() => resolveCompareRange(new URLSearchParams("compare=previous_year&compare=previous_period"), r))).toEqual(["compare"]);
  });

  it("repeated filters are read whole; repeated non-filter parameters only when equal", () => {
    const p = parseAnalyticsQuery(new URLSearchParams("period=week&period=week&utm_source=google&utm_source=bing&utm_source=google&not_device=mobile&landing_page=/a&referrer=x.com"), { tz: "UTC", now: NOW });
    expect(p.filters).toEqual({
      utm_source: { is: ["google", "bing"], not: [] }, // the repeated google counts once
      device: { is: [], not: ["mobile"] },
      landing_page: { is: ["/a"], not: [] },
      referrer: { is: ["x.com"], not: [] },
    });
    expect(status400(() => parseAnalyticsQuery(new URLSearchParams("period=week&period=month"), { now: NOW }))).toEqual(["period"]);
    expect(status400(() => parseAnalyticsQuery(new URLSearchParams("start_date=2026-03-01&start_date=2026-03-02&end_date=2026-03-31"), { now: NOW }))).toEqual(["start_date"]);
    expect(status400(() => parseAnalyticsQuery({ utm_source: ["google", ""] }, { now: NOW }))).toEqual(["utm_source"]);
    expect(status400(() => parseAnalyticsQuery(new URLSearchParams("not_country=a%00b"), { now: NOW }))).toEqual(["not_country"]);
    expect(status400(() => parseAnalyticsQuery(new URLSearchParams(Array.from({ length: 51 }, (_, i) => ["utm_term", `t${i}`])), { now: NOW }))).toEqual(["utm_term"]);
  });
});
