import { describe, expect, it } from "vitest";
import { COHORT_METRICS, COHORT_TYPES } from "@/lib/analytics/cohort";
import { FILTER_KEYS, PERIODS } from "@/lib/analytics/params";
import {
  COHORT_METRIC_VALUES,
  COHORT_TYPE_VALUES,
  exportHref,
  FILTER_PARAMS,
  hrefWith,
  nextSortParam,
  parseDashboardState,
  PERIOD_PRESETS,
  sortRows,
} from "@/app/dispatcher/search-params";

/** The URL state shared by the dashboard's server page and its client controls. */
describe("dashboard search params", () => {
  it("mirrors the analytics constants (the client copy cannot import server modules)", () => {
    expect([...PERIOD_PRESETS]).toEqual([...PERIODS]);
    expect([...FILTER_PARAMS]).toEqual([...FILTER_KEYS]);
    expect([...COHORT_METRIC_VALUES]).toEqual([...COHORT_METRICS]);
    expect([...COHORT_TYPE_VALUES]).toEqual([...COHORT_TYPES]);
  });

  it("parses selectors with defaults, and names each bad parameter", () => {
    const ok = parseDashboardState({ compare: "1", cohort_metric: "ltv", campaign: "spring", sort_sources: "-revenue" });
    expect(ok.issues).toEqual([]);
    expect(ok.state).toMatchObject({ compare: true, cohortMetric: "ltv", cohortType: "week", cohortRange: "quarter", campaign: "spring", chart: "sessions" });
    expect(ok.state.sort.sources).toEqual({ col: "revenue", dir: "desc" });
    const bad = parseDashboardState({ cohort_type: "year", sort_geo: "password", spend: "-5" });
    expect(bad.issues.map((i) => i.path).sort()).toEqual(["cohort_type", "sort_geo", "spend"]);
  });

  it("adding a filter keeps the rest of the view and restarts paging", () => {
    const href = hrefWith("/dispatcher", { period: "week", campaign: "x", cursor: "abc" }, { utm_source: "google" });
    expect(href).toBe("/dispatcher?period=week&campaign=x&utm_source=google");
  });

  it("a preset replaces a custom range and a custom range replaces the preset", () => {
    expect(hrefWith("/d", "start_date=2025-01-01&end_date=2025-01-31&country=UA", { period: "month" })).toBe("/d?country=UA&period=month");
    expect(hrefWith("/d", "period=year", { start_date: "2025-01-01", end_date: "2025-01-31" })).toBe("/d?start_date=2025-01-01&end_date=2025-01-31");
  });

  it("removing a chip drops only that filter", () => {
    expect(hrefWith("/d", "period=week&utm_source=google&device=mobile", { utm_source: null })).toBe("/d?period=week&device=mobile");
  });

  it("CSV links carry the same range and filters, plus the share token on shared views", () => {
    expect(exportHref("sources", { period: "week", device: "mobile", compare: "1", sort_sources: "key" })).toBe("/api/utm/export-csv?report=sources&period=week&device=mobile");
    expect(exportHref("geo", { start_date: "2025-01-01", end_date: "2025-01-02" }, "tok.sig")).toBe("/api/utm/export-csv?report=geo&start_date=2025-01-01&end_date=2025-01-02&share=tok.sig");
  });

  it("sorts rows and toggles the header's direction", () => {
    const rows = [{ key: "b", n: 2 }, { key: "a", n: 3 }, { key: "c", n: 1 }];
    expect(sortRows(rows, { col: "n", dir: "desc" }).map((r) => r.key)).toEqual(["a", "b", "c"]);
    expect(sortRows(rows, { col: "key", dir: "asc" }).map((r) => r.key)).toEqual(["a", "b", "c"]);
    expect(nextSortParam(undefined, "n", true)).toBe("-n");
    expect(nextSortParam({ col: "n", dir: "desc" }, "n", true)).toBe("n");
    expect(nextSortParam({ col: "n", dir: "asc" }, "n", true)).toBe("-n");
    expect(nextSortParam(undefined, "key", false)).toBe("key");
  });
});
