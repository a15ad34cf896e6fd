import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { ATTRIBUTION_DIMENSIONS, computeAttribution, getAttributionCompare, type AttributionDimension, type RawAttribution } from "@/lib/analytics/attribution";
import { getAbTest } from "@/lib/analytics/ab-test";
import { getBreakdown, BREAKDOWN_NAMES } from "@/lib/analytics/breakdown";
import { getCompare } from "@/lib/analytics/compare";
import { getEvents } from "@/lib/analytics/events";
import { getFunnel } from "@/lib/analytics/funnel";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { parseAnalyticsQuery, type AnalyticsQuery } from "@/lib/analytics/params";
import { getRoi } from "@/lib/analytics/roi";
import { getSpendAudit } from "@/lib/analytics/spend-audit";
import { getReturningVisitors } from "@/lib/analytics/returning-visitors";
import { dayRuns } from "@/lib/analytics/rollups/compute";
import { compactMarks, dayStates } from "@/lib/analytics/rollups/stamps";
import { VisitorCounter } from "@/lib/analytics/rollups/visitor-set";
import { warmRollups } from "@/lib/analytics/rollups/warm";
import { getTimeseries, INTERVALS } from "@/lib/analytics/timeseries";
import { rows, type Db } from "@/lib/db/client";
import { createRng, type Rng } from "@/lib/demo/prng";
import { ingestBatch } from "@/lib/ingest/batch";
import { eraseVisitor } from "@/lib/ingest/erase";
import { ingestOrders } from "@/lib/ingest/orders";
import { ingestRefunds } from "@/lib/ingest/refunds";
import { describeDb } from "../helpers/db";

/**
 * Issue 14: every report served from day cells (lib/analytics/rollups) equals the same report's
 * raw query, for seeded random ranges, time zones (a half-hour one included), filters (is, not,
 * several values) and groupings, with random writes between the rounds that land in days already
 * cached: out-of-order sessions, late events, new paid orders, refunds and erasure. Attribution's
 * cells sum float8 weights by day, so its unrounded sums are compared to 1e-9 (relative) and its
 * answers to the cent; its keys, credited flags and unattributed orders exactly.
 */

const NOW = new Date("2026-04-15T12:00:00Z");
const ZONES = ["UTC", "Europe/Kyiv", "Asia/Kolkata", "America/New_York"];
const SOURCES = ["google", "facebook", "email", "bing"];
const MEDIUMS = ["cpc", "social", "newsletter"];
const COUNTRIES = ["UA", "PL", "DE"];
const PATHS = ["/", "/p/1", "/sale"];
const EVENT_TYPES = ["page_view", "product_view", "add_to_cart", "checkout_start", "custom"] as const;
const CUSTOM = ["chat", "signup"];
/**
 * SPEC 17.4: the channels SOURCES × MEDIUMS give: google|bing/cpc Paid Search, facebook/cpc Paid
 * Social, any source/social and facebook/newsletter Organic Social, google|bing/newsletter Organic Search,
 * email/newsletter Email, email/cpc Other (6), and Direct, which no session has.
 */
const CHANNEL_VALUES = ["Paid Search", "Paid Social", "Organic Social", "Organic Search", "Email", "Other", "Direct"];

/** A random instant between 2026-01-01 and 2026-04-14 (UTC). */
const instant = (rng: Rng) => new Date(Date.UTC(2026, 0, 1) + rng.int(0, 103 * 24 * 60) * 60_000);

let seq = 0;
const nextId = (kind: 1 | 2) => `00000000-0000-4000-${kind === 1 ? "8" : "9"}000-${String(++seq).padStart(12, "0")}`;

function sessionsBatch(rng: Rng, visitors: string[], n: number) {
  const sessions = [];
  const events = [];
  for (let i = 0; i < n; i++) {
    const id = nextId(1);
    const at = instant(rng);
    const source = rng.pick(SOURCES);
    sessions.push({
      id,
      visitor_id: rng.pick(visitors),
      started_at: at.toISOString(),
      landing_url: `https://shop.example.com${rng.pick(PATHS)}?utm_source=${source}&utm_medium=${rng.pick(MEDIUMS)}&utm_campaign=c${rng.int(1, 3)}`,
      country: rng.pick(COUNTRIES),
      device: rng.pick(["desktop", "mobile"]),
    });
    for (let e = rng.int(0, 4); e > 0; e--) {
      const type = rng.pick(EVENT_TYPES);
      events.push({
        id: nextId(2),
        session_id: id,
        type,
        ...(type === "custom" ? { name: rng.pick(CUSTOM) } : {}),
        occurred_at: new Date(at.getTime() + rng.int(0, 20) * 60_000).toISOString(),
      });
    }
  }
  return { sessions, events };
}

function randomQuery(rng: Rng): AnalyticsQuery {
  const a = instant(rng).toISOString().slice(0, 10);
  const b = instant(rng).toISOString().slice(0, 10);
  const input: Record<string, string | string[]> = { start_date: a < b ? a : b, end_date: a < b ? b : a };
  for (let k = rng.int(0, 2); k > 0; k--) {
    const key = rng.pick(["utm_source", "utm_medium", "country", "device", "channel"] as const);
    const values =
      key === "utm_source" ? SOURCES : key === "utm_medium" ? MEDIUMS : key === "country" ? COUNTRIES : key === "channel" ? CHANNEL_VALUES : ["desktop", "mobile"];
    const name = rng.chance(0.3) ? `not_${key}` : key;
    input[name] = rng.chance(0.3) ? [rng.pick(values), rng.pick(values)] : rng.pick(values);
  }
  return parseAnalyticsQuery(input, { tz: rng.pick(ZONES), now: NOW });
}

/** Each report both ways; a mismatch names the report and the query. */
async function expectSameAnswers(db: Db, rng: Rng, q: AnalyticsQuery): Promise<number> {
  const both = async (name: string, run: (path: "cells" | "raw") => Promise<unknown>) => {
    const raw = await run("raw");
    const cells = await run("cells");
    expect({ name, q: [q.range, q.tz, q.filters], answer: cells }).toEqual({ name, q: [q.range, q.tz, q.filters], answer: raw });
  };
  await both("general-stats", (path) => getGeneralStats(db, q, { path }));
  const dim = rng.pick(BREAKDOWN_NAMES);
  await both(dim, (path) => getBreakdown(db, q, dim, { path }));
  const interval = rng.pick(INTERVALS.filter((i) => i !== "hour"));
  await both(`timeseries ${interval}`, (path) => getTimeseries(db, q, { interval, path }));
  await both("funnel", (path) => getFunnel(db, q, { path }));
  await both("returning-visitors", (path) => getReturningVisitors(db, q, { path }));
  await both("events", (path) => getEvents(db, q, { path }));
  await both("compare", (path) => getCompare(db, q, { path }));
  await both("roi", (path) => getRoi(db, q, { path }));
  await both("spend-audit", (path) => getSpendAudit(db, q, { path }));
  const campaign = rng.pick(["c1", "c2", "c3"]);
  await both(`ab-test ${campaign}`, (path) => getAbTest(db, q, { campaign, path }));
  await expectSameAttribution(db, q, rng.pick(Object.keys(ATTRIBUTION_DIMENSIONS) as AttributionDimension[]));
  const [{ n }] = await rows<{ n: number }>(
    db,
    sql`select ((select count(*) from rollup_cells) + (select count(*) from rollup_attribution_cells))::int as n`,
  );
  return n;
}

async function expectSameAttribution(db: Db, q: AnalyticsQuery, dimension: AttributionDimension) {
  const where = { q: [q.range, q.tz, q.filters], dimension };
  expectCloseSums(where, await computeAttribution(db, q, dimension, { path: "cells" }), await computeAttribution(db, q, dimension, { path: "raw" }));
  expectCloseAnswers(where, await getAttributionCompare(db, q, dimension, { path: "cells" }), await getAttributionCompare(db, q, dimension, { path: "raw" }));
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Same keys, credited flags and unattributed orders; every sum within 1e-9 relative. */
function expectCloseSums(where: unknown, cells: RawAttribution, raw: RawAttribution) {
  const flat = (r: RawAttribution) =>
    [...r.keys].sort((a, b) => (a.key < b.key ? -1 : 1)).map((k) => ({ key: k.key, models: Object.entries(k).filter(([m]) => m !== "key") }));
  const a = flat(cells);
  const b = flat(raw);
  expect({ where, keys: a.map((k) => k.key), un: cells.unattributed.orders }).toEqual({ where, keys: b.map((k) => k.key), un: raw.unattributed.orders });
  expect(close(cells.unattributed.revenue, raw.unattributed.revenue, 1e-9)).toBe(true);
  a.forEach((k, i) => {
    k.models.forEach(([model, x], j) => {
      const y = b[i].models[j][1] as { conversions: number; revenue: number; credited: boolean };
      const v = x as typeof y;
      const ok = v.credited === y.credited && close(v.conversions, y.conversions, 1e-9) && close(v.revenue, y.revenue, 1e-9);
      if (!ok) expect({ where, key: k.key, model, cells: v }).toEqual({ where, key: k.key, model, cells: y });
    });
  });
}

/** The public answers: same keys; each figure equal to the cent (rounding may fall either side of it). */
function expectCloseAnswers(where: unknown, cells: Awaited<ReturnType<typeof getAttributionCompare>>, raw: typeof cells) {
  const byKey = (c: typeof cells) => new Map(c.rows.map((r) => [r.key, r]));
  const a = byKey(cells);
  const b = byKey(raw);
  expect({ where, keys: [...a.keys()].sort() }).toEqual({ where, keys: [...b.keys()].sort() });
  for (const [key, r] of a) {
    const y = b.get(key)!;
    const diffs = Object.entries(r.results).filter(([m, x]) => {
      const z = y.results[m as keyof typeof y.results];
      return Math.abs(x.conversions - z.conversions) > 0.0100001 || Math.abs(x.revenue - z.revenue) > 0.0100001 || (x.roas === null) !== (z.roas === null);
    });
    expect({ where, key, diffs, spend: r.spend }).toEqual({ where, key, diffs: [], spend: y.spend });
  }
}

describeDb("rollups: day cells answer exactly what the raw queries answer", (ctx) => {
  it("for random queries, with random writes into cached days between the rounds", async () => {
    const db = ctx.handle.db;
    const rng = createRng(20261126);
    const visitors = Array.from({ length: 40 }, (_, i) => `v${i}`);
    expect((await ingestBatch(db, sessionsBatch(rng, visitors, 160))).sessions).toBeDefined();
    // The channel dimension (SPEC 17.4) takes several values here, so its cells group something.
    expect((await rows<{ n: number }>(db, sql`select count(distinct channel)::int as n from sessions`))[0].n).toBe(6);
    // Spend on pairs with sessions, and on one without any (bing / c9), for ROI and the audit.
    for (let d = 0; d < 100; d += 3) {
      const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
      const pairs = [["google", `c${(d % 3) + 1}`], ["facebook", "c1"], ["bing", "c9"]];
      for (const [source, campaign] of pairs) {
        await db.execute(sql`insert into ad_spend (date, utm_source, utm_campaign, amount) values (${date}, ${source}, ${campaign}, ${rng.int(100, 50000) / 100})`);
      }
    }
    // Orders over the whole period for attribution: most by visitor, some naming a session (also
    // one placed long after it, beyond the window), some without a visitor.
    const stored = await rows<{ id: string; visitor_id: string }>(db, sql`select id::text, visitor_id from sessions order by id`);
    const spread = [];
    for (let i = 0; i < 60; i++) {
      const placedAt = instant(rng).toISOString();
      const kind = rng.int(0, 9);
      const named = rng.pick(stored);
      spread.push({
        order_id: `s${i}`,
        total: rng.int(100, 99999) / 100,
        placed_at: placedAt,
        ...(kind < 6 ? { visitor_id: rng.pick(visitors) } : kind < 9 ? { session_id: named.id } : {}),
        // The shop's landing URL or referrer: a landing touchpoint (SPEC 17.1) when no session is found.
        ...(i % 3 === 0 ? { landing_url: `https://shop.example.com/?utm_source=shop${i % 4}&utm_campaign=c${(i % 3) + 1}` } : i % 5 === 0 ? { referrer: "https://news.example/" } : {}),
      });
    }
    await ingestOrders(db, spread);
    // Some orders found no session and took their landing touchpoint.
    expect((await rows<{ n: number }>(db, sql`select count(*)::int as n from order_touchpoints`))[0].n).toBeGreaterThan(0);
    const placed: { order_id: string; visitor_id: string; total: number; placed_at: string }[] = [];
    let cells = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 4; i++) cells = Math.max(cells, await expectSameAnswers(db, rng, randomQuery(rng)));
      // The same attribution views every round, so the writes below land in their cached days.
      for (const tz of ["UTC", "Asia/Kolkata"]) {
        const whole = parseAnalyticsQuery({ start_date: "2026-01-01", end_date: "2026-04-14" }, { tz, now: NOW });
        await expectSameAttribution(db, whole, "utm_source");
        await expectSameAttribution(db, parseAnalyticsQuery({ start_date: "2026-01-01", end_date: "2026-04-14", not_device: "mobile" }, { tz, now: NOW }), "utm_campaign");
      }
      // Writes that land in already cached days.
      await ingestBatch(db, sessionsBatch(rng, visitors, 12)); // out-of-order and backfilled sessions
      const [old] = await rows<{ id: string; started_at: string }>(
        db,
        sql`select id::text, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as started_at from sessions order by id limit 1 offset ${round * 7}`,
      );
      await ingestBatch(db, {
        events: [{ id: nextId(2), session_id: old.id, type: "custom", name: "late", occurred_at: old.started_at }],
      });
      const order = { order_id: `o${round}`, visitor_id: rng.pick(visitors), total: rng.int(100, 99999) / 100, placed_at: "2026-04-14T10:00:00Z" };
      placed.push(order);
      await ingestOrders(db, [order]); // a paid order: its session's revenue moves
      // A late refund (SPEC 17.5) of an attributed order on a cached day: its session's refunded moves.
      const [refundable] = await rows<{ order_id: string; total: number }>(
        db,
        sql`select order_id::text, total::float8 as total from orders
            where session_id is not null and status = 'paid' and order_id like 's%' order by order_id limit 1 offset ${round}`,
      );
      if (refundable) {
        await ingestRefunds(db, { order_id: refundable.order_id, refund_id: `late-r${round}`, amount: Math.floor(refundable.total * 30) / 100, refunded_at: "2026-04-14T09:00:00Z" });
      }
      if (round > 0) await ingestOrders(db, [{ ...placed[round - 1], status: "refunded" }]);
      if (round % 2 === 1) await eraseVisitor(db, rng.pick(visitors));
      // An order placed on a random (cached) day, and a named session moved to another source.
      await ingestOrders(db, [
        { order_id: `late${round}`, visitor_id: rng.pick(visitors), total: rng.int(100, 99999) / 100, placed_at: instant(rng).toISOString() },
        // No visitor, the shop's landing URL only: a landing touchpoint on a cached day.
        { order_id: `shop${round}`, total: rng.int(100, 99999) / 100, placed_at: instant(rng).toISOString(), landing_url: `https://shop.example.com/?utm_source=shop${round % 2}` },
      ]);
      const [named] = await rows<{ id: string; visitor_id: string; started_at: string }>(
        db,
        sql`select s.id::text, s.visitor_id, to_char(s.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as started_at
            from orders o join sessions s on s.id = o.session_id where o.session_named order by o.order_id limit 1 offset ${round}`,
      );
      if (named) {
        await ingestBatch(db, {
          sessions: [{ id: named.id, visitor_id: named.visitor_id, started_at: named.started_at, landing_url: `https://shop.example.com/?utm_source=moved${round}` }],
        });
      }
    }
    // The cache was really used: cells exist for what was asked.
    expect(cells).toBeGreaterThan(0);
  }, 120_000);

  it("recomputes a cached day after a write to it and serves the new figures", async () => {
    const db = ctx.handle.db;
    const q = parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31" }, { tz: "UTC", now: NOW });
    const session = (n: number, visitor: string, at: string, source: string) => ({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      visitor_id: visitor,
      started_at: at,
      landing_url: `https://shop.example.com/?utm_source=${source}`,
    });
    // v1 twice (google 3 Mar, facebook 10 Mar), v2 once (google 10 Mar): 3 sessions, 2 visitors.
    await ingestBatch(db, { sessions: [session(1, "v1", "2026-03-03T10:00:00Z", "google"), session(2, "v1", "2026-03-10T10:00:00Z", "facebook"), session(3, "v2", "2026-03-10T11:00:00Z", "google")] });
    const first = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(first.rows.map((r) => [r.key, r.sessions, r.visitors])).toEqual([["google", 2, 2], ["facebook", 1, 1]]);
    expect([first.total.sessions, first.total.visitors]).toEqual([3, 2]);
    // A late session of v2 on the cached 3 March: google 3 sessions / still 2 visitors; total 4 / 2.
    await ingestBatch(db, { sessions: [session(4, "v2", "2026-03-03T09:00:00Z", "google")] });
    const second = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(second.rows.map((r) => [r.key, r.sessions, r.visitors])).toEqual([["google", 3, 2], ["facebook", 1, 1]]);
    expect([second.total.sessions, second.total.visitors]).toEqual([4, 2]);
    // Erasing v1 gives each of its sessions its own anonymous visitor: google 3 sessions of
    // v2, anon(1) → 2 visitors; facebook 1; total: v2 + two anonymous = 3 visitors.
    await eraseVisitor(db, "v1");
    const third = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(third.rows.map((r) => [r.key, r.sessions, r.visitors])).toEqual([["google", 3, 2], ["facebook", 1, 1]]);
    expect([third.total.sessions, third.total.visitors]).toEqual([4, 3]);
    // A paid order of session 3 (google, 10 Mar), then a late refund of it: the cached day's cells
    // change. google revenue 80 → net 80, then 80 − 12.5 = 67.5; facebook untouched.
    await ingestOrders(db, [{ order_id: "n1", session_id: session(3, "v2", "", "").id, total: 80, placed_at: "2026-03-10T12:00:00Z" }]);
    const fourth = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(fourth.rows.map((r) => [r.key, r.revenue, r.net_revenue])).toEqual([["google", 80, 80], ["facebook", 0, 0]]);
    await ingestRefunds(db, { order_id: "n1", refund_id: "n1-r1", amount: 12.5, refunded_at: "2026-04-20T00:00:00Z" });
    const fifth = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(fifth.rows.map((r) => [r.key, r.revenue, r.net_revenue])).toEqual([["google", 80, 67.5], ["facebook", 0, 0]]);
    expect([fifth.total.revenue, fifth.total.net_revenue]).toEqual([80, 67.5]);
  });
});

describeDb("rollups: tie order of keys beyond the BMP", (ctx) => {
  it("raw and cell breakdowns list tied keys in the same code-point order (！ U+FF01 before 😀 U+1F600)", async () => {
    const db = ctx.handle.db;
    const q = parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31" }, { tz: "UTC", now: NOW });
    // One session each, so all three keys tie on sessions (1) and the key decides. In UTF-16,
    // 😀 (D83D DE00) sorts before ！ (FF01); by code point and in collate "C" it sorts after.
    const keys = ["😀", "！", "a"];
    await ingestBatch(db, {
      sessions: keys.map((k, i) => ({
        id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
        visitor_id: `v${i}`,
        started_at: "2026-03-05T10:00:00Z",
        landing_url: `https://shop.example.com/?utm_source=${encodeURIComponent(k)}`,
      })),
    });
    const raw = await getBreakdown(db, q, "sources", { path: "raw" });
    const cells = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(raw.rows.map((r) => r.key)).toEqual(["a", "！", "😀"]);
    expect(cells.rows.map((r) => r.key)).toEqual(["a", "！", "😀"]);
  });
});

describeDb("rollups: change marks", (ctx) => {
  it("appends a mark per write statement and hour; merging keeps each day's stamp", async () => {
    const db = ctx.handle.db;
    const at = (n: number, iso: string) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, visitor_id: `m${n}`, started_at: iso });
    // Three batches: two sessions at 10:xx UTC on 2 March, one at 23:30 UTC (00:30 in Kyiv, 3 March).
    await ingestBatch(db, { sessions: [at(1, "2026-03-02T10:05:00Z")] });
    await ingestBatch(db, { sessions: [at(2, "2026-03-02T10:40:00Z")] });
    await ingestBatch(db, { sessions: [at(3, "2026-03-02T23:30:00Z")] });
    const marks = () => rows<{ hour: string; n: number; w: number }>(db, sql`select hour::text as hour, count(*)::int as n, sum(weight)::int as w from session_changes group by hour order by hour`);
    const before = await marks();
    // Each batch writes its sessions (insert + fact upkeep), so 10:00 has at least two rows.
    expect(before.map((m) => m.hour)).toEqual(["2026-03-02 10:00:00", "2026-03-02 23:00:00"]);
    expect(before[0].n).toBeGreaterThanOrEqual(2);
    const range = { start: "2026-03-01", end: "2026-03-04" };
    const from = new Date("2026-03-01T00:00:00Z");
    const to = new Date("2026-03-05T00:00:00Z");
    const stamps = async (tz: string) => (await dayStates(db, { id: 0, key: "" }, range, tz, from, to)).days.map((d) => [d.day, d.stamp]).sort();
    const utc = await stamps("UTC");
    const kyiv = await stamps("Europe/Kyiv");
    // UTC: both hours fall on 2 March (stamp = all weights). Kyiv (+2): 10:00 → 2 March, 23:00 → 3 March.
    expect(utc).toEqual([["2026-03-02", before[0].w + before[1].w]]);
    expect(kyiv).toEqual([["2026-03-02", before[0].w], ["2026-03-03", before[1].w]]);
    await compactMarks(db, from, to);
    const after = await marks();
    expect(after.map((m) => [m.hour, m.n, m.w])).toEqual(before.map((m) => [m.hour, 1, m.w]));
    expect([await stamps("UTC"), await stamps("Europe/Kyiv")]).toEqual([utc, kyiv]);
  });
});

describeDb("rollups: warm-up", (ctx) => {
  it("fills every unfiltered view, so the first report reads cells without recomputing a day", async () => {
    const db = ctx.handle.db;
    const session = (n: number, at: string, source: string) => ({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      visitor_id: `w${n}`,
      started_at: at,
      landing_url: `https://shop.example.com/?utm_source=${source}`,
    });
    // Two sessions on 10 and 12 April 2026 (UTC), inside the last 366 days of 15 April.
    await ingestBatch(db, { sessions: [session(1, "2026-04-10T10:00:00Z", "google"), session(2, "2026-04-12T10:00:00Z", "bing")] });
    const warmed = await warmRollups(db, "UTC", { now: NOW });
    // Totals, 12 dimension columns (SPEC 17.4 added channel), source × medium × campaign, event kinds,
    // attribution by source = 16 views.
    expect(warmed.views).toBe(16);
    const [{ views, days }] = await rows<{ views: number; days: number }>(
      db,
      sql`select (select count(*) from rollup_views)::int as views, (select count(*) from rollup_days)::int as days`,
    );
    // Every session view holds both marked days (10 and 12 April): 15 × 2 (no orders: no attribution day).
    expect([views, days]).toEqual([16, 30]);
    // The cells' row versions (xmin) stay the same: nothing was deleted and written again.
    const versions = () => rows<{ v: string }>(db, sql`select string_agg(xmin::text, ',' order by view_id, day, key) as v from rollup_cells`);
    const before = await versions();
    const q = parseAnalyticsQuery({ start_date: "2026-04-01", end_date: "2026-04-15" }, { tz: "UTC", now: NOW });
    const got = await getBreakdown(db, q, "sources", { path: "cells" });
    expect(got.rows.map((r) => [r.key, r.sessions, r.visitors])).toEqual([["bing", 1, 1], ["google", 1, 1]]);
    expect(await versions()).toEqual(before);
  });
});

it("groups days into runs of consecutive dates of at most a week (or the given length)", () => {
  expect(dayRuns(["2026-03-03", "2026-03-01", "2026-03-02", "2026-03-05"])).toEqual([
    { start: "2026-03-01", end: "2026-03-03" },
    { start: "2026-03-05", end: "2026-03-05" },
  ]);
  // 1 Jan … 1 Mar 2026 is 60 days: with 31, runs of 31 (1 Jan–31 Jan) and 29 (1 Feb–1 Mar).
  const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
  expect(dayRuns(days, 31)).toEqual([
    { start: "2026-01-01", end: "2026-01-31" },
    { start: "2026-02-01", end: "2026-03-01" },
  ]);
  // By default weeks: 60 days = 8 runs of 7 and one of 4 (26 Feb – 1 Mar).
  const weeks = dayRuns(days);
  expect(weeks.length).toBe(9);
  expect(weeks[8]).toEqual({ start: "2026-02-26", end: "2026-03-01" });
});

it("counts distinct visitor numbers across cells exactly, and leaves its bitmap clear", () => {
  const nums = (...n: number[]) => {
    const b = Buffer.alloc(n.length * 4);
    n.forEach((x, i) => b.writeUInt32BE(x, i * 4));
    return b;
  };
  const c = new VisitorCounter();
  // {1, 5, 700000} ∪ {5, 9} ∪ {} = {1, 5, 9, 700000}: 4 (700000 grows the bitmap past 64 KB).
  expect(c.count([nums(1, 5, 700_000), nums(5, 9), nums()])).toBe(4);
  expect(c.count([nums(5), nums(5)])).toBe(1);
  // Cleared bit by bit after a sparse count (3 numbers over 87,500 bytes), by one fill after a
  // dense one: a second count of the same sets finds every number again.
  expect(c.count([nums(1, 9, 700_000)])).toBe(3);
  expect(c.count([nums(1, 9, 700_000)])).toBe(3);
  const range = (from: number, to: number) => nums(...Array.from({ length: to - from }, (_, i) => from + i));
  // [0, 1000) ∪ [500, 1500) = [0, 1500): 1,500.
  expect(c.count([range(0, 1000), range(500, 1500)])).toBe(1500);
  expect(c.count([range(0, 1000), range(500, 1500)])).toBe(1500);
  expect(c.count([nums(1_499)])).toBe(1);
});
