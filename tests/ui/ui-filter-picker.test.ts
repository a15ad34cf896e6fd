import { describe, expect, it } from "vitest";
import { DIMENSION_ENDPOINTS, suggestionsHref } from "@/app/dispatcher/client/FilterPicker";
import { viewKey } from "@/app/dispatcher/client/ShareDialog";
import { addValuesPatch, dashboardHref, FILTER_PARAMS, loadDashboardParams } from "@/app/dispatcher/search-params";

describe("filter picker URLs", () => {
  it("has a breakdown endpoint for every filter dimension", () => {
    expect(Object.keys(DIMENSION_ENDPOINTS).sort()).toEqual([...FILTER_PARAMS].sort());
  });
  it("asks for suggestions over the range and the other filters, not the dimension's own", () => {
    const cur = "period=week&utm_source=google&not_utm_source=bing&country=UA&chart=revenue&cursor=x";
    expect(decodeURIComponent(suggestionsHref(cur, "utm_source"))).toBe("/api/utm/sources?period=week&country=UA");
    expect(decodeURIComponent(suggestionsHref(cur, "country"))).toBe("/api/utm/geo?period=week&utm_source=google&not_utm_source=bing");
  });
  it("in a shared view keeps the link's own filters and carries share=", () => {
    expect(decodeURIComponent(suggestionsHref("utm_source=google&device=mobile", "utm_source", "tok.en", ["utm_source=google"]))).toBe(
      "/api/utm/sources?device=mobile&utm_source=google&share=tok.en",
    );
  });
  it("adds is / is not values (repeated), moving a value out of the opposite list", () => {
    const cur = "period=month&utm_source=google&not_country=UA&cursor=abc";
    const v = loadDashboardParams(cur);
    expect(dashboardHref("/d", cur, addValuesPatch(v, "utm_source", ["bing", "google"], false))).toBe("/d?period=month&not_country=UA&utm_source=google&utm_source=bing");
    expect(dashboardHref("/d", cur, addValuesPatch(v, "country", ["PL"], true))).toBe("/d?period=month&utm_source=google&not_country=UA&not_country=PL");
    // "Country is UA" replaces "Country is not UA".
    expect(addValuesPatch(v, "country", ["UA"], false)).toEqual({ country: ["UA"], not_country: [] });
    expect(dashboardHref("/d", cur, addValuesPatch(v, "country", ["UA"], false))).toBe("/d?period=month&utm_source=google&country=UA");
  });
});

describe("share dialog: this view's links", () => {
  it("identifies a view by its shareable parameters, in any order, lists as repeated values", () => {
    const url = new URLSearchParams("utm_source=google&period=week&utm_source=bing&cursor=x&sort_sources=-sessions");
    expect(viewKey(url)).toBe("period=week&utm_source=bing&utm_source=google");
    expect(viewKey({ period: "week", utm_source: ["google", "bing"] })).toBe(viewKey(url));
    expect(viewKey({ period: "month", utm_source: ["google", "bing"] })).not.toBe(viewKey(url));
  });
});
