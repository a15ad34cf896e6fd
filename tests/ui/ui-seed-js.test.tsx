import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { AbResultView, confidenceTone } from "@/app/dispatcher/blocks/ab-test";
import { CohortResult, cohortApiHref } from "@/app/dispatcher/blocks/cohort";
import { LtvView, ltvTone, overallLtv } from "@/app/dispatcher/blocks/ltv";
import { RepeatCards } from "@/app/dispatcher/blocks/repeat";
import { parseDashboardState } from "@/app/dispatcher/search-params";
import { en } from "@/lib/i18n/en";
import { makeFormatters } from "@/lib/i18n/format";
import { uk } from "@/lib/i18n/uk";

/**
 * The seed's "Frontend JavaScript Tests" (tests/js/test_utm_dispatcher.js), on the components that
 * replace its loaders, rendered to static HTML (no DOM needed).
 */
// The blocks module also holds their server loaders (server-only); the views under test are pure.
vi.mock("server-only", () => ({}));

const fmt = makeFormatters("uk", "UAH");

describe("Cohort Analysis Loader", () => {
  it("should fetch data from correct endpoint", () => {
    // The dashboard renders server-side; its cohort JSON link is the seed's fetched endpoint with the same selectors.
    const { state } = parseDashboardState({ cohort_metric: "ltv", cohort_type: "month", utm_source: "google" });
    const href = cohortApiHref({ params: { utm_source: "google" }, state, shareToken: undefined });
    expect(href).toBe("/api/utm/cohort-analysis?utm_source=google&period=quarter&cohort_type=month&metric=ltv");
  });

  it("should handle empty cohorts gracefully", () => {
    const html = renderToStaticMarkup(<CohortResult data={{ cohorts: [], matrix: [] }} t={uk} fmt={fmt} locale="uk" currency="UAH" />);
    expect(html).toContain('id="cohort-heatmap-container"');
    expect(html).toContain("Недостатньо даних");
  });

  it("renders the totals cards with null totals blank (—) when there are cohorts", () => {
    const html = renderToStaticMarkup(
      <CohortResult
        data={{ cohort_type: "week", metric: "retention", cohorts: ["2024-11-04"], sizes: [4], periods: ["Week 0", "Week 1"], matrix: [[100, null]], totals: [100, null] }}
        t={uk}
        fmt={fmt}
        locale="uk"
        currency="UAH"
      />,
    );
    expect(html).not.toContain("Недостатньо даних");
    // "Week 1" is shown as «Тиждень 1»; its total is null → "—"; 100 → "100%".
    expect(html).toContain("Тиждень 1");
    expect(html).toMatch(/Тиждень 0<\/div><div[^>]*>100%<\/div>/);
    expect(html).toMatch(/Тиждень 1<\/div><div[^>]*>—<\/div>/);
  });
});

describe("A/B Test Loader", () => {
  it("should validate campaign selection", () => {
    const html = renderToStaticMarkup(<AbResultView campaign="" t={uk} fmt={fmt} />);
    expect(html).toContain('id="ab-test-result"');
    expect(html).toContain("Оберіть кампанію");
  });

  it("should display winner with lift", () => {
    const mockResponse = {
      campaign: "test",
      variants: [
        { utm_content: "A", conversion_rate: 15.0 },
        { utm_content: "B", conversion_rate: 12.0 },
      ],
      winner: "A",
      winner_lift: 25.0,
      // SPEC 18: a trophy and a lift only for a significant winner.
      is_significant: true,
    };
    const html = renderToStaticMarkup(<AbResultView campaign="test" data={mockResponse} t={uk} fmt={fmt} />);
    expect(html).toContain("Переможець");
    expect(html).toContain("+25.0%");
    // The trophy marks the winner's row only.
    expect(html.match(/🏆/g)?.length).toBe(2); // the banner + row A
    expect(html).toMatch(/data-variant="A"[^>]*>.*🏆/);
    expect(html).not.toMatch(/data-variant="B"[^>]*><td[^>]*><span[^>]*>🏆/);
  });

  it("shows «Немає даних» for a campaign without variants", () => {
    const html = renderToStaticMarkup(<AbResultView campaign="nonexistent_campaign" data={{ campaign: "nonexistent_campaign", variants: [], winner: null }} t={uk} fmt={fmt} />);
    expect(html).toContain("Немає даних");
  });

  it("colours the confidence ≥95 green, ≥80 yellow, else red", () => {
    expect([confidenceTone(95), confidenceTone(94.99), confidenceTone(80), confidenceTone(79.99)]).toEqual(["green", "yellow", "yellow", "red"]);
    const html = renderToStaticMarkup(
      <AbResultView
        campaign="c"
        data={{ campaign: "c", variants: [{ utm_content: "A", conversion_rate: 15 }, { utm_content: "B", conversion_rate: 12 }], winner: "A", winner_lift: 25, confidence: 96.5, is_significant: true }}
        t={en}
        fmt={makeFormatters("en", "UAH")}
      />,
    );
    expect(html).toContain('data-confidence-tone="green"');
    expect(html).toContain("Winner");
  });
});

describe("v3.0 cards and LTV colours", () => {
  it("renders the five repeat-purchase cards with their values", () => {
    const html = renderToStaticMarkup(
      <RepeatCards data={{ total_customers: 120, repeat_customers: 30, repeat_rate: 25, avg_orders_per_customer: 1.4, avg_days_between_orders: 12.5 }} t={uk} fmt={fmt} />,
    );
    expect(html.match(/data-repeat-card=/g)?.length).toBe(5);
    expect(html).toContain("25%");
    expect(html).toContain("12,5");
  });

  it("colours LTV rows against the overall LTV (total revenue / total customers)", () => {
    // overall = (1000 + 750 + 300) / (10 + 10 + 5) = 2050 / 25 = 82
    const rows = [
      { utm_source: "google", customers: 10, orders: 12, revenue: 1000, net_revenue: 1000, margin: 0, margin_ltv: 0, orders_without_cost: 0, ltv: 100, aov: 83.33, orders_per_customer: 1.2, repeat_rate: 20 },
      { utm_source: "facebook", customers: 10, orders: 10, revenue: 750, net_revenue: 750, margin: 0, margin_ltv: 0, orders_without_cost: 0, ltv: 75, aov: 75, orders_per_customer: 1, repeat_rate: 0 },
      { utm_source: "email", customers: 5, orders: 5, revenue: 300, net_revenue: 300, margin: 0, margin_ltv: 0, orders_without_cost: 0, ltv: 60, aov: 60, orders_per_customer: 1, repeat_rate: 0 },
    ];
    expect(overallLtv(rows)).toBe(82);
    // 100 ≥ 82 green; 75 ≥ 0.7·82 = 57.4 yellow; 60 ≥ 57.4 yellow; 57 < 57.4 red.
    expect([ltvTone(100, 82), ltvTone(75, 82), ltvTone(60, 82), ltvTone(57, 82)]).toEqual(["green", "yellow", "yellow", "red"]);
    const html = renderToStaticMarkup(<LtvView rows={rows} t={uk} fmt={fmt} />);
    expect(html.match(/data-ltv-tone="(\w+)"/g)).toEqual(['data-ltv-tone="green"', 'data-ltv-tone="yellow"', 'data-ltv-tone="yellow"']);
    expect(html).toContain('data-overall-ltv="82.00"');
  });

  it("shows «Немає даних» for an empty LTV list", () => {
    expect(renderToStaticMarkup(<LtvView rows={[]} t={uk} fmt={fmt} />)).toContain("Немає даних");
  });
});
