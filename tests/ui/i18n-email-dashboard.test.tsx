import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { KpiView } from "@/app/dispatcher/blocks/kpi";
import type { Compare } from "@/lib/analytics/compare";
import { dictionary, makeFormatters, type Locale } from "@/lib/i18n";
import { renderReport } from "@/lib/reports/render";
import type { ReportData, Stats } from "@/lib/reports/types";
import { sampleReport } from "../fixtures/report-fixture";

/**
 * One i18n (issue 11, item 7): the dashboard's KPI card and the e-mail report show a shared
 * figure with the same label, the same number and the same change, in both languages.
 */
// The blocks module also holds its server loader (server-only); the view under test is pure.
vi.mock("server-only", () => ({}));

const nbsp = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, " ");

// Current: 8 sessions, revenue 1,234.50 → revenue per session 1234.5 / 8 = 154.3125 → 154.31.
// Previous: 10 sessions, revenue 1,200 → revenue per session 120; the analytics layer's changes:
//   revenue (1234.5 − 1200) / 1200 × 100 = 2.875 → 2.88, shown with one decimal: +2.9%;
//   revenue per session: the previous side says 160 here → (154.31 − 160) / 160 × 100 = −3.55625
//   → −3.56, shown −3.6% (half away from zero).
const zero: Stats = { sessions: 0, visitors: 0, conversions: 0, conversion_rate: 0, orders: 0, revenue: 0, net_revenue: 0, margin: 0, orders_without_cost: 0, aov: 0, revenue_per_session: 0, new_sessions: 0, returning_sessions: 0, bounce_rate: 0, avg_page_views: 0 };
const current: Stats = { ...zero, sessions: 8, visitors: 8, revenue: 1234.5, revenue_per_session: 154.31 };
const previous: Stats = { ...zero, sessions: 10, visitors: 10, revenue: 1200, revenue_per_session: 160 };
const change = { ...Object.fromEntries(Object.keys(zero).map((k) => [k, null])), revenue: 2.88, revenue_per_session: -3.56 } as Compare["change"];

const compare: Compare = {
  current: { start_date: "2026-01-05", end_date: "2026-01-11", stats: current },
  previous: { start_date: "2025-12-29", end_date: "2026-01-04", stats: previous },
  change,
};
const report = (): ReportData => ({ ...sampleReport(), kpis: { current, previous, change } });

/** The dashboard's KPI card of one label: [value, change badge]. */
function dashboardCard(lang: Locale, label: string): [string, string] {
  const html = nbsp(renderToStaticMarkup(<KpiView data={compare} t={dictionary(lang)} fmt={makeFormatters(lang, "UAH")} showPrevious={false} />));
  const card = html.split(`data-kpi="${label}"`)[1];
  expect(card).toBeDefined();
  const value = /data-kpi-value="[^"]*">([^<]*)</.exec(card)?.[1];
  const delta = /data-change="[^"]*">([^<]*)</.exec(card)?.[1];
  return [value ?? "", delta ?? ""];
}

const cases = [
  {
    lang: "en" as const,
    rpsLabel: "Revenue / session",
    rps: "UAH 154.31",
    rpsChange: "-3.6%",
    revenueLabel: "Revenue",
    revenue: "UAH 1,234.50",
    revenueChange: "+2.9%",
    range: "5 Jan 2026 — 11 Jan 2026",
  },
  {
    lang: "uk" as const,
    rpsLabel: "Дохід / сесія",
    rps: "154,31 ₴",
    rpsChange: "-3,6%",
    revenueLabel: "Дохід",
    revenue: "1 234,50 ₴",
    revenueChange: "+2,9%",
    range: "5 січ. 2026 р. — 11 січ. 2026 р.",
  },
];

describe("the e-mail and the dashboard read one dictionary and one set of formatters", () => {
  for (const c of cases) {
    it(`revenue per session: same label, money and change in the KPI card and the e-mail (${c.lang})`, async () => {
      // Dashboard: the card's arrow is the card's own; the change after it is the shared one.
      expect(dashboardCard(c.lang, c.rpsLabel)).toEqual([c.rps, `▼ ${c.rpsChange}`]);
      // E-mail, text version: the key-figures line "label  value  change".
      const r = await renderReport(report(), c.lang);
      const line = nbsp(r.text)
        .split("\n")
        .find((l) => l.startsWith(`${c.rpsLabel} `));
      expect(line?.split(/ {2,}/)).toEqual([c.rpsLabel, c.rps, c.rpsChange]);
    });

    it(`revenue: same label, money and change in the KPI card and the e-mail's HTML card (${c.lang})`, async () => {
      expect(dashboardCard(c.lang, c.revenueLabel)).toEqual([c.revenue, `▲ ${c.revenueChange}`]);
      const r = await renderReport(report(), c.lang);
      const html = nbsp(r.html);
      // The e-mail's KPI cell: label, value, then the change badge.
      expect(html).toMatch(new RegExp(`>${c.revenueLabel}</p><p[^>]*>${c.revenue.replace(/[.$]/g, "\\$&")}</p><span[^>]*>${c.revenueChange.replace("+", "\\+")}</span>`));
    });

    it(`dates: the e-mail's range is the dashboard's date format (${c.lang})`, async () => {
      const fmt = makeFormatters(c.lang, "UAH");
      expect(nbsp(`${fmt.date("2026-01-05")} — ${fmt.date("2026-01-11")}`)).toBe(c.range);
      const r = await renderReport(report(), c.lang);
      expect(nbsp(r.subject).endsWith(`: ${c.range}`)).toBe(true);
    });
  }

  it("the e-mail no longer has its own wording for a dashboard label", async () => {
    const uk = nbsp((await renderReport(report(), "uk")).text);
    const en = nbsp((await renderReport(report(), "en")).text);
    // The old e-mail strings: «Дохід на сесію», «Переглядів на сесію», "Revenue per session", "Average order".
    for (const old of ["Дохід на сесію", "Переглядів на сесію"]) expect(uk).not.toContain(old);
    for (const old of ["Revenue per session", "Average order", "Pages per session"]) expect(en).not.toContain(old);
    expect(uk).toContain("Сторінок / сесія");
    expect(en).toContain("Avg. order value");
  });
});
