import { describe, expect, it } from "vitest";
import { parseAnalyticsQuery, queryToParams } from "@/lib/analytics/params";
import {
  activeFilters,
  addFilterPatch,
  exportHref,
  hrefWith,
  nextSortParam,
  parseDashboardState,
  rangeAndFilters,
  removeChipPatch,
  sortRows,
  withParams,
} from "@/app/dispatcher/search-params";

/** The URL state shared by the dashboard's server page and its client controls. */
describe("dashboard search params", () => {
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

describe("dashboard URL state: repeated and negated filters (SPEC 12)", () => {
  const url = "period=week&utm_source=google&utm_source=bing&not_device=mobile&landing_page=%2Fshoes&cursor=abc";

  it("shows one chip per value, negated ones marked", () => {
    expect(activeFilters(new URLSearchParams(url))).toEqual([
      { key: "utm_source", param: "utm_source", value: "google", negated: false },
      { key: "utm_source", param: "utm_source", value: "bing", negated: false },
      { key: "landing_page", param: "landing_page", value: "/shoes", negated: false },
      { key: "device", param: "not_device", value: "mobile", negated: true },
    ]);
    // Next's searchParams give arrays for repeated keys.
    expect(activeFilters({ utm_source: ["google", "bing"], not_referrer: "x.com" }).map((c) => `${c.param}=${c.value}`)).toEqual(["utm_source=google", "utm_source=bing", "not_referrer=x.com"]);
  });

  it("removing one chip keeps the other values; adding keeps the existing ones; paging restarts", () => {
    const chips = activeFilters(new URLSearchParams(url));
    expect(withParams(url, removeChipPatch(url, chips[1])).toString()).toBe("period=week&not_device=mobile&landing_page=%2Fshoes&utm_source=google");
    expect(withParams(url, removeChipPatch(url, chips[3])).toString()).toBe("period=week&utm_source=google&utm_source=bing&landing_page=%2Fshoes");
    expect(withParams(url, addFilterPatch(url, "device", "tablet", true)).getAll("not_device")).toEqual(["mobile", "tablet"]);
    expect(withParams(url, addFilterPatch(url, "utm_source", "google")).getAll("utm_source")).toEqual(["google", "bing"]);
  });

  it("CSV links and API links repeat every value, and the analytics parser reads them back", () => {
    const href = exportHref("sources", new URLSearchParams(url));
    expect(href).toBe("/api/utm/export-csv?report=sources&period=week&utm_source=google&utm_source=bing&landing_page=%2Fshoes&not_device=mobile");
    const q = parseAnalyticsQuery(rangeAndFilters(new URLSearchParams(url)), { tz: "UTC", now: new Date("2026-03-10T12:00:00Z") });
    expect(q.filters).toEqual({ utm_source: { is: ["google", "bing"], not: [] }, device: { is: [], not: ["mobile"] }, landing_page: { is: ["/shoes"], not: [] } });
    // queryToParams (deep links, e-mail and share links) gives the same filters back.
    expect(parseAnalyticsQuery(queryToParams(q), { tz: "UTC", now: new Date("2026-03-10T12:00:00Z") }).filters).toEqual(q.filters);
    expect(queryToParams(q).toString()).toBe("period=week&utm_source=google&utm_source=bing&not_device=mobile&landing_page=%2Fshoes");
  });
});
