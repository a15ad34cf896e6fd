import { describe, expect, it, vi } from "vitest";
import { parseAnalyticsQuery, queryToParams } from "@/lib/analytics/params";
import {
  activeFilters,
  addValuesPatch,
  dashboardHref,
  exportHref,
  loadDashboardParams,
  nextSort,
  parseDashboardState,
  queryOf,
  rangeAndFilters,
  removeChipPatch,
  sortRows,
  withRules,
} from "@/app/dispatcher/search-params";

// The dashboard context is server code; its guard import is inert under Vitest.
vi.mock("server-only", () => ({}));

/** The URL state shared by the dashboard's server page, its client controls and its links (nuqs parsers). */
describe("dashboard search params", () => {
  it("parses selectors with defaults, and names each bad parameter", () => {
    const ok = parseDashboardState({ compare: "1", cohort_metric: "ltv", campaign: "spring", sort_sources: "-revenue", tab_source: "mediums" });
    expect(ok.issues).toEqual([]);
    expect(ok.state).toMatchObject({ compare: true, compareMode: "previous_period", cohortMetric: "ltv", cohortType: "week", cohortRange: "quarter", campaign: "spring", chart: "sessions" });
    expect(ok.state.sort.sources).toEqual({ col: "revenue", dir: "desc" });
    // A tab is presentation: an unknown one is the first tab, never an issue.
    expect(ok.state.tabs).toEqual({ acquisition: "mediums", pages: "landing_pages", tech: "devices" });
    expect(parseDashboardState({ tab_tech: "nope" }).state.tabs.tech).toBe("devices");
    const bad = parseDashboardState({ cohort_type: "year", sort_geo: "password", spend: "-5" });
    expect(bad.issues).toEqual([
      { path: "cohort_type", message: "must be one of day, week, month" },
      { path: "spend", message: "must be a number of at least 0" },
      { path: "sort_geo", message: "must be one of key, sessions, visitors, conversions, conversion_rate, orders, revenue, aov, revenue_per_session (prefix - for descending)" },
    ]);
    // Empty values: spend and sort are absent; compare "" is not one of its values.
    expect(parseDashboardState({ spend: "", sort_geo: "", campaign: "" })).toMatchObject({ issues: [], state: { spend: undefined, campaign: undefined, sort: {} } });
    expect(parseDashboardState({ compare: "" }).issues.map((i) => i.path)).toEqual(["compare"]);
    expect(parseDashboardState({ compare: "previous_year", spend: "250.5", cursor: "abc" }).state).toMatchObject({ compare: true, compareMode: "previous_year", spend: 250.5, cursor: "abc" });
    expect(parseDashboardState({ compare: "0" }).state).toMatchObject({ compare: false, compareMode: undefined });
  });

  it("adding a filter keeps the rest of the view and restarts paging", () => {
    const href = dashboardHref("/dispatcher", { period: "week", campaign: "x", cursor: "abc" }, { utm_source: ["google"] });
    expect(href).toBe("/dispatcher?period=week&campaign=x&utm_source=google");
  });

  it("a preset replaces a custom range and a custom range replaces the preset", () => {
    expect(dashboardHref("/d", "start_date=2025-01-01&end_date=2025-01-31&country=UA", { period: "month" })).toBe("/d?country=UA&period=month");
    expect(dashboardHref("/d", "period=year", { start_date: "2025-01-01", end_date: "2025-01-31" })).toBe("/d?start_date=2025-01-01&end_date=2025-01-31");
    // The rules the client controls apply before nuqs writes the URL.
    expect(withRules({ period: "month" })).toEqual({ period: "month", cursor: null, start_date: null, end_date: null });
    expect(withRules({ chart: "revenue" })).toEqual({ chart: "revenue" });
  });

  it("removing a chip drops only that filter; a default value leaves the URL", () => {
    expect(dashboardHref("/d", "period=week&utm_source=google&device=mobile", { utm_source: [] })).toBe("/d?period=week&device=mobile");
    expect(dashboardHref("/d", "period=week&utm_source=google&device=mobile", { utm_source: null })).toBe("/d?period=week&device=mobile");
    expect(dashboardHref("/d", "period=week&chart=revenue", { chart: "sessions" })).toBe("/d?period=week");
    expect(dashboardHref("/d", "period=week", { tab_source: "mediums" })).toBe("/d?period=week&tab_source=mediums");
    expect(dashboardHref("/d", "period=week&tab_source=mediums", { tab_source: "sources" })).toBe("/d?period=week");
    expect(dashboardHref("/d", "cohort_range=year", { cohort_range: "quarter" })).toBe("/d");
  });

  it("links keep every value of a repeated filter (Next's searchParams give arrays)", () => {
    const raw = { period: "week", utm_source: ["google", "bing"], not_device: "mobile" };
    expect(dashboardHref("/dispatcher", raw, { sort_sources: nextSort(undefined, "revenue", true) })).toBe(
      "/dispatcher?period=week&utm_source=google&utm_source=bing&not_device=mobile&sort_sources=-revenue",
    );
    expect(exportHref("sources", raw)).toBe("/api/utm/export-csv?report=sources&period=week&utm_source=google&utm_source=bing&not_device=mobile");
  });

  it("the server's context keeps every value of a repeated filter for its links", async () => {
    const { buildContext } = await import("@/app/dispatcher/context");
    const i18n = {} as Parameters<typeof buildContext>[1]["i18n"];
    const built = buildContext({ period: "week", utm_source: ["google", "bing"] }, { basePath: "/dispatcher", i18n, isAdmin: true, now: new Date("2026-03-10T12:00:00Z") });
    if (!built.ok) throw new Error("expected a valid view");
    expect(built.ctx.q.filters.utm_source).toEqual({ is: ["google", "bing"], not: [] });
    expect(dashboardHref(built.ctx.basePath, built.ctx.params, { chart: "revenue" })).toBe("/dispatcher?period=week&utm_source=google&utm_source=bing&chart=revenue");
    expect(exportHref("sources", built.ctx.params)).toBe("/api/utm/export-csv?report=sources&period=week&utm_source=google&utm_source=bing");
  });

  it("an existing deep link reopens the same view: same names, values read back whatever the encoding", () => {
    // A link written by the old URLSearchParams code (%2F, + for a space) and the same view as nuqs writes it.
    const old = "period=week&landing_page=%2Fshoes&utm_source=a+b&not_country=UA&sort_sources=-revenue&compare=1&spend=1000";
    const now = dashboardHref("/d", old, { chart: "revenue" });
    expect(now).toBe("/d?period=week&landing_page=/shoes&utm_source=a+b&not_country=UA&sort_sources=-revenue&compare=1&spend=1000&chart=revenue");
    const a = loadDashboardParams(old);
    const b = loadDashboardParams(now.slice(3));
    expect(b).toEqual({ ...a, chart: "revenue" });
    expect(a).toMatchObject({ period: "week", landing_page: ["/shoes"], utm_source: ["a b"], not_country: ["UA"], sort_sources: { col: "revenue", dir: "desc" }, compare: "1", spend: 1000 });
    // Characters that would cut a query string are encoded (&, #, %, +).
    const odd = dashboardHref("/d", "", { utm_campaign: ["a&b#c%d+e"] });
    expect(odd).toBe("/d?utm_campaign=a%26b%23c%25d%2Be");
    expect(loadDashboardParams(odd.slice(3)).utm_campaign).toEqual(["a&b#c%d+e"]);
  });

  it("CSV links carry the same range and filters, plus the share token on shared views", () => {
    expect(exportHref("sources", { period: "week", device: "mobile", compare: "1", sort_sources: "key" })).toBe("/api/utm/export-csv?report=sources&period=week&device=mobile");
    expect(exportHref("geo", { start_date: "2025-01-01", end_date: "2025-01-02" }, "tok.sig")).toBe("/api/utm/export-csv?report=geo&start_date=2025-01-01&end_date=2025-01-02&share=tok.sig");
  });

  it("sorts rows and toggles the header's direction", () => {
    const rows = [{ key: "b", n: 2 }, { key: "a", n: 3 }, { key: "c", n: 1 }];
    expect(sortRows(rows, { col: "n", dir: "desc" }).map((r) => r.key)).toEqual(["a", "b", "c"]);
    expect(sortRows(rows, { col: "key", dir: "asc" }).map((r) => r.key)).toEqual(["a", "b", "c"]);
    expect(nextSort(undefined, "n", true)).toEqual({ col: "n", dir: "desc" });
    expect(nextSort({ col: "n", dir: "desc" }, "n", true)).toEqual({ col: "n", dir: "asc" });
    expect(nextSort({ col: "n", dir: "asc" }, "n", true)).toEqual({ col: "n", dir: "desc" });
    expect(nextSort(undefined, "key", false)).toEqual({ col: "key", dir: "asc" });
    // In the URL: `-col` descending, `col` ascending.
    expect(dashboardHref("/d", "", { sort_roi: { col: "spend", dir: "desc" } })).toBe("/d?sort_roi=-spend");
    expect(dashboardHref("/d", "sort_roi=-spend", { sort_roi: { col: "spend", dir: "asc" } })).toBe("/d?sort_roi=spend");
  });
});

describe("dashboard URL state: repeated and negated filters (SPEC 12)", () => {
  const url = "period=week&utm_source=google&utm_source=bing&not_device=mobile&landing_page=%2Fshoes&cursor=abc";

  it("shows one chip per value, negated ones marked", () => {
    expect(activeFilters(loadDashboardParams(url))).toEqual([
      { key: "utm_source", param: "utm_source", value: "google", negated: false },
      { key: "utm_source", param: "utm_source", value: "bing", negated: false },
      { key: "landing_page", param: "landing_page", value: "/shoes", negated: false },
      { key: "device", param: "not_device", value: "mobile", negated: true },
    ]);
    // Next's searchParams give arrays for repeated keys; an empty value is no filter.
    expect(activeFilters(loadDashboardParams({ utm_source: ["google", "bing"], not_referrer: "x.com", country: "" })).map((c) => `${c.param}=${c.value}`)).toEqual([
      "utm_source=google",
      "utm_source=bing",
      "not_referrer=x.com",
    ]);
  });

  it("removing one chip keeps the other values; adding keeps the existing ones; paging restarts", () => {
    const v = loadDashboardParams(url);
    const chips = activeFilters(v);
    expect(removeChipPatch(v, chips[1])).toEqual({ utm_source: ["google"] });
    expect(dashboardHref("/d", url, removeChipPatch(v, chips[1]))).toBe("/d?period=week&not_device=mobile&landing_page=/shoes&utm_source=google");
    expect(dashboardHref("/d", url, removeChipPatch(v, chips[3]))).toBe("/d?period=week&utm_source=google&utm_source=bing&landing_page=/shoes");
    expect(addValuesPatch(v, "device", ["tablet"], true)).toEqual({ not_device: ["mobile", "tablet"] });
    expect(addValuesPatch(v, "utm_source", ["google"], false)).toEqual({ utm_source: ["google", "bing"] });
  });

  it("CSV links and API links repeat every value, and the analytics parser reads them back", () => {
    const href = exportHref("sources", new URLSearchParams(url));
    expect(href).toBe("/api/utm/export-csv?report=sources&period=week&utm_source=google&utm_source=bing&landing_page=%2Fshoes&not_device=mobile");
    const q = parseAnalyticsQuery(rangeAndFilters(new URLSearchParams(url)), { tz: "UTC", now: new Date("2026-03-10T12:00:00Z") });
    expect(q.filters).toEqual({ utm_source: { is: ["google", "bing"], not: [] }, device: { is: [], not: ["mobile"] }, landing_page: { is: ["/shoes"], not: [] } });
    // queryToParams (deep links, e-mail and share links) gives the same filters back.
    expect(parseAnalyticsQuery(queryToParams(q), { tz: "UTC", now: new Date("2026-03-10T12:00:00Z") }).filters).toEqual(q.filters);
    expect(queryToParams(q).toString()).toBe("period=week&utm_source=google&utm_source=bing&not_device=mobile&landing_page=%2Fshoes");
    // The client's typed values give the same range and filters back (the filter picker's suggestions).
    expect(rangeAndFilters(queryOf(loadDashboardParams(url))).toString()).toBe("period=week&utm_source=google&utm_source=bing&landing_page=%2Fshoes&not_device=mobile");
  });
});
