import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import { renderReport } from "@/lib/reports/render";
import { dictionary } from "@/lib/i18n";
import { sampleReport } from "../fixtures/report-fixture";

/** Strips tags and decodes the entities React Email writes, so assertions read like the page. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");
}
const nbsp = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, " ");

describe("e-mail report rendering", () => {
  for (const lang of ["uk", "en"] as const) {
    const t = dictionary(lang);
    // The e-mail's sections: the dashboard's block titles where the content is the same, its own otherwise.
    const sections = [t.blocks.kpi, ...Object.values(t.report.sections), t.blocks.funnel, t.blocks.repeat, t.blocks.ltv];
    it(`HTML and text contain every section in ${lang}`, async () => {
      const r = await renderReport(sampleReport(), lang);
      const html = nbsp(visibleText(r.html));
      const text = nbsp(r.text);
      expect(sections).toHaveLength(8);
      for (const title of sections) {
        expect(html).toContain(title);
        expect(text).toContain(title.toUpperCase());
      }
      for (const body of [html, text]) {
        // Funnel step names, the A/B winner, the dashboard deep link.
        for (const step of Object.values(t.funnelSteps)) expect(body).toContain(step);
        expect(body).toContain("banner_b");
        expect(body).toContain("winter_sale");
      }
      expect(r.html).toContain('href="http://localhost:3000/dispatcher?start_date=2026-01-05&amp;end_date=2026-01-11"');
      expect(text).toContain("http://localhost:3000/dispatcher?start_date=2026-01-05&end_date=2026-01-11");
      expect(r.html).toContain(`<html dir="ltr" lang="${lang}"`);
    });
  }

  it("shows the top sources' revenue under three attribution models", async () => {
    const en = await renderReport(sampleReport(), "en");
    // Columns: source, last non-direct, first click, linear (the fixture's byModel lines).
    expect(nbsp(en.text)).toMatch(/Source +Last non-direct +First click +Linear/);
    expect(nbsp(en.text)).toMatch(/google +UAH 240,300\.00 +UAH 198,750\.25 +UAH 221,410\.50/);
    expect(nbsp(visibleText(en.html))).toContain("facebook UAH 96,000.00 UAH 131,200.00 UAH 110,333.33");
    const uk = await renderReport(sampleReport(), "uk");
    expect(nbsp(uk.text)).toMatch(/instagram +51 300,00 ₴ +64 000,00 ₴ +57 050,00 ₴/);
    const empty = await renderReport({ ...sampleReport(), byModel: [] }, "en");
    expect(empty.text).toMatch(/TOP SOURCES' REVENUE BY ATTRIBUTION MODEL\n\nNo data/);
  });

  it("formats money, percentages, changes and dates per language", async () => {
    const uk = await renderReport(sampleReport(), "uk");
    const en = await renderReport(sampleReport(), "en");
    // Revenue 502,220.5 UAH; conversion rate 3.29 %; revenue change +16.77 % shown to 1 decimal.
    expect(nbsp(visibleText(uk.html))).toContain("502 220,50 ₴");
    expect(nbsp(visibleText(uk.html))).toContain("3,29%");
    expect(nbsp(visibleText(uk.html))).toContain("+16,8%");
    expect(visibleText(en.html)).toContain("UAH 502,220.50");
    expect(visibleText(en.html)).toContain("3.29%");
    expect(visibleText(en.html)).toContain("+16.8%");
    // Revenue rose 16.77 %: its KPI badge is green; the bounce rate fell 3.02 %, shown as the
    // dashboard shows a change: one decimal always (-3.0%, not -3%).
    expect(en.html).toMatch(/color:#047857;background-color:#d1fae5"[^>]*>\+16\.8%</);
    expect(visibleText(en.html)).toContain("Bounce rate : 41.8% ( -3.0% )");
    expect(nbsp(visibleText(uk.html))).toContain("Відмови : 41,8% ( -3,0% )");
    // The range as the dashboard writes it (en-GB short months, start — end).
    expect(nbsp(uk.subject)).toBe("UTM-звіт за тиждень: 5 січ. 2026 р. — 11 січ. 2026 р.");
    expect(nbsp(en.subject)).toBe("UTM report for the week: 5 Jan 2026 — 11 Jan 2026");
    // Text KPIs line: label, value, change.
    expect(nbsp(en.text)).toMatch(/Revenue +UAH 502,220\.50 +\+16\.8%/);
  });

  it("attaches the full breakdowns as formula-safe CSV", async () => {
    const r = await renderReport(sampleReport(), "en");
    expect(r.attachments.map((a) => a.filename)).toEqual([
      "utm-sources-2026-01-05-2026-01-11.csv",
      "utm-campaigns-2026-01-05-2026-01-11.csv",
      "utm-ltv-2026-01-05-2026-01-11.csv",
    ]);
    const sources = Papa.parse<string[]>(r.attachments[0].content.trim()).data;
    expect(sources[0]).toEqual(["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"]);
    // google: 4210 sessions, 168 conversions → 3.99 %; 175 orders, 262,500 → aov 1500.
    expect(sources[1]).toEqual(["google", "4210", "3650", "168", "3.99", "175", "262500", "1500", "62.35"]);
    // All five source rows, no total line; the formula-looking key is neutralised with a quote.
    expect(sources).toHaveLength(6);
    expect(sources[5][0]).toBe("'=cmd|' /C calc'!A0");
  });

  it("shows 'no data' for empty sections instead of empty tables", async () => {
    const d = sampleReport();
    d.sources = { rows: [], total: d.sources.total };
    d.ltv = [];
    d.abWinners = [];
    const r = await renderReport(d, "uk");
    expect(r.text).toContain("Немає даних");
    expect(r.text).toContain("Немає тестів зі значущим результатом");
    expect(visibleText(r.html)).toContain("Немає даних");
  });
});
