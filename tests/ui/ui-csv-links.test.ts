import { expect, it, vi } from "vitest";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getCohortAnalysis } from "@/lib/analytics/cohort";
import { toCsv } from "@/lib/analytics/csv";
import { exportCsv } from "@/lib/analytics/export-csv";
import { parseAnalyticsQuery, periodRange } from "@/lib/analytics/params";
import { cohortCsvHref } from "@/app/dispatcher/csv-links";
import { exportHref, parseDashboardState, sortRows } from "@/app/dispatcher/search-params";
import { describeDb } from "../helpers/db";
import { loadFixture, NOW } from "../fixtures/analytics-fixture";
import { loadRelativeFixture } from "../fixtures/seed-v3.fixture";

vi.mock("server-only", () => ({}));

/**
 * Every CSV link exports what its block shows (issue 12): the dashboard's own link, followed as
 * the browser would, gives the block's rows in the block's order, for non-default states.
 */

/** Follows a dashboard CSV link through the export the route runs. */
async function follow(db: Parameters<typeof exportCsv>[0], href: string): Promise<string> {
  const sp = new URL(href, "http://x").searchParams;
  const file = await exportCsv(db, parseAnalyticsQuery(sp, { now: NOW }), sp);
  return typeof file.body === "string" ? file.body : await new Response(file.body).text();
}

describeDb("dashboard CSV links", (ctx) => {
  it("a filtered, sorted breakdown: the file lists the block's rows in the block's order", async () => {
    await loadFixture(ctx.handle.db);
    // Campaigns of google in March, sorted by revenue ascending (not the report's sessions order).
    const params = { start_date: "2026-03-01", end_date: "2026-03-31", utm_source: "google", sort_campaigns: "revenue" };
    const { state } = parseDashboardState(params);
    const href = exportHref("campaigns", params, undefined, state.sort.campaigns);
    expect(href).toBe("/api/utm/export-csv?report=campaigns&start_date=2026-03-01&end_date=2026-03-31&utm_source=google&sort=revenue");

    const q = parseAnalyticsQuery(params, { now: NOW });
    const shown = sortRows((await getBreakdown(ctx.handle.db, q, "campaigns")).rows, state.sort.campaigns);
    const fields = ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "net_revenue", "margin", "orders_without_cost", "aov", "revenue_per_session"] as const;
    const csv = await follow(ctx.handle.db, href);
    expect(csv).toBe(toCsv(fields, shown.map((r) => fields.map((f) => r[f]))));
    // By hand: google in March = S1 (spring, v1, o1 100 paid), S2 (spring, v1), S5 (summer, v2).
    // summer: 1 session, 0 revenue; spring: 2 sessions, 1 visitor, 1 conversion (50 %), 1 order,
    // 100 revenue, aov 100, 50 per session. Ascending revenue puts summer first. SPEC 18: no order has a
    // known cost and DEFAULT_MARGIN_PCT is unset → margin 0; orders_without_cost = paid orders (summer 0, spring 1: o1).
    expect(csv).toBe("key,sessions,visitors,conversions,conversion_rate,orders,revenue,net_revenue,margin,orders_without_cost,aov,revenue_per_session\r\nsummer,1,1,0,0,0,0,0,0,0,0,0\r\nspring,2,1,1,50,1,100,100,0,1,100,50\r\n");

    // Descending revenue reverses it; a column the report lacks is a 400 naming `sort`.
    const desc = await follow(ctx.handle.db, exportHref("campaigns", params, undefined, { col: "revenue", dir: "desc" }));
    expect(desc.split("\r\n").slice(1, 3).map((l) => l.split(",")[0])).toEqual(["spring", "summer"]);
    await expect(follow(ctx.handle.db, `${href.replace("sort=revenue", "sort=password")}`)).rejects.toMatchObject({ issues: [{ path: "sort" }] });
  });

  it("cohorts as shown (LTV / by day / last 30 days): the file is the heatmap's matrix", async () => {
    await loadRelativeFixture(ctx.handle.db, NOW);
    const params = { period: "year", cohort_metric: "ltv", cohort_type: "day", cohort_range: "month" };
    const { state } = parseDashboardState(params);
    const href = cohortCsvHref({ params, state });
    const sp = new URL(href, "http://x").searchParams;
    // The heatmap's own range preset, type and metric, not the page's period=year.
    expect(Object.fromEntries(sp)).toEqual({ report: "cohort", period: "month", cohort_type: "day", metric: "ltv" });

    // The block: getCohortAnalysis over the cohort range (30 days to 2026-04-15) with the selectors.
    const cohortQ = { ...parseAnalyticsQuery(params, { now: NOW }), period: "month" as const, range: periodRange("month", "2026-04-15") };
    const shown = await getCohortAnalysis(ctx.handle.db, cohortQ, { cohortType: "day", metric: "ltv" });
    const csv = await follow(ctx.handle.db, href);
    expect(csv).toBe(toCsv(["cohort", "size", ...shown.periods], shown.cohorts.map((c, i) => [c, shown.sizes[i], ...shown.matrix[i]])));
    // By hand (NOW = 2026-04-15 12:00 UTC): first orders in 2026-03-17..04-15 are r1's (now − 20 d =
    // 03-26, 100) and r2's (now − 3 d = 04-12, 90); r3's first order is 60 days back. Day-0 LTV is
    // the first order: 100 and 90.
    const lines = csv.trim().split("\r\n");
    expect(lines[0].startsWith("cohort,size,Day 0,Day 1")).toBe(true);
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(["2026-03-26,1,100", "2026-04-12,1,90"]);
  });
});
