import { beforeEach, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { GET as attributionRoute } from "@/app/api/utm/attribution/route";
import { GET as compareRoute } from "@/app/api/utm/attribution/compare/route";
import { GET as exportCsvRoute } from "@/app/api/utm/export-csv/route";
import {
  ATTRIBUTION_MODELS,
  getAttribution,
  getAttributionCompare,
  parseAttributionParams,
  type AttributionCompare,
  type AttributionModel,
} from "@/lib/analytics/attribution";
import { parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { AppError } from "@/lib/errors";
import { ingestBatch } from "@/lib/ingest/batch";
import { eraseVisitor } from "@/lib/ingest/erase";
import { parseDashboardState } from "@/app/dispatcher/search-params";
import { describeDb } from "../helpers/db";
import { sid } from "../helpers/ingest";

/**
 * SPEC 13 by hand. Every scenario is a few sessions of one visitor and one paid order placed at
 * T0 = 2026-03-15 12:00 UTC (range: March 2026, UTC; window: the default 30 days). Sessions start
 * whole weeks before T0 so the time-decay factors 2^(−Δ/7 days) are powers of two:
 *   Δ = 0 → 1, 7 d → 1/2, 14 d → 1/4, 21 d → 1/8, 28 d → 1/16.
 * Each session has its own campaign, so `dimension=utm_campaign` shows each touchpoint's weight.
 */

const T0 = Date.parse("2026-03-15T12:00:00Z");
const before = (days: number, hours = 0) => new Date(T0 - days * 86_400_000 - hours * 3_600_000).toISOString();
const PLACED = before(0);
const NOW = new Date("2026-04-15T12:00:00Z");
const march = (extra: Record<string, string | string[]> = {}) =>
  parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31", ...extra }, { tz: "UTC", now: NOW });

type Sess = Record<string, string>;
/** A tagged session: `campaign` also names its landing page (/campaign). */
const tagged = (n: number, visitor: string, started: string, source: string, campaign: string, extra: Sess = {}): Sess => ({
  id: sid(n),
  visitor_id: visitor,
  started_at: started,
  landing_url: `https://shop.example/${campaign}`,
  utm_source: source,
  utm_medium: "cpc",
  utm_campaign: campaign,
  country: "UA",
  ...extra,
});
/** A direct session (no tags, no referrer): source (direct), campaign (none). */
const direct = (n: number, visitor: string, started: string, path: string): Sess => ({
  id: sid(n),
  visitor_id: visitor,
  started_at: started,
  landing_url: `https://shop.example/${path}`,
  country: "UA",
});
const order = (id: string, visitor: string | null, total: number, extra: Record<string, unknown> = {}) => ({
  order_id: id,
  customer_id: `c-${id}`,
  ...(visitor ? { visitor_id: visitor } : {}),
  total,
  status: "paid",
  placed_at: PLACED,
  ...extra,
});

/** key → model → [conversions, revenue] of a compare answer. */
function table(c: AttributionCompare): Record<string, Record<AttributionModel, [number, number]>> {
  const out: Record<string, Record<AttributionModel, [number, number]>> = {};
  for (const r of c.rows) {
    out[r.key] = {} as Record<AttributionModel, [number, number]>;
    for (const m of ATTRIBUTION_MODELS) out[r.key][m] = [r.results[m].conversions, r.results[m].revenue];
  }
  return out;
}
/** The same [conversions, revenue] for every model. */
const all = (conv: number, rev: number) => Object.fromEntries(ATTRIBUTION_MODELS.map((m) => [m, [conv, rev]]));

describe("attribution constants", () => {
  it("the dashboard's URL state defaults to last_non_direct by source and names a bad model", () => {
    expect(parseDashboardState({}).state).toMatchObject({ model: "last_non_direct", attributionDimension: "utm_source" });
    expect(parseDashboardState({ model: "linear", attribution_dimension: "referrer" }).state).toMatchObject({ model: "linear", attributionDimension: "referrer" });
    expect(parseDashboardState({ model: "best" }).issues.map((i) => i.path)).toEqual(["model"]);
  });
});

describeDb("analytics: attribution models (SPEC 13)", (ctx) => {
  const load = (sessions: Sess[], orders: unknown[]) => ingestBatch(ctx.handle.db, { sessions, orders });
  const compare = async (dimension: Parameters<typeof getAttributionCompare>[2] = "utm_campaign", extra = {}) =>
    getAttributionCompare(ctx.handle.db, march(extra), dimension);

  it("one candidate: every model gives it the whole order", async () => {
    // S1 google/one, 3 days before; order 100.
    await load([tagged(1, "v", before(3), "google", "one")], [order("o1", "v", 100)]);
    expect(table(await compare())).toEqual({ one: all(1, 100) });
    const a = await getAttribution(ctx.handle.db, march(), "linear", "utm_source");
    expect(a).toEqual({
      model: "linear",
      dimension: "utm_source",
      rows: [{ key: "google", conversions: 1, revenue: 100, share: 100 }],
      total: { conversions: 1, revenue: 100 },
      unattributed: { orders: 0, revenue: 0 },
    });
  });

  it("two candidates and a later direct touchpoint: direct only for last_click", async () => {
    // S1 facebook/b1 Δ14d (decay 1/4), S2 google/b2 Δ7d (1/2), S3 direct Δ1h (not a candidate); order 300.
    await load(
      [tagged(1, "v", before(14), "facebook", "b1"), tagged(2, "v", before(7), "google", "b2"), direct(3, "v", before(0, 1), "home")],
      [order("o1", "v", 300)],
    );
    expect(table(await compare())).toEqual({
      // last_non_direct: latest candidate S2 → 1 × 300; first_click: S1; linear and position (n=2): ½ each = 150;
      // time_decay: 1/4 : 1/2 → 1/3 (100) and 2/3 (200); last_click: the latest touchpoint S3 (direct).
      b2: {
        last_non_direct: [1, 300],
        last_click: [0, 0],
        first_click: [0, 0],
        linear: [0.5, 150],
        position_based: [0.5, 150],
        time_decay: [0.67, 200],
      },
      b1: {
        last_non_direct: [0, 0],
        last_click: [0, 0],
        first_click: [1, 300],
        linear: [0.5, 150],
        position_based: [0.5, 150],
        time_decay: [0.33, 100],
      },
      "(none)": {
        last_non_direct: [0, 0],
        last_click: [1, 300],
        first_click: [0, 0],
        linear: [0, 0],
        position_based: [0, 0],
        time_decay: [0, 0],
      },
    });
  });

  it("three candidates: linear thirds, position 0.4/0.2/0.4, time decay 1/7, 2/7, 4/7", async () => {
    // S1 x/c1 Δ14d (1/4), S2 y/c2 Δ7d (1/2), S3 z/c3 Δ0 (1); Σ = 7/4 → 1/7, 2/7, 4/7. Order 700.
    await load(
      [tagged(1, "v", before(14), "x", "c1"), tagged(2, "v", before(7), "y", "c2"), tagged(3, "v", before(0), "z", "c3")],
      [order("o1", "v", 700)],
    );
    const t = table(await compare());
    // linear 700/3 = 233.333… → 233.33 (0.33); position: 0.4×700 = 280, 0.2×700 = 140.
    expect(t.c1).toEqual({ last_non_direct: [0, 0], last_click: [0, 0], first_click: [1, 700], linear: [0.33, 233.33], position_based: [0.4, 280], time_decay: [0.14, 100] });
    expect(t.c2).toEqual({ last_non_direct: [0, 0], last_click: [0, 0], first_click: [0, 0], linear: [0.33, 233.33], position_based: [0.2, 140], time_decay: [0.29, 200] });
    expect(t.c3).toEqual({ last_non_direct: [1, 700], last_click: [1, 700], first_click: [0, 0], linear: [0.33, 233.33], position_based: [0.4, 280], time_decay: [0.57, 400] });
    // Rows by last_non_direct revenue desc, then key: c3 (700), then c1, c2 (0, by key).
    expect(Object.keys(t)).toEqual(["c3", "c1", "c2"]);
  });

  it("five candidates: position 0.4, 0.2/3 ×3, 0.4; time decay 1..16/31", async () => {
    // Δ 28, 21, 14, 7, 0 days → 1/16, 1/8, 1/4, 1/2, 1; Σ = 31/16 → 1/31, 2/31, 4/31, 8/31, 16/31. Order 310.
    await load(
      [1, 2, 3, 4, 5].map((i) => tagged(i, "v", before((5 - i) * 7), `s${i}`, `d${i}`)),
      [order("o1", "v", 310)],
    );
    const a = await getAttribution(ctx.handle.db, march(), "position_based", "utm_campaign");
    // 0.4 × 310 = 124 (share 40 %); 0.2/3 = 0.0666… → conversions 0.07, revenue 20.666… → 20.67 (share 6.67 %).
    // Ties in revenue and conversions fall to the key: d2, d3, d4.
    expect(a.rows).toEqual([
      { key: "d1", conversions: 0.4, revenue: 124, share: 40 },
      { key: "d5", conversions: 0.4, revenue: 124, share: 40 },
      { key: "d2", conversions: 0.07, revenue: 20.67, share: 6.67 },
      { key: "d3", conversions: 0.07, revenue: 20.67, share: 6.67 },
      { key: "d4", conversions: 0.07, revenue: 20.67, share: 6.67 },
    ]);
    expect(a.total).toEqual({ conversions: 1, revenue: 310 });
    const t = table(await compare());
    // time decay: 310/31 = 10 per unit → 10, 20, 40, 80, 160; conversions 1/31 = 0.03, 2/31 = 0.06, 4/31 = 0.13, 8/31 = 0.26, 16/31 = 0.52.
    expect(["d1", "d2", "d3", "d4", "d5"].map((k) => t[k].time_decay)).toEqual([[0.03, 10], [0.06, 20], [0.13, 40], [0.26, 80], [0.52, 160]]);
    // linear: 310/5 = 62 each, 0.2.
    expect(["d1", "d2", "d3", "d4", "d5"].map((k) => t[k].linear)).toEqual([[0.2, 62], [0.2, 62], [0.2, 62], [0.2, 62], [0.2, 62]]);
    expect(t.d1.first_click).toEqual([1, 310]);
    expect(t.d5.last_non_direct).toEqual([1, 310]);
    expect(t.d5.last_click).toEqual([1, 310]);
  });

  it("a direct-only path: every touchpoint is a candidate", async () => {
    // Two direct sessions (landing /f1 Δ7d → 1/2, /f2 Δ0 → 1), order 90. By landing_page:
    // last_non_direct = last_click = /f2; first_click /f1; linear, position ½ each = 45; time decay 1/3 (30), 2/3 (60).
    await load([direct(1, "v", before(7), "f1"), direct(2, "v", before(0), "f2")], [order("o1", "v", 90)]);
    expect(table(await compare("landing_page"))).toEqual({
      "/f2": { last_non_direct: [1, 90], last_click: [1, 90], first_click: [0, 0], linear: [0.5, 45], position_based: [0.5, 45], time_decay: [0.67, 60] },
      "/f1": { last_non_direct: [0, 0], last_click: [0, 0], first_click: [1, 90], linear: [0.5, 45], position_based: [0.5, 45], time_decay: [0.33, 30] },
    });
    const a = await getAttribution(ctx.handle.db, march(), "last_non_direct", "utm_source");
    expect(a.rows).toEqual([{ key: "(direct)", conversions: 1, revenue: 90, share: 100 }]);
  });

  it("an order naming its session: that session alone in every model", async () => {
    // The order names S1 (facebook/named, Δ14d) although S2 (google/later, Δ1d) is later and non-direct.
    await load(
      [tagged(1, "v", before(14), "facebook", "named"), tagged(2, "v", before(1), "google", "later")],
      [order("o1", "v", 50, { session_id: sid(1) })],
    );
    expect(table(await compare())).toEqual({ named: all(1, 50) });
  });

  it("the window: a session older than 30 days is no touchpoint; an order with none is unattributed", async () => {
    // v1: S1 google/old 31 days before (outside), S2 direct 1 day before (inside) → only S2: direct-only path.
    // v2: S3 google/old2 30 days + 1 hour before → no touchpoint: unattributed (order 40).
    // v3: S4 google/edge exactly 30 × 24 h before → inside (≤ window).
    // o4 has neither visitor nor session: unattributed (order 5). o5 is refunded, o6 placed in April: not counted.
    await load(
      [
        tagged(1, "v1", before(31), "google", "old"),
        direct(2, "v1", before(1), "home"),
        tagged(3, "v2", before(30, 1), "google", "old2"),
        tagged(4, "v3", before(30), "google", "edge"),
      ],
      [
        order("o1", "v1", 20),
        order("o2", "v2", 40),
        order("o3", "v3", 7),
        order("o4", null, 5),
        order("o5", "v3", 1000, { status: "refunded" }),
        order("o6", "v3", 1000, { placed_at: "2026-04-01T12:00:00Z" }),
      ],
    );
    for (const m of ATTRIBUTION_MODELS) {
      const a = await getAttribution(ctx.handle.db, march(), m, "utm_campaign");
      // o1 → (none) (direct S2) 20; o3 → edge 7; total 27; shares 20/27 = 74.07 %, 7/27 = 25.93 %.
      expect([m, a.rows]).toEqual([
        m,
        [
          { key: "(none)", conversions: 1, revenue: 20, share: 74.07 },
          { key: "edge", conversions: 1, revenue: 7, share: 25.93 },
        ],
      ]);
      // o2 (40) and o4 (5): 2 orders, 45.
      expect(a.unattributed).toEqual({ orders: 2, revenue: 45 });
      expect(a.total).toEqual({ conversions: 2, revenue: 27 });
    }
  });

  it("same started_at: ties break by session id ascending (the greatest id is the latest)", async () => {
    // S11 google/t11 and S12 facebook/t12 both 2 days before; order 80.
    // latest = S12 (greater id): last_non_direct, last_click; earliest = S11: first_click; linear/position/time decay ½ each.
    await load([tagged(12, "v", before(2), "facebook", "t12"), tagged(11, "v", before(2), "google", "t11")], [order("o1", "v", 80)]);
    expect(table(await compare())).toEqual({
      t12: { last_non_direct: [1, 80], last_click: [1, 80], first_click: [0, 0], linear: [0.5, 40], position_based: [0.5, 40], time_decay: [0.5, 40] },
      t11: { last_non_direct: [0, 0], last_click: [0, 0], first_click: [1, 80], linear: [0.5, 40], position_based: [0.5, 40], time_decay: [0.5, 40] },
    });
  });

  it("a dimension filter keeps only the credited sessions that match it", async () => {
    // v: S1 google/a (UA) Δ7d, S2 facebook/b (PL) Δ0; order 100. linear: ½ each.
    // v2: S3 tiktok/c (PL) Δ1d; order 10. v3: no session; order 3 (unattributed).
    await load(
      [
        tagged(1, "v", before(7), "google", "a", { country: "UA" }),
        tagged(2, "v", before(0), "facebook", "b", { country: "PL" }),
        tagged(3, "v2", before(1), "tiktok", "c", { country: "PL" }),
      ],
      [order("o1", "v", 100), order("o2", "v2", 10), order("o3", "v3", 3)],
    );
    // country=PL: S1's credit (50) is left out; S2 50, S3 10 → total 60; shares 50/60 = 83.33 %, 10/60 = 16.67 %.
    const pl = await getAttribution(ctx.handle.db, march({ country: "PL" }), "linear", "utm_source");
    expect(pl.rows).toEqual([
      { key: "facebook", conversions: 0.5, revenue: 50, share: 83.33 },
      { key: "tiktok", conversions: 1, revenue: 10, share: 16.67 },
    ]);
    expect(pl.total).toEqual({ conversions: 1.5, revenue: 60 });
    // unattributed ignores the filter: o3.
    expect(pl.unattributed).toEqual({ orders: 1, revenue: 3 });
    // The filter does not move weights: under last_non_direct S2 takes o1 whole (100), S1 nothing, so UA has no row.
    const ua = await getAttribution(ctx.handle.db, march({ country: "UA" }), "last_non_direct", "utm_source");
    expect(ua.rows).toEqual([]);
    expect(ua.total).toEqual({ conversions: 0, revenue: 0 });
    // not_ and several values (SPEC 12) through the same conditions: not_utm_source=facebook under linear → google 50, tiktok 10.
    const notFb = await getAttribution(ctx.handle.db, march({ not_utm_source: "facebook" }), "linear", "utm_source");
    expect(notFb.rows.map((r) => [r.key, r.revenue])).toEqual([["google", 50], ["tiktok", 10]]);
  });

  it("an erased visitor's order keeps its attributed session as its only touchpoint", async () => {
    // S1 google/g Δ7d, S2 facebook/f Δ1d: the order (60) is attributed to S2 when stored; after erasure
    // the visitor's sessions cannot be linked, so f takes 1 in every model (first_click included).
    await load([tagged(1, "v", before(7), "google", "g"), tagged(2, "v", before(1), "facebook", "f")], [order("o1", "v", 60)]);
    await eraseVisitor(ctx.handle.db, "v");
    expect(table(await compare())).toEqual({ f: all(1, 60) });
  });

  it("compare: spend and ROAS per model for sources, null spend for other dimensions", async () => {
    // v: S1 google/g Δ7d, S2 facebook/f Δ0; order 200. v2: S3 tiktok/t Δ1d; order 30.
    await load(
      [tagged(1, "v", before(7), "google", "g"), tagged(2, "v", before(0), "facebook", "f"), tagged(3, "v2", before(1), "tiktok", "t")],
      [order("o1", "v", 200), order("o2", "v2", 30)],
    );
    await upsertAdSpend(
      ctx.handle.db,
      parseAdSpendRows([
        { date: "2026-03-02", utm_source: "google", utm_campaign: "g", amount: 40 },
        { date: "2026-03-03", utm_source: "google", utm_campaign: "g", amount: 60 },
        { date: "2026-03-04", utm_source: "facebook", utm_campaign: "f", amount: 0 },
        { date: "2026-02-27", utm_source: "tiktok", utm_campaign: "t", amount: 999 }, // before the range
        { date: "2026-03-05", utm_source: "bing", utm_campaign: "b", amount: 10 }, // spend, no credit: no row
      ]),
    );
    const c = await getAttributionCompare(ctx.handle.db, march(), "utm_source");
    expect(c.dimension).toBe("utm_source");
    expect(c.models).toEqual(["last_non_direct", "last_click", "first_click", "linear", "position_based", "time_decay"]);
    // google: spend 40 + 60 = 100. lnd 0 → roas 0; first_click 200 → 2; linear ½ → 100 → 1; time decay 1/3 (66.67) → 0.67.
    // facebook: spend 0 → roas null. tiktok: no spend in range → 0 → null.
    // Order: last_non_direct revenue facebook 200, tiktok 30, google 0.
    expect(c.rows).toEqual([
      {
        key: "facebook",
        spend: 0,
        results: {
          last_non_direct: { conversions: 1, revenue: 200, roas: null },
          last_click: { conversions: 1, revenue: 200, roas: null },
          first_click: { conversions: 0, revenue: 0, roas: null },
          linear: { conversions: 0.5, revenue: 100, roas: null },
          position_based: { conversions: 0.5, revenue: 100, roas: null },
          time_decay: { conversions: 0.67, revenue: 133.33, roas: null },
        },
      },
      { key: "tiktok", spend: 0, results: Object.fromEntries(ATTRIBUTION_MODELS.map((m) => [m, { conversions: 1, revenue: 30, roas: null }])) },
      {
        key: "google",
        spend: 100,
        results: {
          last_non_direct: { conversions: 0, revenue: 0, roas: 0 },
          last_click: { conversions: 0, revenue: 0, roas: 0 },
          first_click: { conversions: 1, revenue: 200, roas: 2 },
          linear: { conversions: 0.5, revenue: 100, roas: 1 },
          position_based: { conversions: 0.5, revenue: 100, roas: 1 },
          time_decay: { conversions: 0.33, revenue: 66.67, roas: 0.67 },
        },
      },
    ]);
    // utm_source=google narrows spend and credited sessions alike; campaigns: g spend 100.
    const g = await getAttributionCompare(ctx.handle.db, march({ utm_source: "google" }), "utm_campaign");
    expect(g.rows.map((r) => [r.key, r.spend, r.results.first_click.roas])).toEqual([["g", 100, 2]]);
    // Other dimensions: spend and roas null.
    const d = await getAttributionCompare(ctx.handle.db, march(), "device");
    expect(d.rows.map((r) => [r.key, r.spend, r.results.linear.revenue, r.results.linear.roas])).toEqual([["other", null, 230, null]]);
  });

  it("parameters: defaults and 400 naming model or dimension", () => {
    expect(parseAttributionParams({})).toEqual({ model: "last_non_direct", dimension: "utm_source" });
    expect(parseAttributionParams({ model: "time_decay", dimension: "referrer" })).toEqual({ model: "time_decay", dimension: "referrer" });
    const err = (() => {
      try {
        parseAttributionParams({ model: "shapley" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).issues?.[0]?.path).toBe("model");
    expect(() => parseAttributionParams({ dimension: "browser" })).toThrow(/dimension/);
  });

  apiTests();

  function apiTests() {
    let token = "";
    beforeEach(async () => {
      token = (await createApiToken(ctx.handle.db, { name: "reader", scopes: ["read"] })).token;
    });
    type Handler = (req: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const get = (handler: unknown, path: string, auth: boolean) =>
      (handler as Handler)(
        new Request(`http://x/api/utm/${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} }),
        { params: Promise.resolve({}) },
      );
    const RANGE = "start_date=2026-03-01&end_date=2026-03-31";

    it("API: 401 without credentials, 400 for a bad model or dimension, answers through the routes", async () => {
      await load([tagged(1, "v", before(7), "google", "g"), tagged(2, "v", before(0), "facebook", "f")], [order("o1", "v", 200)]);
      expect((await get(attributionRoute, `attribution?${RANGE}`, false)).status).toBe(401);
      expect((await get(compareRoute, `attribution/compare?${RANGE}`, false)).status).toBe(401);
      const bad = await get(attributionRoute, `attribution?model=best&${RANGE}`, true);
      expect(bad.status).toBe(400);
      expect((await bad.json()).issues[0].path).toBe("model");
      const badDim = await get(compareRoute, `attribution/compare?dimension=os&${RANGE}`, true);
      expect(badDim.status).toBe(400);
      expect((await badDim.json()).issues[0].path).toBe("dimension");
      // first_click: google (S1) takes the order whole.
      const ok = await get(attributionRoute, `attribution?model=first_click&${RANGE}`, true);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({
        model: "first_click",
        dimension: "utm_source",
        rows: [{ key: "google", conversions: 1, revenue: 200, share: 100 }],
        total: { conversions: 1, revenue: 200 },
        unattributed: { orders: 0, revenue: 0 },
      });
      const cmp = await get(compareRoute, `attribution/compare?dimension=utm_campaign&${RANGE}`, true);
      expect(cmp.status).toBe(200);
      // last_non_direct: f 200, g 0 → f first.
      expect((await cmp.json()).rows.map((r: { key: string }) => r.key)).toEqual(["f", "g"]);
    });

    it("CSV report=attribution: one line per key and model, spend and roas for sources", async () => {
      await load([tagged(1, "v", before(7), "google", "g"), tagged(2, "v", before(0), "facebook", "f")], [order("o1", "v", 200)]);
      await upsertAdSpend(ctx.handle.db, parseAdSpendRows([{ date: "2026-03-02", utm_source: "google", utm_campaign: "g", amount: 50 }]));
      const res = await get(exportCsvRoute, `export-csv?report=attribution&${RANGE}`, true);
      expect(res.status).toBe(200);
      const lines = (await res.text()).trim().split(/\r?\n/);
      expect(lines[0]).toBe("key,model,spend,conversions,revenue,roas");
      // 2 keys × 6 models; facebook first (last_non_direct 200). google first_click 200 / 50 → roas 4; linear 100 → 2.
      expect(lines).toHaveLength(1 + 12);
      expect(lines[1]).toBe("facebook,last_non_direct,0,1,200,");
      expect(lines).toContain("google,first_click,50,1,200,4");
      expect(lines).toContain("google,linear,50,0.5,100,2");
      const dev = await get(exportCsvRoute, `export-csv?report=attribution&dimension=device&${RANGE}`, true);
      const devLines = (await dev.text()).trim().split(/\r?\n/);
      expect(devLines[0]).toBe("key,model,conversions,revenue,roas");
      expect(devLines[1]).toBe("other,last_non_direct,1,200,");
    });
  }
});
