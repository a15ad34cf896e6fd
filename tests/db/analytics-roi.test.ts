import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { listAdSpend, parseAdSpendCsv, parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { getRoi, parseRoiParams } from "@/lib/analytics/roi";
import { rows } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { statusOf } from "@/lib/http/errors";
import { describeDb } from "../helpers/db";
import { loadFixture, march } from "../fixtures/analytics-fixture";

const SPEND = [
  { date: "2026-03-05", utm_source: "Google", utm_campaign: "spring", amount: 50 }, // source normalised to google
  { date: "2026-03-06", utm_source: "google", utm_campaign: "spring", amount: 30 },
  { date: "2026-03-07", utm_source: "tiktok", utm_campaign: "launch", amount: 20 }, // spend without sessions
  { date: "2026-02-27", utm_source: "google", utm_campaign: "spring", amount: 500 }, // before the range
];

describeDb("analytics: roi and ad spend", (ctx) => {
  it("rows for pairs with sessions or spend, null divisors, sort order, total", async () => {
    await loadFixture(ctx.handle.db);
    await upsertAdSpend(ctx.handle.db, parseAdSpendRows(SPEND));
    const r = await getRoi(ctx.handle.db, march());
    // (Rows also carry margin, poas, new_customers, ncac: tests/db/money-profit.test.ts.)
    expect(r.rows).toMatchObject([
      // google/spring: S1,S2; spend 50+30 = 80; revenue 100 → roi (100-80)/80 = 25 %, roas 1.25, cpa 80/1
      { utm_source: "google", utm_campaign: "spring", spend: 80, sessions: 2, orders: 1, revenue: 100, net_revenue: 100, roi: 25, roas: 1.25, cpa: 80 },
      // tiktok/launch: spend 20, nothing else → roi -100, roas 0, cpa null (0 orders)
      { utm_source: "tiktok", utm_campaign: "launch", spend: 20, sessions: 0, orders: 0, revenue: 0, net_revenue: 0, roi: -100, roas: 0, cpa: null },
      // no spend: roi/roas null; facebook first by revenue 250.5; cpa 0/2 = 0
      { utm_source: "facebook", utm_campaign: "spring", spend: 0, sessions: 1, orders: 2, revenue: 250.5, net_revenue: 250.5, roi: null, roas: null, cpa: 0 },
      // spend 0, revenue 0: by source ascending "(direct)" < "google"
      { utm_source: "(direct)", utm_campaign: "(none)", spend: 0, sessions: 1, orders: 0, revenue: 0, net_revenue: 0, roi: null, roas: null, cpa: null },
      { utm_source: "google", utm_campaign: "summer", spend: 0, sessions: 1, orders: 0, revenue: 0, net_revenue: 0, roi: null, roas: null, cpa: null },
    ]);
    // total (SPEC 18): roi, roas and cpa of the rows WITH spend — google/spring (80, revenue 100, 1
    // order) + tiktok/launch (20, 0, 0): paid revenue 100, spend 100 → roi (100-100)/100 = 0, roas 1,
    // cpa 100/1 = 100; blended_roas (MER) = all revenue 350.5 / all spend 100 = 3.505 → 3.51.
    expect(r.total).toMatchObject({
      utm_source: "total",
      utm_campaign: "total",
      spend: 100,
      sessions: 5,
      orders: 3,
      revenue: 350.5,
      net_revenue: 350.5,
      roi: 0,
      roas: 1,
      cpa: 100,
      paid_revenue: 100,
      paid_orders: 1,
      blended_roas: 3.51,
    });
  });

  it("only source/campaign filters narrow spend; other filters narrow sessions", async () => {
    await loadFixture(ctx.handle.db);
    await upsertAdSpend(ctx.handle.db, parseAdSpendRows(SPEND));
    // country=UA: sessions S1,S2 (google/spring); spend unfiltered: google/spring 80, tiktok 20.
    const ua = await getRoi(ctx.handle.db, march({ country: "UA" }));
    expect(ua.rows.map((x) => [x.utm_source, x.utm_campaign, x.spend, x.sessions])).toEqual([
      ["google", "spring", 80, 2],
      ["tiktok", "launch", 20, 0],
    ]);
    // utm_source=google: spend google only (80); sessions S1,S2,S5.
    const g = await getRoi(ctx.handle.db, march({ utm_source: "google" }));
    expect(g.rows.map((x) => [x.utm_campaign, x.spend, x.sessions])).toEqual([
      ["spring", 80, 2],
      ["summer", 0, 1],
    ]);
    expect(g.total.spend).toBe(80);
  });

  it("what-if spend: shared in proportion to real spend, equally when none", async () => {
    await loadFixture(ctx.handle.db);
    await upsertAdSpend(ctx.handle.db, parseAdSpendRows(SPEND));
    const r = await getRoi(ctx.handle.db, march(), { spend: 200 });
    // real 80 : 20 of 100 → 160 and 40; google/spring roi (100-160)/160 = -37.5, roas 0.625 → 0.63, cpa 160
    expect(r.rows[0]).toMatchObject({ utm_source: "google", spend: 160, roi: -37.5, roas: 0.63, cpa: 160 });
    expect(r.rows[1]).toMatchObject({ utm_source: "tiktok", spend: 40, roi: -100 });
    // total: spend 200 over the same two paid rows (paid revenue 100, 1 order) → roi (100-200)/200
    // = -50, roas 0.5, cpa 200; blended 350.5/200 = 1.7525 → 1.75.
    expect(r.total).toMatchObject({ spend: 200, roi: -50, roas: 0.5, cpa: 200, blended_roas: 1.75 });

    await ctx.handle.db.execute(sql`delete from ad_spend`);
    // No spend at all: 90 over the 4 pairs with sessions = 22.5 each.
    const eq = await getRoi(ctx.handle.db, march(), { spend: 90 });
    expect(eq.rows.map((x) => x.spend)).toEqual([22.5, 22.5, 22.5, 22.5]);
    // Equal spend → revenue decides: facebook/spring (250.5) first; facebook roas 250.5/22.5 = 11.13
    expect(eq.rows[0]).toMatchObject({ utm_source: "facebook", roas: 11.13, cpa: 11.25 });
    expect(eq.total.spend).toBe(90);
  });

  it("spend parameter validation", () => {
    const err = (s: string) => {
      try {
        parseRoiParams(new URLSearchParams(s));
        return "no error";
      } catch (e) {
        return e instanceof AppError ? [statusOf(e), e.issues?.[0]?.path] : e;
      }
    };
    expect(err("spend=-1")).toEqual([400, "spend"]);
    expect(err("spend=abc")).toEqual([400, "spend"]);
    expect(parseRoiParams(new URLSearchParams("spend=0"))).toEqual({ spend: 0 });
  });

  it("ad spend: upsert replaces an existing date+source+campaign; CSV and validation paths", async () => {
    const db = ctx.handle.db;
    expect(await upsertAdSpend(db, parseAdSpendRows({ rows: SPEND }))).toBe(4);
    // Same key (2026-03-05, google, spring) again → amount replaced, not added.
    await upsertAdSpend(db, parseAdSpendCsv("date,utm_source,utm_campaign,amount\n2026-03-05, GOOGLE ,spring,75.5\n2026-03-08,meta,,10\n"));
    const got = await rows<{ n: number; amount: number }>(db, sql`select count(*)::int as n, sum(amount)::float8 as amount from ad_spend`);
    // 5 rows: 75.5 + 30 + 20 + 500 + 10 = 635.5
    expect(got[0]).toEqual({ n: 5, amount: 635.5 });
    const list = await listAdSpend(db, march());
    // March rows: 03-05 google 75.5, 03-06 google 30, 03-07 tiktok 20, 03-08 meta (none) 10 → 135.5
    expect(list.rows.map((r) => [r.date, r.utm_source, r.utm_campaign, r.amount])).toEqual([
      ["2026-03-05", "google", "spring", 75.5],
      ["2026-03-06", "google", "spring", 30],
      ["2026-03-07", "tiktok", "launch", 20],
      ["2026-03-08", "meta", "(none)", 10],
    ]);
    expect(list.total).toBe(135.5);
    const bad = () => parseAdSpendRows([SPEND[0], { ...SPEND[1], amount: -3 }, { ...SPEND[2], date: "2026-02-30" }, { ...SPEND[3], amount: "x" }]);
    expect(bad).toThrow(AppError);
    try {
      bad();
    } catch (e) {
      expect((e as AppError).issues?.map((i) => i.path)).toEqual(["rows[1].amount", "rows[2].date", "rows[3].amount"]);
    }
    expect(() => parseAdSpendCsv("day,source,cost\n1,2,3\n")).toThrow(/columns/);
  });
});
