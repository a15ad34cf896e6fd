import { renderToStaticMarkup } from "react-dom/server";
import { expect, it, vi } from "vitest";
import { KpiView } from "@/app/dispatcher/blocks/kpi";
import type { Compare } from "@/lib/analytics/compare";
import type { GeneralStats } from "@/lib/analytics/general-stats";
import { dictionary, makeFormatters, type Locale } from "@/lib/i18n";

/**
 * Issue 22: a year-over-year comparison was captioned "previous period" and showed no dates.
 * The KPI cards now say which comparison it is, and one line names the compared range, in both
 * languages (dates by the locale's one formatter, lib/i18n/format.ts).
 */
vi.mock("server-only", () => ({}));

const nbsp = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, " ");
const stats = { sessions: 8 } as unknown as GeneralStats;
const change = new Proxy({}, { get: () => null }) as Compare["change"];
// March 2026 against March 2025 (compare=previous_year).
const yoy: Compare = {
  current: { start_date: "2026-03-01", end_date: "2026-03-31", stats },
  previous: { start_date: "2025-03-01", end_date: "2025-03-31", stats },
  change,
};

const html = (lang: Locale, mode: "previous_period" | "previous_year", showRange = true) =>
  nbsp(renderToStaticMarkup(<KpiView data={yoy} t={dictionary(lang)} fmt={makeFormatters(lang, "UAH")} showPrevious={false} mode={mode} showRange={showRange} />));

it("year over year: the caption and the compared dates, in English and Ukrainian", () => {
  const en = html("en", "previous_year");
  expect(en).toContain("vs same period last year");
  expect(en).not.toContain("vs previous period");
  const range = makeFormatters("en", "UAH").range({ start: "2025-03-01", end: "2025-03-31" });
  expect(range).toContain("2025");
  expect(en).toContain(nbsp(`Compared with the same period last year: ${range}`));
  expect(en).toContain('data-compared-range="2025-03-01/2025-03-31"');

  const uk = html("uk", "previous_year");
  expect(uk).toContain("до того самого періоду торік");
  expect(uk).toContain(nbsp(`Порівняння з тим самим періодом торік: ${makeFormatters("uk", "UAH").range({ start: "2025-03-01", end: "2025-03-31" })}`));
});

it("the previous period keeps its own caption; a share view outside its range shows no dates", () => {
  expect(html("uk", "previous_period")).toContain("до попереднього періоду");
  expect(html("en", "previous_period", false)).not.toContain("data-compared-range");
});
