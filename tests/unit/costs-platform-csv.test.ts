import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAmount, parseCostCsv, parseDay, type ParseCostOptions } from "@/lib/costs/platform-csv";
import { AppError } from "@/lib/errors";

const fixture = (name: string) => readFileSync(path.join(__dirname, "..", "fixtures", "costs", name), "utf8");
const UAH: ParseCostOptions = { appCurrency: "UAH" };
const brief = (name: string, opts: ParseCostOptions = UAH) => {
  const p = parseCostCsv(fixture(name), opts);
  return { ...p, rows: p.rows.map((r) => [r.date, r.utm_source, r.utm_campaign, r.amount]) };
};
const refusal = (fn: () => unknown) => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return e instanceof AppError ? { code: e.code, message: e.message, issues: e.issues } : String(e);
  }
};

// Google Ads: lines 1–2 title and date range, 3 header; line 6 (Brand Search, 0.00) is a zero cost;
// "Total:" lines are not rows. Rows 1,234.56 + 400.00 + 2,000.10 = 3,634.66.
const GOOGLE_ROWS = [
  ["2026-03-01", "google", "Brand Search", 1234.56],
  ["2026-03-01", "google", "spring_sale", 400],
  ["2026-03-02", "google", "spring_sale", 2000.1],
];
// Meta: two ad sets of spring_sale on 03-01 summed, 120.50 + 79.50 = 200; spring_sale 03-02 is 0.
const META_ROWS = [
  ["2026-03-01", "facebook", "spring_sale", 200],
  ["2026-03-01", "facebook", "Retarget UA", 50],
  ["2026-03-02", "facebook", "Retarget UA", 65.25],
];
// TikTok: "--" is no cost (zero); 1,050.40 / "1 050,40" is 1050.4.
const TIKTOK_ROWS = [
  ["2026-03-01", "tiktok", "TT Launch", 150],
  ["2026-03-02", "tiktok", "TT Launch", 1050.4],
];

describe("platform cost exports (SPEC 14)", () => {
  it.each([
    ["google-ads-en.csv", "en"],
    ["google-ads-uk.csv", "uk"],
    ["google-ads-ru.csv", "ru"],
  ] as const)("Google Ads %s: title, totals and zero cost skipped", (file, lang) => {
    const p = brief(file);
    expect(p).toMatchObject({ format: "google-ads", language: lang, source: "google", currency: "UAH", rate: null });
    expect(p.rows).toEqual(GOOGLE_ROWS);
    expect(p.skipped).toEqual([{ line: 6, reason: "zero cost" }]);
  });

  it("Meta en: summary line (no campaign) skipped, ad sets of one day summed", () => {
    const p = brief("meta-en.csv");
    expect(p).toMatchObject({ format: "meta", language: "en", source: "facebook", currency: "UAH" });
    expect(p.rows).toEqual(META_ROWS);
    expect(p.skipped).toEqual([
      { line: 2, reason: "no campaign name (a summary line)" },
      { line: 6, reason: "zero cost" },
    ]);
  });

  it.each([
    ["meta-uk.csv", "uk"],
    ["meta-ru.csv", "ru"],
  ] as const)("Meta %s", (file, lang) => {
    const p = brief(file);
    expect(p).toMatchObject({ format: "meta", language: lang, currency: "UAH" });
    expect(p.rows).toEqual(META_ROWS);
    expect(p.skipped).toEqual([{ line: 5, reason: "zero cost" }]);
  });

  it("TikTok en: '--' is zero cost, a text cost is not an amount, the total line is skipped", () => {
    const p = brief("tiktok-en.csv");
    expect(p).toMatchObject({ format: "tiktok", language: "en", source: "tiktok", currency: "UAH" });
    expect(p.rows).toEqual(TIKTOK_ROWS);
    expect(p.skipped).toEqual([
      { line: 4, reason: "zero cost" },
      { line: 5, reason: 'not an amount: "not available"' },
    ]);
  });

  it.each([
    ["tiktok-uk.csv", "uk"],
    ["tiktok-ru.csv", "ru"],
  ] as const)("TikTok %s", (file, lang) => {
    const p = brief(file);
    expect(p).toMatchObject({ format: "tiktok", language: lang });
    expect(p.rows).toEqual(TIKTOK_ROWS);
    expect(p.skipped).toEqual([{ line: 4, reason: "zero cost" }]);
  });

  it("--source overrides the platform's source (lower-cased)", () => {
    expect(brief("tiktok-en.csv", { appCurrency: "UAH", source: " TikTok_Ads " }).rows[0]).toEqual(["2026-03-01", "tiktok_ads", "TT Launch", 150]);
  });

  it("the generic file keeps its own columns; platform_campaign stays null", () => {
    const p = parseCostCsv(fixture("generic.csv"), UAH);
    expect(p.format).toBe("generic");
    expect(p.rows).toEqual([
      { date: "2026-03-01", utm_source: "google", utm_campaign: "brand_search", platform_campaign: null, amount: 100.5 },
      { date: "2026-03-01", utm_source: "facebook", utm_campaign: "spring_sale", platform_campaign: null, amount: 80 },
    ]);
  });

  it("a foreign currency is left for the day rates (SPEC 17.5), converted at once with a given rate", () => {
    // Without a rate the parse keeps the amounts as exported; the import converts them (convert.ts).
    expect(parseCostCsv(fixture("meta-usd-en.csv"), UAH)).toMatchObject({ currency: "USD", rate: null, conversion: "day-rates" });
    expect(parseCostCsv(fixture("meta-usd-en.csv"), UAH).rows.map((r) => [r.amount, r.amount_original])).toEqual([[10, 10], [2.5, 2.5]]);
    // 10.00 × 41.5 = 415; 2.50 × 41.5 = 103.75
    const p = brief("meta-usd-en.csv", { appCurrency: "UAH", rate: 41.5 });
    expect(p).toMatchObject({ currency: "USD", rate: 41.5 });
    expect(p.rows).toEqual([
      ["2026-03-01", "facebook", "spring_sale", 415],
      ["2026-03-02", "facebook", "spring_sale", 103.75],
    ]);
    // The same file in an app counting in USD needs no rate.
    expect(brief("meta-usd-en.csv", { appCurrency: "USD" }).rows[0]).toEqual(["2026-03-01", "facebook", "spring_sale", 10]);
  });

  it("a file without days is refused saying which export to choose", () => {
    expect(refusal(() => parseCostCsv(fixture("google-ads-totals-en.csv"), UAH))).toMatchObject({
      code: "invalid_input",
      message: "This Google Ads export has no Day column: export the Campaigns report with the Day segment (Segment › Time › Day)",
    });
    expect(refusal(() => parseCostCsv(fixture("meta-period-en.csv"), UAH))).toMatchObject({
      message: "This Meta Ads Manager export covers whole periods, not days: export the campaign report with Breakdown › By time › Day",
      issues: [{ path: "file", message: "line 2 covers 2026-03-01 to 2026-03-31, not one day" }],
    });
    expect(refusal(() => parseCostCsv("Campaign name,Cost\nTT,1\n", UAH))).toMatchObject({
      message: "This TikTok Ads Manager export has no day column: export the campaign report with the By Day time dimension",
    });
  });

  it("an unknown header is a 400 naming the file", () => {
    expect(refusal(() => parseCostCsv("foo,bar\n1,2\n", UAH))).toMatchObject({ code: "invalid_input", issues: [{ path: "file", message: "no known header row" }] });
  });

  it("mixed foreign currencies cannot share one rate", () => {
    const csv = "Day,Campaign,Currency code,Cost\n2026-03-01,A,USD,1\n2026-03-01,B,EUR,1\n";
    expect(refusal(() => parseCostCsv(csv, { appCurrency: "UAH", rate: 40 }))).toMatchObject({ message: "This export mixes the currencies EUR, USD: import one currency per file" });
  });

  it("amounts in the platforms' number formats", () => {
    expect(parseAmount("1,234.56")).toBe(1234.56);
    expect(parseAmount("1 234,56")).toBe(1234.56);
    expect(parseAmount("1\u00a0234,56")).toBe(1234.56);
    expect(parseAmount("1.234,56")).toBe(1234.56);
    expect(parseAmount("1234,5")).toBe(1234.5);
    expect(parseAmount("1,234")).toBe(1234);
    expect(parseAmount("$412.30")).toBe(412.3);
    expect(parseAmount("₴1 234,56")).toBe(1234.56);
    expect(parseAmount("UAH 10")).toBe(10);
    expect(parseAmount("(5.00)")).toBe(-5);
    expect(parseAmount("-5")).toBe(-5);
    expect(parseAmount("--")).toBe(0);
    expect(parseAmount("")).toBeNull();
    expect(parseAmount("n/a")).toBeNull();
    expect(parseAmount("1.2.3,4,5")).toBeNull();
  });

  it("days in the platforms' date formats", () => {
    expect(parseDay("2026-03-05")).toBe("2026-03-05");
    expect(parseDay("2026-03-05 00:00:00")).toBe("2026-03-05");
    expect(parseDay("2026/3/5")).toBe("2026-03-05");
    expect(parseDay("05.03.2026")).toBe("2026-03-05");
    expect(parseDay("3/5/2026", "en")).toBe("2026-03-05");
    expect(parseDay("5/3/2026", "uk")).toBe("2026-03-05");
    expect(parseDay("Mar 5, 2026")).toBe("2026-03-05");
    expect(parseDay("Thu, Mar 5, 2026")).toBe("2026-03-05");
    expect(parseDay("5 March 2026")).toBe("2026-03-05");
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("Total")).toBeNull();
  });
});
