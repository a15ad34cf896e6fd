import { expect, it } from "vitest";
import { getAbTest } from "@/lib/analytics/ab-test";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { describeDb } from "../helpers/db";
import { load, loadAbFixture, MAIN_NOW, uid } from "../fixtures/seed-v3.fixture";

const RANGE = { start_date: "2025-01-06", end_date: "2025-01-19" };
const q = (extra: Record<string, string> = {}) => parseAnalyticsQuery({ ...RANGE, ...extra }, { now: MAIN_NOW, tz: "UTC" });
const BASE = new Date("2025-01-10T10:00:00Z");

/** n sessions of `campaign`/`content`, the first `converted` of them with one paid order of 10. */
async function arm(db: Parameters<typeof load>[0], campaign: string, content: string, n: number, converted: number, seed: number) {
  const sessions = Array.from({ length: n }, (_, i) => ({
    id: uid(seed + i),
    visitor_id: `${campaign}-${content}-${i}`,
    started_at: new Date(BASE.getTime() + i * 60_000).toISOString(),
    utm_source: "google",
    utm_campaign: campaign,
    utm_content: content,
  }));
  const orders = sessions.slice(0, converted).map((s, i) => ({
    order_id: `${campaign}-${content}-o${i}`,
    customer_id: `${campaign}-${content}-c${i}`,
    session_id: s.id,
    total: 10,
    placed_at: new Date(BASE.getTime() + 3_600_000).toISOString(),
  }));
  await load(db, sessions, orders);
}

describeDb("A/B test of a campaign's creatives", (ctx) => {
  it("variants, winner, lift, confidence, probability to be best and sample size", async () => {
    await loadAbFixture(ctx.handle.db, "spring", BASE);
    const r = await getAbTest(ctx.handle.db, q(), { campaign: "spring" });
    // A: 3/10 converted = 30 %, revenue 100+20+50+30 = 200 over 4 orders → aov 50, 200/10 = 20 per session.
    // B: 1/8 = 12.5 % (the refunded order does not convert), 40 → aov 40, 40/8 = 5.
    // (none): 0/2. The "other" campaign and the session a year earlier are left out.
    // P(best) under Beta(4,8), Beta(2,8), Beta(1,3) (scipy quad): 55.6846, 14.9681, 29.3473.
    expect(r.variants).toEqual([
      { utm_content: "A", sessions: 10, conversions: 3, conversion_rate: 30, revenue: 200, revenue_per_session: 20, aov: 50, probability_to_be_best: 55.68 },
      { utm_content: "B", sessions: 8, conversions: 1, conversion_rate: 12.5, revenue: 40, revenue_per_session: 5, aov: 40, probability_to_be_best: 14.97 },
      { utm_content: "(none)", sessions: 2, conversions: 0, conversion_rate: 0, revenue: 0, revenue_per_session: 0, aov: 0, probability_to_be_best: 29.35 },
    ]);
    // winner_lift = (0.3 − 0.125)/0.125 · 100 = 140.
    // z: p = 4/18 = 0.2222, p(1−p) = 0.172840, × (1/10 + 1/8) = 0.038889, se = 0.197203,
    //    z = 0.175/0.197203 = 0.887412; confidence = (2Φ(0.887412) − 1)·100 = 62.51 → not significant.
    // sample size: 30 % vs 12.5 % → 84.59 → 85 (see tests/unit/stats.test.ts).
    expect(r).toMatchObject({ campaign: "spring", winner: "A", winner_lift: 140, confidence: 62.51, is_significant: false, min_sessions_per_variant: 85 });
    const sum = r.variants.reduce((s, v) => s + v.probability_to_be_best, 0);
    expect(Math.abs(sum - 100)).toBeLessThanOrEqual(0.5);
  });

  it("other filters narrow the campaign's sessions; the range too", async () => {
    await loadAbFixture(ctx.handle.db, "spring", BASE);
    expect((await getAbTest(ctx.handle.db, q({ utm_source: "google" }), { campaign: "spring" })).variants).toEqual([]);
    const fb = await getAbTest(ctx.handle.db, q({ utm_source: "facebook", utm_content: "B" }), { campaign: "spring" });
    // Only B's sessions: one variant, so no winner.
    expect(fb.variants.map((v) => [v.utm_content, v.sessions, v.probability_to_be_best])).toEqual([["B", 8, 100]]);
    expect(fb).toMatchObject({ winner: null, winner_lift: null, confidence: null, is_significant: false, min_sessions_per_variant: null });
    // The year-earlier session (content A, converted) alone in a range around it.
    const old = await getAbTest(ctx.handle.db, parseAnalyticsQuery({ start_date: "2024-01-01", end_date: "2024-01-31" }, { now: MAIN_NOW, tz: "UTC" }), { campaign: "spring" });
    expect(old.variants.map((v) => [v.utm_content, v.sessions, v.conversions])).toEqual([["A", 1, 1]]);
  });

  it("equal rates: sorted by sessions, no winner", async () => {
    // A 1/4 = 25 %, B 2/8 = 25 %: tie → B (more sessions) first, no winner, nothing to detect.
    await arm(ctx.handle.db, "tie", "A", 4, 1, 2000);
    await arm(ctx.handle.db, "tie", "B", 8, 2, 2100);
    const r = await getAbTest(ctx.handle.db, q(), { campaign: "tie" });
    expect(r.variants.map((v) => [v.utm_content, v.conversion_rate])).toEqual([
      ["B", 25],
      ["A", 25],
    ]);
    expect(r).toMatchObject({ winner: null, winner_lift: null, confidence: null, is_significant: false, min_sessions_per_variant: null });
  });

  it("a runner-up at 0 %: a winner without lift or sample size", async () => {
    // A 2/5 = 40 %, B 0/5. z: p = 0.2, se = √(0.16 · 0.4) = 0.252982, z = 0.4/0.252982 = 1.581139,
    // confidence = 88.6154 → 88.62. P(best): ∫ Beta(3,4) pdf · Beta(1,6) cdf = 10/11 = 90.91 %.
    await arm(ctx.handle.db, "zero", "A", 5, 2, 3000);
    await arm(ctx.handle.db, "zero", "B", 5, 0, 3100);
    const r = await getAbTest(ctx.handle.db, q(), { campaign: "zero" });
    expect(r.variants.map((v) => [v.utm_content, v.conversion_rate, v.probability_to_be_best])).toEqual([
      ["A", 40, 90.91],
      ["B", 0, 9.09],
    ]);
    expect(r).toMatchObject({ winner: "A", winner_lift: null, confidence: 88.62, is_significant: false, min_sessions_per_variant: null });
  });

  it("a significant winner: 150/1000 against 120/1000", async () => {
    // Pooled z = 1.963050 → confidence 95.04 ≥ 95 (see tests/unit/stats.test.ts); lift (0.15 − 0.12)/0.12 = 25 %;
    // sample size for 15 % vs 12 %: 2036; P(best) 97.51 / 2.49.
    await arm(ctx.handle.db, "big", "A", 1000, 150, 10_000);
    await arm(ctx.handle.db, "big", "B", 1000, 120, 20_000);
    const r = await getAbTest(ctx.handle.db, q(), { campaign: "big" });
    expect(r.variants.map((v) => [v.utm_content, v.conversion_rate, v.probability_to_be_best])).toEqual([
      ["A", 15, 97.51],
      ["B", 12, 2.49],
    ]);
    expect(r).toMatchObject({ winner: "A", winner_lift: 25, confidence: 95.04, is_significant: true, min_sessions_per_variant: 2036 });
  });

  it("an unknown campaign: no variants, no winner", async () => {
    await loadAbFixture(ctx.handle.db, "spring", BASE);
    expect(await getAbTest(ctx.handle.db, q(), { campaign: "nonexistent_campaign" })).toEqual({
      campaign: "nonexistent_campaign",
      variants: [],
      winner: null,
      winner_lift: null,
      confidence: null,
      is_significant: false,
      min_sessions_per_variant: null,
    });
  });
});
