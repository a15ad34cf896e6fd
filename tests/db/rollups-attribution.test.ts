import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { computeAttribution, getAttributionCompare } from "@/lib/analytics/attribution";
import { FILTER_COLUMNS, parseAnalyticsQuery } from "@/lib/analytics/params";
import { rows, type Db } from "@/lib/db/client";
import { TOUCHPOINT_FACT_COLUMNS } from "@/lib/db/schema";
import { ingestBatch } from "@/lib/ingest/batch";
import { ingestOrders } from "@/lib/ingest/orders";
import { describeDb } from "../helpers/db";

/**
 * Attribution day cells (lib/analytics/rollups/attribution-cells.ts), computed by hand: after each
 * write the cells serve the new credit — a named session changed long before its order's window,
 * a late touchpoint inside the window, a refund — and the order marks follow every write.
 */

const NOW = new Date("2026-04-15T12:00:00Z");
const MARCH = parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31" }, { tz: "UTC", now: NOW });

const session = (n: number, visitor: string, at: string, source: string) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  visitor_id: visitor,
  started_at: at,
  landing_url: `https://shop.example.com/?utm_source=${source}`,
});

/** key → [last_non_direct conversions, revenue, linear conversions, revenue] from the cells. */
async function credit(db: Db) {
  const c = await getAttributionCompare(db, MARCH, "utm_source", { path: "cells" });
  return Object.fromEntries(
    c.rows.map((r) => [r.key, [r.results.last_non_direct.conversions, r.results.last_non_direct.revenue, r.results.linear.conversions, r.results.linear.revenue]]),
  );
}

const unattributed = async (db: Db) => (await computeAttribution(db, MARCH, "utm_source", { path: "cells" })).unattributed;

describeDb("attribution day cells follow every write", (ctx) => {
  it("a named session edited outside the window, a late touchpoint, a refund", async () => {
    const db = ctx.handle.db;
    // A: v1 google on 5 January; B: v2 facebook on 9 March.
    await ingestBatch(db, { sessions: [session(1, "v1", "2026-01-05T10:00:00Z", "google"), session(2, "v2", "2026-03-09T10:00:00Z", "facebook")] });
    await ingestOrders(db, [
      // n1 names A: A alone is credited, although it started 64 days (> the 30-day window) before.
      { order_id: "n1", session_id: session(1, "", "", "").id, total: 100, placed_at: "2026-03-10T12:00:00Z" },
      // n2: v2's only touchpoint in the window is B.
      { order_id: "n2", visitor_id: "v2", total: 50, placed_at: "2026-03-10T13:00:00Z" },
      // n3: a visitor without sessions: unattributed.
      { order_id: "n3", visitor_id: "v9", total: 30, placed_at: "2026-03-11T10:00:00Z" },
    ]);
    expect(await credit(db)).toEqual({ google: [1, 100, 1, 100], facebook: [1, 50, 1, 50] });
    expect(await unattributed(db)).toEqual({ orders: 1, revenue: 30 });

    // A re-sent as bing: its mark is on 5 January, outside 10 March's window span; the day read
    // the named session's hour too, so it is recomputed: bing 1 / 100.
    await ingestBatch(db, { sessions: [session(1, "v1", "2026-01-05T10:00:00Z", "bing")] });
    expect(await credit(db)).toEqual({ bing: [1, 100, 1, 100], facebook: [1, 50, 1, 50] });

    // C: a late v2 email session at 12:30 on 10 March, before n2 (13:00). Last non-direct: email
    // 1 / 50; linear: B and C 0.5 each → facebook 0.5 / 25, email 0.5 / 25.
    await ingestBatch(db, { sessions: [session(3, "v2", "2026-03-10T12:30:00Z", "email")] });
    expect(await credit(db)).toEqual({ bing: [1, 100, 1, 100], email: [1, 50, 0.5, 25], facebook: [0, 0, 0.5, 25] });

    // n2 refunded: only bing is left; n3 still unattributed.
    await ingestOrders(db, [{ order_id: "n2", visitor_id: "v2", total: 50, placed_at: "2026-03-10T13:00:00Z", status: "refunded" }]);
    expect(await credit(db)).toEqual({ bing: [1, 100, 1, 100] });
    expect(await unattributed(db)).toEqual({ orders: 1, revenue: 30 });

    // n3's visitor gets a session on 11 March at 09:00, before the order: it is credited now.
    await ingestBatch(db, { sessions: [session(4, "v9", "2026-03-11T09:00:00Z", "google")] });
    expect(await credit(db)).toEqual({ bing: [1, 100, 1, 100], google: [1, 30, 1, 30] });
    expect(await unattributed(db)).toEqual({ orders: 0, revenue: 0 });
  });

  it("marks the UTC hour of placed_at of every order a statement inserts, updates or deletes", async () => {
    const db = ctx.handle.db;
    const marks = () => rows<{ hour: string; w: number }>(db, sql`select hour::text as hour, sum(weight)::int as w from order_changes group by hour order by hour`);
    await ingestOrders(db, [
      { order_id: "a", visitor_id: "x", total: 10, placed_at: "2026-03-10T12:05:00Z" },
      { order_id: "b", visitor_id: "x", total: 10, placed_at: "2026-03-10T12:55:00Z" },
      { order_id: "c", visitor_id: "x", total: 10, placed_at: "2026-03-11T00:30:00Z" },
    ]);
    // One insert statement: one mark per hour (12:00 holds two orders).
    expect(await marks()).toEqual([{ hour: "2026-03-10 12:00:00", w: 1 }, { hour: "2026-03-11 00:00:00", w: 1 }]);
    await ingestOrders(db, [{ order_id: "a", visitor_id: "x", total: 10, placed_at: "2026-03-10T12:05:00Z", status: "refunded" }]);
    await db.execute(sql`delete from orders where order_id = 'c'`);
    // The update marks 12:00 again, the delete 00:00 of 11 March.
    expect(await marks()).toEqual([{ hour: "2026-03-10 12:00:00", w: 2 }, { hour: "2026-03-11 00:00:00", w: 2 }]);
  });

  it("marks touchpoints on inserts, deletes and dimension changes, not on fact updates", async () => {
    const db = ctx.handle.db;
    const weight = async () => (await rows<{ w: number }>(db, sql`select coalesce(sum(weight), 0)::int as w from touchpoint_changes`))[0].w;
    await ingestBatch(db, { sessions: [session(1, "v1", "2026-03-10T10:00:00Z", "google")] });
    const afterInsert = await weight();
    expect(afterInsert).toBeGreaterThanOrEqual(1);
    // A paid order updates its session's paid_orders and revenue; events update its counters.
    await ingestOrders(db, [{ order_id: "p1", visitor_id: "v1", total: 40, placed_at: "2026-03-10T11:00:00Z" }]);
    await ingestBatch(db, { events: [{ id: "00000000-0000-4000-9000-000000000001", session_id: session(1, "", "", "").id, type: "add_to_cart", occurred_at: "2026-03-10T10:05:00Z" }] });
    const [facts] = await rows<{ paid_orders: number; event_count: number }>(db, sql`select paid_orders, event_count from sessions`);
    expect([facts.paid_orders, facts.event_count, await weight()]).toEqual([1, 1, afterInsert]);
    // Its source changes: one more mark (its hour).
    await ingestBatch(db, { sessions: [session(1, "v1", "2026-03-10T10:00:00Z", "bing")] });
    expect(await weight()).toBe(afterInsert + 1);
  });

  it("the trigger skips exactly TOUCHPOINT_FACT_COLUMNS, none of which attribution reads", async () => {
    const db = ctx.handle.db;
    const [fn] = await rows<{ src: string }>(db, sql`select prosrc as src from pg_proc where proname = 'utmd_mark_touchpoint_update_hours'`);
    const lists = [...fn.src.matchAll(/ARRAY\[([^\]]*)\]/g)].map((m) => m[1].split(",").map((x) => x.trim().replace(/'/g, "")).filter((x) => x.length > 0));
    // Two lists (old row, new row), both the schema's; the first match is the unnest of started_at.
    expect(lists.filter((l) => !l.includes("o.started_at"))).toEqual([[...TOUCHPOINT_FACT_COLUMNS], [...TOUCHPOINT_FACT_COLUMNS]]);
    const columns = await rows<{ c: string }>(db, sql`select column_name::text as c from information_schema.columns where table_name = 'sessions'`);
    const credited = new Set<string>(["id", "visitor_id", "visitor_key", "started_at", ...Object.values(FILTER_COLUMNS)]);
    for (const c of TOUCHPOINT_FACT_COLUMNS) {
      expect(columns.map((x) => x.c)).toContain(c);
      expect(credited.has(c)).toBe(false);
    }
  });
});
