import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { LTV_MIN_CUSTOMERS, LTV_TOP, ltvTopSources, type LtvRow } from "@/lib/analytics/ltv";
import { dictionary } from "@/lib/i18n";
import { en } from "@/lib/i18n/en";
import { makeFormatters } from "@/lib/i18n/format";
import { renderReport } from "@/lib/reports/render";
import { sampleReport } from "../fixtures/report-fixture";

// The blocks module also holds its server loader (server-only); the view under test is pure.
vi.mock("server-only", () => ({}));
const { LtvView } = await import("@/app/dispatcher/blocks/ltv");

/**
 * LTV "top 5" (issue 12): one rule (ltvTopSources, lib/analytics/ltv.ts) for the dashboard and the
 * e-mail report: the first five rows in LTV order among sources with at least five customers.
 */

const row = (utm_source: string, customers: number, ltv: number): LtvRow => ({
  utm_source,
  customers,
  orders: customers,
  revenue: customers * ltv,
  net_revenue: customers * ltv,
  margin: 0,
  margin_ltv: 0,
  orders_without_cost: 0,
  ltv,
  aov: ltv,
  orders_per_customer: 1,
  repeat_rate: 0,
});

// In getLtvComparison's order (LTV desc). "lucky" has the highest LTV from ONE customer and
// "newsletter" 4 customers: both under 5, so both are left out of the top. Of the rest (≥ 5
// customers) the first five are google, (direct), facebook, tiktok, bing; yahoo is the sixth.
const ROWS: LtvRow[] = [
  row("lucky", 1, 5000),
  row("google", 160, 1937.5),
  row("(direct)", 50, 1820),
  row("newsletter", 4, 1500),
  row("facebook", 72, 1402.78),
  row("tiktok", 6, 1300),
  row("bing", 5, 1200),
  row("yahoo", 5, 1100),
];
const TOP = ["google", "(direct)", "facebook", "tiktok", "bing"];
const LEFT_OUT = ["lucky", "newsletter", "yahoo"];

describe("ltvTopSources: the one top-5 rule", () => {
  it("the first five rows among sources with at least 5 customers; the rest keep their order", () => {
    expect([LTV_TOP, LTV_MIN_CUSTOMERS]).toEqual([5, 5]);
    const { top, rest } = ltvTopSources(ROWS);
    expect(top.map((r) => r.utm_source)).toEqual(TOP);
    expect(rest.map((r) => r.utm_source)).toEqual(LEFT_OUT);
  });

  it("n and the minimum are parameters: top 2 among sources with at least 8 customers", () => {
    // ≥ 8 customers: google (160), (direct) (50), facebook (72) → the first two: google, (direct).
    const { top, rest } = ltvTopSources(ROWS, 2, 8);
    expect(top.map((r) => r.utm_source)).toEqual(["google", "(direct)"]);
    expect(rest.map((r) => r.utm_source)).toEqual(["lucky", "newsletter", "facebook", "tiktok", "bing", "yahoo"]);
  });

  it("no source with enough customers: an empty top, every row in the rest", () => {
    const { top, rest } = ltvTopSources([row("lucky", 1, 5000), row("few", 4, 100)]);
    expect(top).toEqual([]);
    expect(rest.map((r) => r.utm_source)).toEqual(["lucky", "few"]);
  });
});

describe("the dashboard and the e-mail show the same top 5", () => {
  it("dashboard: the top table holds the five, the one-customer source only behind 'show all'", () => {
    const html = renderToStaticMarkup(<LtvView rows={ROWS} t={en} fmt={makeFormatters("en", "UAH")} />);
    const [topPart, restPart] = html.split("<details");
    const sourcesIn = (part: string) => [...part.matchAll(/<tr[^>]*>\s*<t[dh][^>]*>([^<]+)</g)].map((m) => m[1]).filter((s) => s !== en.dims.utm_source);
    expect(sourcesIn(topPart)).toEqual(TOP);
    expect(restPart).toContain('data-ltv-rest="3"');
    expect(sourcesIn(restPart)).toEqual(LEFT_OUT);
  });

  for (const lang of ["en", "uk"] as const) {
    it(`e-mail (${lang}): HTML and text list the same five, in LTV order, with the rule written above`, async () => {
      const r = await renderReport({ ...sampleReport(), ltv: ROWS }, lang);
      const note = lang === "en" ? "Top 5 among sources with at least 5 customers." : "Топ-5 серед джерел щонайменше з 5 клієнтами.";
      // HTML: the LTV table's first cells, in order.
      const ltvHtml = r.html.slice(r.html.indexOf(note));
      const cells = [...ltvHtml.matchAll(/<td[^>]*>([^<]+)<\/td>/g)].map((m) => m[1]);
      expect(cells.filter((c) => [...TOP, ...LEFT_OUT].includes(c.replace("&#x27;", "'")))).toEqual(TOP);
      for (const name of LEFT_OUT) expect(r.html).not.toContain(`>${name}<`);
      // Text: heading, blank, the rule, blank, header, dashes, the five rows, blank.
      const lines = r.text.split("\n");
      const h = lines.indexOf(dictionary(lang).blocks.ltv.toUpperCase());
      expect(lines[h + 2]).toBe(note);
      expect(lines.slice(h + 6, h + 12).map((l) => l.split(/\s{2,}/)[0])).toEqual([...TOP, ""]);
      for (const name of LEFT_OUT) expect(r.text).not.toContain(name);
    });
  }

  it("e-mail: when no source has 5 customers, the rule alone instead of an empty table", async () => {
    const r = await renderReport({ ...sampleReport(), ltv: [row("lucky", 1, 5000)] }, "en");
    expect(r.text).toMatch(/LTV BY SOURCE \(TOP 5\)\n\nTop 5 among sources with at least 5 customers\.\n/);
    expect(r.text).not.toContain("lucky");
    expect(r.html).not.toContain(">lucky<");
  });
});
