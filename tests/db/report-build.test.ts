import { expect, it } from "vitest";
import { getAbTest } from "@/lib/analytics/ab-test";
import { getAttributionCompare } from "@/lib/analytics/attribution";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getCompare } from "@/lib/analytics/compare";
import { getFunnel } from "@/lib/analytics/funnel";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { getRepeatRate } from "@/lib/analytics/repeat-rate";
import { buildReport, reportQuery } from "@/lib/reports/build-report";
import { reportWindow } from "@/lib/reports/periods";
import { renderReport } from "@/lib/reports/render";
import { describeDb } from "../helpers/db";
import { loadReportFixture, NOW } from "../fixtures/report-db-fixture";

describeDb("build-report from the analytics layer", (ctx) => {
  it("the report's figures are the analytics answers for the same ranges, and match the fixture by hand", async () => {
    const db = ctx.handle.db;
    await loadReportFixture(db);
    const w = reportWindow("week", NOW, "UTC");
    expect(w.current).toEqual({ start: "2026-01-05", end: "2026-01-11" });
    const data = await buildReport(db, w, { now: NOW });
    const q = reportQuery(w.current, "UTC", NOW);

    // Same functions, same ranges → the same answers.
    const compare = await getCompare(db, q, { previous: w.previous });
    expect(data.kpis).toEqual({ current: compare.current.stats, previous: compare.previous.stats, change: compare.change });
    expect(data.sources).toEqual(await getBreakdown(db, q, "sources"));
    expect(data.campaigns).toEqual(await getBreakdown(db, q, "campaigns"));
    expect(data.funnel).toEqual((await getFunnel(db, q)).steps);
    expect(data.repeatRate).toEqual(await getRepeatRate(db, q));
    expect(data.ltv).toEqual(await getLtvComparison(db, q));
    const attribution = await getAttributionCompare(db, q, "utm_source");
    expect(data.byModel.map((l) => l.source)).toEqual(attribution.rows.slice(0, 3).map((r) => r.key));
    // By model (SPEC 13), orders placed in the week: every order here names its session, so each model credits
    // that session alone: newsletter 10 × 10 + 10 = 110, google o1 100, facebook o2 50 ((direct) o3 30 is 4th).
    const same = (x: number) => ({ last_non_direct: x, first_click: x, linear: x });
    expect(data.byModel).toEqual([
      { source: "newsletter", revenue: same(110) },
      { source: "google", revenue: same(100) },
      { source: "facebook", revenue: same(50) },
    ]);

    // By hand. Current: 4 + 40 sessions; visitors v1, v2, v3 + 40 = 43; paid orders o1, o2, o3 + 10 x + 1 y = 14;
    // revenue 100 + 50 + 30 + 110 = 290; converted sessions s1, s3, s4 + 11 = 14 → 14/44 = 31.82 %.
    expect(data.kpis.current).toMatchObject({ sessions: 44, visitors: 43, orders: 14, conversions: 14, revenue: 290, conversion_rate: 31.82 });
    // Previous: p1, p2 → 2 sessions, 1 order of 80. Changes: sessions (44−2)/2 = +2100 %, revenue (290−80)/80 = +262.5 %.
    expect(data.kpis.previous).toMatchObject({ sessions: 2, orders: 1, revenue: 80 });
    expect(data.kpis.change.sessions).toBe(2100);
    expect(data.kpis.change.revenue).toBe(262.5);
    // Sources by sessions: newsletter 40, google 2 (s1, s2), (direct) 1, facebook 1 (ties by key).
    expect(data.sources.rows.map((r) => [r.key, r.sessions, r.revenue])).toEqual([
      ["newsletter", 40, 110],
      ["google", 2, 100],
      ["(direct)", 1, 30],
      ["facebook", 1, 50],
    ]);

    // A/B: spring x converts 10/20 = 50 %, y 1/20 = 5 %; pooled p = 11/40, z = 0.45 / sqrt(0.275·0.725·0.1) = 3.19
    // → confidence 99.86 % ≥ 95: the only significant winner. winter (a 1/1 vs b 0/1) is not significant.
    const spring = await getAbTest(db, q, { campaign: "spring" });
    expect(data.abWinners).toEqual([{ campaign: "spring", winner: "x", winner_lift: spring.winner_lift, confidence: spring.confidence, variants: spring.variants }]);
    expect(data.abWinners[0].winner_lift).toBe(900); // (50 − 5) / 5 × 100
    expect(data.abWinners[0].confidence).toBeCloseTo(99.86, 1);
    expect((await getAbTest(db, q, { campaign: "winter" })).is_significant).toBe(false);

    expect(data.dashboardUrl).toBe("http://localhost:3000/dispatcher?start_date=2026-01-05&end_date=2026-01-11");

    // And the rendering shows those figures: 44 sessions, revenue 290 UAH, the winner; changes
    // with one decimal and the lift as SPEC 6's +25.0%, as the dashboard writes them.
    const en = await renderReport(data, "en");
    const text = en.text.replace(/\u00a0/g, " ");
    expect(text).toMatch(/Sessions +44 +\+2,100\.0%/);
    expect(text).toMatch(/Revenue +UAH 290\.00 +\+262\.5%/);
    expect(text).toMatch(/spring +x +\+900\.0% +99\.8\d%/);
    expect(text).toMatch(/newsletter +UAH 110\.00 +UAH 110\.00 +UAH 110\.00/);
  });
});
