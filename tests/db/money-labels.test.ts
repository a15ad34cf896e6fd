import { expect, it } from "vitest";
import { parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { cohortParamsSchema, getCohortAnalysis } from "@/lib/analytics/cohort";
import { parseAnalyticsQuery, parseParams } from "@/lib/analytics/params";
import { describeDb } from "../helpers/db";
import { loadMainFixture, MAIN_NOW, MAIN_RANGE } from "../fixtures/seed-v3.fixture";

/*
 * SPEC 18 labels: cohort payback on paid-acquired customers (basis=paid). The main fixture
 * (tests/fixtures/seed-v3.fixture.ts), weeks W1 = 01-06..12, W2 = 01-13..19:
 *   W1 cohort: c1 (google/(none), paid 100 · 50 in W2 · 30 in week 4), c2 (unattributed, 200)
 *   W2 cohort: c3 (google/(none), 80 + 20 in W2, 40 in week 2)
 * Spend: google/(none) 50 on 01-08 and bing/brand 30 on 01-09 (both in W1) → W1 spend 80; W2 none.
 */
const q = (extra: Record<string, string> = {}) => parseAnalyticsQuery({ ...MAIN_RANGE, ...extra }, { now: MAIN_NOW, tz: "UTC" });
const SPEND = [
  { date: "2025-01-08", utm_source: "google", utm_campaign: "(none)", amount: 50 },
  { date: "2025-01-09", utm_source: "bing", utm_campaign: "brand", amount: 30 },
];

describeDb("money labels: cohort payback basis", (ctx) => {
  it("basis=paid keeps only customers acquired by a pair with spend in their bucket; all is the default", async () => {
    await loadMainFixture(ctx.handle.db);
    await upsertAdSpend(ctx.handle.db, parseAdSpendRows(SPEND));
    const opts = { cohortType: "week" as const, metric: "roas" as const, periods: 5 };

    const all = await getCohortAnalysis(ctx.handle.db, q(), opts);
    // all: W1 = c1 + c2, cumulative 300, 350, 350, 350, 380 over spend 80 → 3.75, 4.375 → 4.38, …, 4.75;
    // W2 has no spend → null row.
    expect(all.basis).toBe("all");
    expect(all.cohorts).toEqual(["2025-01-06", "2025-01-13"]);
    expect(all.matrix).toEqual([
      [3.75, 4.38, 4.38, 4.38, 4.75],
      [null, null, null, null, null],
    ]);

    const paid = await getCohortAnalysis(ctx.handle.db, q(), { ...opts, basis: "paid" });
    // paid: W1 = c1 only (google/(none) has spend on 01-08; c2 is unattributed); c3's pair has no
    // spend in W2, so W2 is not a cohort. Cumulative 100, 150, 150, 150, 180 over 80 →
    // 1.25, 1.875 → 1.88, 1.88, 1.88, 2.25.
    expect(paid.basis).toBe("paid");
    expect(paid.cohorts).toEqual(["2025-01-06"]);
    expect(paid.sizes).toEqual([1]);
    expect(paid.matrix).toEqual([[1.25, 1.88, 1.88, 1.88, 2.25]]);
    expect(paid.totals).toEqual([1.25, 1.88, 1.88, 1.88, 2.25]);

    // Any metric takes the basis: revenue of W1's paid customers 100, 50, 0, 0, 30.
    const rev = await getCohortAnalysis(ctx.handle.db, q(), { ...opts, metric: "revenue", basis: "paid" });
    expect(rev.matrix).toEqual([[100, 50, 0, 0, 30]]);
  });

  it("the basis parameter: all | paid, accrual reads as all, anything else is a 400 naming basis", () => {
    const basis = (s: string) => parseParams(new URLSearchParams(s), cohortParamsSchema).basis;
    expect(basis("")).toBe("all");
    expect(basis("basis=paid")).toBe("paid");
    expect(basis("basis=accrual")).toBe("all");
    for (const bad of ["basis=cash", "basis=PAID", "basis=paid&basis=all", "basis=%00"]) {
      expect(() => basis(bad), bad).toThrow(expect.objectContaining({ code: "invalid_input", issues: [expect.objectContaining({ path: "basis" })] }));
    }
  });
});
