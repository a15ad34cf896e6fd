import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { measureRule } from "@/lib/alerts/evaluate";
import { hourlyMetric } from "@/lib/alerts/metrics";
import type { AlertRule } from "@/lib/alerts/rules";
import { upsertAdSpend } from "@/lib/analytics/ad-spend";
import { filtersOf, type Filters } from "@/lib/analytics/params";
import { ingestBatch } from "@/lib/ingest/batch";
import { overrideConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";

/**
 * The alert metrics on a hand-built hour, 2026-03-30 13:00–14:00 UTC:
 *
 *  session  started  source/medium/campaign  country  orders
 *  A        13:05    google/cpc/spring       UA       100 paid, placed 13:20
 *  B        13:10    google/cpc/spring       PL       50 paid, placed 14:30 (after the window)
 *  C        13:30    (direct)                (none)   -
 *  D        13:50    facebook/paid/promo     UA       70 pending, placed 13:55
 *  E        12:59    google/cpc/spring       UA       30 paid, placed 13:01 (session before the window)
 *  -        -        unattributed order               20 paid, placed 13:40
 */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const W = { from: new Date("2026-03-30T13:00:00Z"), to: new Date("2026-03-30T14:00:00Z") };
const NOW = new Date("2026-03-31T10:00:00Z");

describeDb("alert metrics", (ctx) => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());
  beforeEach(async () => {
    restore = overrideConfig({ APP_TIMEZONE: "UTC" });
    const sess = (n: number, at: string, dims: Record<string, string>) => ({ id: id(n), visitor_id: `v${n}`, started_at: at, landing_url: "https://shop.example/", ...dims });
    const google = { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" };
    await ingestBatch(ctx.handle.db, {
      sessions: [
        sess(1, "2026-03-30T13:05:00Z", { ...google, country: "UA" }),
        sess(2, "2026-03-30T13:10:00Z", { ...google, country: "PL" }),
        sess(3, "2026-03-30T13:30:00Z", {}),
        sess(4, "2026-03-30T13:50:00Z", { utm_source: "facebook", utm_medium: "paid", utm_campaign: "promo", country: "UA" }),
        sess(5, "2026-03-30T12:59:00Z", { ...google, country: "UA" }),
      ],
      orders: [
        { order_id: "oA", session_id: id(1), customer_id: "cA", total: 100, status: "paid", placed_at: "2026-03-30T13:20:00Z" },
        { order_id: "oB", session_id: id(2), customer_id: "cB", total: 50, status: "paid", placed_at: "2026-03-30T14:30:00Z" },
        { order_id: "oD", session_id: id(4), customer_id: "cD", total: 70, status: "pending", placed_at: "2026-03-30T13:55:00Z" },
        { order_id: "oE", session_id: id(5), customer_id: "cE", total: 30, status: "paid", placed_at: "2026-03-30T13:01:00Z" },
        { order_id: "oX", customer_id: "cX", total: 20, status: "paid", placed_at: "2026-03-30T13:40:00Z" },
      ],
    });
  });

  const m = (metric: AlertRule["metric"], filters: Filters = {}) => hourlyMetric(ctx.handle.db, metric, filters, W, NOW);

  it("sessions, orders, revenue, conversion rate and share of direct of the hour, with the dashboard's filters", async () => {
    // A, B, C, D started in the window; E at 12:59 did not.
    expect(await m("sessions")).toBe(4);
    expect(await m("sessions", filtersOf({ utm_source: "google" }))).toBe(2);
    expect(await m("sessions", { country: { is: [], not: ["PL"] } })).toBe(3);
    // Counted orders placed in the window: oA 100 + oE 30 + oX 20 (oB is placed after it, oD is pending).
    expect([await m("orders"), await m("revenue")]).toEqual([3, 150]);
    // With a filter, an order needs a matching session: oA + oE.
    expect([await m("orders", filtersOf({ utm_source: "google" })), await m("revenue", filtersOf({ utm_source: "google" }))]).toEqual([2, 130]);
    // Of A, B, C, D only A had a counted order before 14:00: 1 / 4 = 25 %; google: 1 / 2 = 50 %.
    expect(await m("conversion_rate")).toBe(25);
    expect(await m("conversion_rate", filtersOf({ utm_source: "google" }))).toBe(50);
    // C is direct: 1 / 4.
    expect(await m("direct_share")).toBe(25);
    expect(await m("direct_share", filtersOf({ utm_source: "google" }))).toBe(0);
  });

  it("spend without sessions (yesterday in APP_TIMEZONE, as the spend audit pairs it) and forwarding failures", async () => {
    const db = ctx.handle.db;
    await upsertAdSpend(db, [
      { date: "2026-03-30", utm_source: "google", utm_campaign: "spring", amount: 40 }, // has sessions A, B
      { date: "2026-03-30", utm_source: "tiktok", utm_campaign: "launch", amount: 25 }, // no session
      { date: "2026-03-29", utm_source: "tiktok", utm_campaign: "launch", amount: 99 }, // another day
    ]);
    const rule = (filters: Filters): AlertRule => ({ id: 1, name: "r", metric: "spend_without_sessions", filters, condition: "at_least", threshold: 1, window_hours: 1, channel_ids: [], created_at: "" });
    expect(await measureRule(db, rule({}), NOW)).toMatchObject({ value: 25, breached: true, windowLabel: "2026-03-30" });
    expect(await measureRule(db, rule(filtersOf({ utm_source: "google" })), NOW)).toMatchObject({ value: 0, breached: false });

    const outbox = (n: number, status: string, lastErrorAt: string | null) =>
      db.execute(sql`insert into forward_outbox (destination, order_id, event_id, status, last_error_at, last_error)
                     values (${`d${n}`}, 'oA', 'oA', ${status}, ${lastErrorAt}::timestamptz, ${lastErrorAt ? "HTTP 500" : null})`);
    await outbox(1, "queued", "2026-03-30T13:15:00Z"); // retrying
    await outbox(2, "failed", "2026-03-30T13:45:00Z"); // given up
    await outbox(3, "queued", "2026-03-30T12:00:00Z"); // earlier hour
    await outbox(4, "sent", null);
    expect(await m("forwarding_failures")).toBe(2);
  });

  it("drop and rise compare with the mean of the same hours 1–4 weeks earlier; a zero baseline never fires", async () => {
    const db = ctx.handle.db;
    const now = new Date("2026-03-30T14:20:00Z");
    const rule = (condition: AlertRule["condition"], threshold: number): AlertRule => ({ id: 1, name: "r", metric: "sessions", filters: {}, condition, threshold, window_hours: 1, channel_ids: [], created_at: "" });
    // No sessions in the earlier weeks: baseline 0 → no change → neither drop nor rise.
    expect(await measureRule(db, rule("rise", 10), now)).toMatchObject({ value: 4, baseline: 0, change: null, breached: false });
    // Weeks −1…−4 at 13:xx: 2, 2, 0, 4 sessions → mean 2; now 4 → +100 %.
    let n = 100;
    for (const [day, count] of [["2026-03-23", 2], ["2026-03-16", 2], ["2026-03-09", 0], ["2026-03-02", 4]] as const) {
      const sessions = Array.from({ length: count }, () => ({ id: id(n), visitor_id: `w${n++}`, started_at: `${day}T13:15:00Z`, landing_url: "https://shop.example/" }));
      if (sessions.length) await ingestBatch(db, { sessions });
    }
    expect(await measureRule(db, rule("rise", 100), now)).toMatchObject({ value: 4, baseline: 2, change: 100, breached: true });
    expect(await measureRule(db, rule("rise", 101), now)).toMatchObject({ breached: false });
    expect(await measureRule(db, rule("drop", 10), now)).toMatchObject({ breached: false });
    expect(await measureRule(db, rule("at_least", 4), now)).toMatchObject({ baseline: null, breached: true });
    expect(await measureRule(db, rule("at_most", 3), now)).toMatchObject({ breached: false });
  });
});
