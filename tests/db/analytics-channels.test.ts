import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getAttribution } from "@/lib/analytics/attribution";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { exportCsv } from "@/lib/analytics/export-csv";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { rows, type Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { collectEvent } from "@/lib/ingest/collect";
import { collectQueueIdle } from "@/lib/ingest/collect-queue";
import { channelOf } from "@/lib/ingest/sources/channel";
import { describeDb } from "../helpers/db";

/**
 * SPEC 17.4 `channel` as a dimension, on a fixture of its own (March 2026, UTC). The channel is
 * derived at ingestion from what the batch sends (landing URL, referrer):
 *
 *  id  visitor  started (UTC)  landing / referrer                               → source / medium       channel         order
 *  S1  v1       03-02 10:00    ?gclid=g1                                        → google / cpc          Paid Search     o1 100 paid (c1)
 *  S2  v2       03-02 12:00    referrer l.facebook.com                          → facebook / referral   Organic Social  o2  40 paid (c2)
 *  S3  v3       03-03 09:00    referrer android-app://com.google.android.gm     → gmail / referral      Email           -
 *  S4  v1       03-04 08:00    referrer chatgpt.com                             → chatgpt / referral    AI Assistants   o3  60 paid (c1)
 *  S5  v4       03-05 10:00    no referrer                                      → (direct) / (none)     Direct          o4  30 pending (c4)
 *  S6  v5       03-06 10:00    referrer www.google.com                          → google / organic      Organic Search  -
 *  S7  v2       03-07 10:00    referrer checkout.example.com (own domain)       → (direct) / (none)     Direct          -
 */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const S = { S1: id(1), S2: id(2), S3: id(3), S4: id(4), S5: id(5), S6: id(6), S7: id(7) };
const NOW = new Date("2026-04-15T12:00:00Z");
const q = (extra = "") => parseAnalyticsQuery(new URLSearchParams(`start_date=2026-03-01&end_date=2026-03-31${extra ? `&${extra}` : ""}`), { tz: "UTC", now: NOW });
const SHOP = "https://shop.example.com/p";

async function load(db: Db) {
  const s = (sid: string, visitor: string, at: string, query: string, referrer?: string) => ({
    id: sid,
    visitor_id: visitor,
    started_at: at,
    landing_url: `${SHOP}${query}`,
    referrer,
    country: "UA",
    device: "desktop",
  });
  await ingestBatch(db, {
    sessions: [
      s(S.S1, "v1", "2026-03-02T10:00:00Z", "?gclid=g1"),
      s(S.S2, "v2", "2026-03-02T12:00:00Z", "", "https://l.facebook.com/l.php?u=x"),
      s(S.S3, "v3", "2026-03-03T09:00:00Z", "", "android-app://com.google.android.gm"),
      s(S.S4, "v1", "2026-03-04T08:00:00Z", "", "https://chatgpt.com/"),
      s(S.S5, "v4", "2026-03-05T10:00:00Z", ""),
      s(S.S6, "v5", "2026-03-06T10:00:00Z", "", "https://www.google.com/"),
      s(S.S7, "v2", "2026-03-07T10:00:00Z", "", "https://checkout.example.com/thanks"),
    ],
    orders: [
      { order_id: "o1", session_id: S.S1, customer_id: "c1", total: 100, placed_at: "2026-03-02T10:10:00Z" },
      { order_id: "o2", session_id: S.S2, customer_id: "c2", total: 40, placed_at: "2026-03-02T12:10:00Z" },
      { order_id: "o3", session_id: S.S4, customer_id: "c1", total: 60, placed_at: "2026-03-04T08:10:00Z" },
      { order_id: "o4", session_id: S.S5, customer_id: "c4", total: 30, status: "pending", placed_at: "2026-03-05T10:10:00Z" },
    ],
  });
}

const row = (key: string, sessions: number, visitors: number, conversions: number, orders: number, revenue: number) => ({
  key,
  sessions,
  visitors,
  conversions,
  conversion_rate: sessions ? Math.round((conversions / sessions) * 10000) / 100 : 0,
  orders,
  revenue,
  aov: orders ? Math.round((revenue / orders) * 100) / 100 : 0,
  revenue_per_session: sessions ? Math.round((revenue / sessions) * 100) / 100 : 0,
});
const keyed = (b: { rows: { key: string; sessions: number }[] }) => b.rows.map((r) => [r.key, r.sessions]);

describeDb("SPEC 17.4 channel dimension", (ctx) => {
  it("stores channel and click ids at ingestion (batch)", async () => {
    const db = ctx.handle.db;
    await load(db);
    const got = await rows<{ id: string; utm_source: string; channel: string; click_ids: unknown }>(
      db,
      sql`select id::text, utm_source, channel, click_ids from sessions order by id`,
    );
    expect(got.map((r) => [r.utm_source, r.channel])).toEqual([
      ["google", "Paid Search"],
      ["facebook", "Organic Social"],
      ["gmail", "Email"],
      ["chatgpt", "AI Assistants"],
      ["(direct)", "Direct"],
      ["google", "Organic Search"],
      ["(direct)", "Direct"],
    ]);
    expect(got[0].click_ids).toEqual({ gclid: "g1" });
    expect(got[1].click_ids).toBeNull();
  });

  it("breakdown `channels`: rows sorted by sessions then key, with the whole-selection total, on both read paths", async () => {
    const db = ctx.handle.db;
    await load(db);
    // Direct: S5 (v4) + S7 (v2) = 2 sessions, 2 visitors, o4 is pending → no conversion.
    // Total: 7 sessions, visitors v1..v5 = 5, converted S1, S2, S4 = 3, orders 3, revenue 100 + 40 + 60 = 200.
    const expected = {
      rows: [
        row("Direct", 2, 2, 0, 0, 0),
        row("AI Assistants", 1, 1, 1, 1, 60),
        row("Email", 1, 1, 0, 0, 0),
        row("Organic Search", 1, 1, 0, 0, 0),
        row("Organic Social", 1, 1, 1, 1, 40),
        row("Paid Search", 1, 1, 1, 1, 100),
      ],
      total: row("total", 7, 5, 3, 3, 200),
    };
    // toMatchObject: the figures above (other figures, e.g. SPEC 17.5's, are other tests' business).
    expect(await getBreakdown(db, q(), "channels", { path: "raw" })).toMatchObject(expected);
    expect(await getBreakdown(db, q(), "channels", { path: "cells" })).toMatchObject(expected);
  });

  it("filters `channel` (repeatable) and `not_channel`", async () => {
    const db = ctx.handle.db;
    await load(db);
    // channel=Direct: S5, S7.
    expect((await getGeneralStats(db, q("channel=Direct"))).sessions).toBe(2);
    // not_channel=Direct: the other 5.
    expect((await getGeneralStats(db, q("not_channel=Direct"))).sessions).toBe(5);
    // Email or Paid Search: S3, S1 — as sources, gmail and google 1 each (google sorts after gmail).
    expect(keyed(await getBreakdown(db, q("channel=Email&channel=Paid%20Search"), "sources"))).toEqual([
      ["gmail", 1],
      ["google", 1],
    ]);
    // Organic Social through the day cells as well.
    expect(keyed(await getBreakdown(db, q("channel=Organic%20Social"), "sources", { path: "cells" }))).toEqual([["facebook", 1]]);
  });

  it("customers carry their acquisition session's channel (LTV filtered by channel)", async () => {
    const db = ctx.handle.db;
    await load(db);
    // c1's first paid order o1 is S1's (Paid Search); c2's o2 is S2's (Organic Social); c4 has no paid order.
    const customers = await rows<{ customer_id: string; channel: string }>(db, sql`select customer_id, channel from customers order by customer_id`);
    expect(customers).toEqual([
      { customer_id: "c1", channel: "Paid Search" },
      { customer_id: "c2", channel: "Organic Social" },
    ]);
    // c1: 2 orders, 100 + 60 = 160 revenue.
    const ltv = await getLtvComparison(db, q("channel=Paid%20Search"));
    expect(ltv.map((r) => [r.utm_source, r.customers, r.orders, r.revenue])).toEqual([["google", 1, 2, 160]]);
  });

  it("export-csv report=channels: one line per channel", async () => {
    const db = ctx.handle.db;
    await load(db);
    const sp = new URLSearchParams("report=channels&start_date=2026-03-01&end_date=2026-03-31");
    const file = await exportCsv(db, q(), sp);
    const [header, ...lines] = String(file.body).split("\r\n").filter(Boolean);
    // The columns of this test, picked by name from the header.
    const cols = ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"];
    const at = cols.map((c) => header.split(",").indexOf(c));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(lines.map((l) => at.map((i) => l.split(",")[i]).join(","))).toEqual([
      "Direct,2,2,0,0,0,0,0,0",
      "AI Assistants,1,1,1,100,1,60,60,60",
      "Email,1,1,0,0,0,0,0,0",
      "Organic Search,1,1,0,0,0,0,0,0",
      "Organic Social,1,1,1,100,1,40,40,40",
      "Paid Search,1,1,1,100,1,100,100,100",
    ]);
  });

  it("attribution dimension=channel: each order's credited session's channel", async () => {
    const db = ctx.handle.db;
    await load(db);
    // Paid orders placed in March name their sessions: o1 S1 100, o2 S2 40, o3 S4 60 (total 200).
    const a = await getAttribution(db, q(), "last_non_direct", "channel");
    expect(a.rows).toEqual([
      { key: "Paid Search", conversions: 1, revenue: 100, share: 50 },
      { key: "AI Assistants", conversions: 1, revenue: 60, share: 30 },
      { key: "Organic Social", conversions: 1, revenue: 40, share: 20 },
    ]);
  });

  it("collect derives channel and click ids from the first event", async () => {
    const db = ctx.handle.db;
    const headers = new Headers({ "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" });
    await collectEvent(
      db,
      { event_id: id(900), visitor_id: "cv1", session_id: id(901), type: "page_view", url: `${SHOP}?msclkid=m1&fbclid=f1`, referrer: "https://www.bing.com/" },
      { headers },
    );
    await collectEvent(db, { event_id: id(902), visitor_id: "cv2", session_id: id(903), type: "page_view", url: SHOP, referrer: "https://t.co/x" }, { headers });
    await collectQueueIdle(db);
    const got = await rows<{ utm_source: string; utm_medium: string; channel: string; click_ids: unknown }>(
      db,
      sql`select utm_source, utm_medium, channel, click_ids from sessions order by id`,
    );
    expect(got).toEqual([
      { utm_source: "bing", utm_medium: "cpc", channel: "Paid Search", click_ids: { msclkid: "m1", fbclid: "f1" } },
      { utm_source: "twitter", utm_medium: "referral", channel: "Organic Social", click_ids: null },
    ]);
  });

  it("the backfill migration's function gives channelOf's answer for stored sources and mediums", async () => {
    const db = ctx.handle.db;
    const file = readFileSync(path.join(process.cwd(), "drizzle/0012_channel_backfill.sql"), "utf8");
    const create = file.split("--> statement-breakpoint").find((s) => s.includes("CREATE FUNCTION"))!;
    await db.execute(sql.raw(create.replace("utmd_channel_backfill(", "utmd_channel_backfill_check(")));
    // Values stored before SPEC 17.4: engine names / organic, referral hosts, and tagged traffic.
    const pairs: [string, string][] = [
      ["(direct)", "(none)"], ["(direct)", "email"], ["google", "organic"], ["yandex", "organic"], ["google", "cpc"],
      ["bing", "ppc"], ["facebook", "paid_social"], ["instagram", "cpc"], ["tiktok", "paid"], ["l.facebook.com", "referral"],
      ["t.co", "referral"], ["m.youtube.com", "referral"], ["chatgpt.com", "referral"], ["mail.google.com", "referral"],
      ["google.com.ua", "referral"], ["blog.example.org", "referral"], ["newsletter", "email"], ["partner", "affiliate"],
      ["criteo", "display"], ["x", "banner"], ["turbosms", "sms"], ["forum", "social"], ["flyer", "(none)"], ["spring_flyer", "cpc"],
      ["youtube", "cpv"], ["Google", "CPC"],
    ];
    const got = await rows<{ c: string }>(
      db,
      sql`select utmd_channel_backfill_check(j->>0, j->>1) as c from json_array_elements(${JSON.stringify(pairs)}::json) j`,
    );
    await db.execute(sql.raw("DROP FUNCTION utmd_channel_backfill_check(text, text)"));
    expect(got.map((r) => r.c)).toEqual(pairs.map(([source, medium]) => channelOf({ source, medium })));
    // And by hand, for a few of them.
    expect(got.slice(0, 5).map((r) => r.c)).toEqual(["Direct", "Email", "Organic Search", "Organic Search", "Paid Search"]);
  });
});
