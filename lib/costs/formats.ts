import { currencyOfMark } from "./currency-marks";

/**
 * The cost exports the import recognises by their header row (SPEC 14), with the column names each
 * platform's UI writes in English, Ukrainian and Russian (the languages a Ukrainian account gets).
 * Header names are compared after `headerKey` (lower case, spaces collapsed, trimmed). Where the
 * names come from is listed in tests/fixtures/README.md next to one fixture per format and language.
 *
 * A cost column may carry its currency in the header ("Amount spent (UAH)", "Cost (USD)"); the
 * names below are the part before the parenthesis.
 */

export type PlatformId = "google-ads" | "meta" | "tiktok" | "microsoft-ads";
export type Lang = "en" | "uk" | "ru";

export type PlatformFormat = {
  id: PlatformId;
  /** What a row's utm_source becomes (changeable per import). */
  source: string;
  label: string;
  /** A day column (one row per day). */
  day: Record<Lang, string[]>;
  /** Reporting window columns (Meta): a row is one day when both are the same date. */
  start?: Record<Lang, string[]>;
  end?: Record<Lang, string[]>;
  campaign: Record<Lang, string[]>;
  cost: Record<Lang, string[]>;
  currency: Record<Lang, string[]>;
  /** The platform's campaign id column (matched against sessions.utm_id, SPEC 18). */
  campaignId: Record<Lang, string[]>;
  /**
   * Columns of which one must be present for the header to be this format (tells Microsoft
   * Advertising's "Campaign name … Spend" from TikTok's); none → the campaign and cost columns decide.
   */
  marker?: string[];
  /** SPEC 14: a file without a day column is refused with this (which export to choose). */
  noDay: string;
};


export const headerKey = (h: string): string =>
  h.replace(/^\uFEFF/, "").replace(/[\s\u00a0\u202f]+/g, " ").trim().toLowerCase();

export const PLATFORM_FORMATS: PlatformFormat[] = [
  {
    // Google Ads › Campaigns › Download (CSV), segmented by Time › Day. The file starts with the
    // report's title and date range and ends with "Total: …" lines.
    id: "google-ads",
    source: "google",
    label: "Google Ads",
    day: { en: ["day", "date"], uk: ["день", "дата"], ru: ["день", "дата"] },
    campaign: { en: ["campaign"], uk: ["кампанія"], ru: ["кампания"] },
    cost: { en: ["cost"], uk: ["вартість", "витрати"], ru: ["стоимость", "расходы"] },
    currency: { en: ["currency code", "currency"], uk: ["код валюти", "валюта"], ru: ["код валюты", "валюта"] },
    campaignId: { en: ["campaign id"], uk: ["ідентифікатор кампанії", "id кампанії"], ru: ["идентификатор кампании", "id кампании"] },
    noDay: "This Google Ads export has no Day column: export the Campaigns report with the Day segment (Segment › Time › Day)",
  },
  {
    // Meta Ads Manager › Reports › Export table data (.csv) at campaign level with
    // Breakdown › By time › Day: "Reporting starts" = "Reporting ends" = the day, or a "Day" column.
    id: "meta",
    source: "facebook",
    label: "Meta Ads Manager",
    day: { en: ["day"], uk: ["день"], ru: ["день"] },
    start: { en: ["reporting starts"], uk: ["початок звітності", "дата початку звітності"], ru: ["дата начала отчетности", "начало отчетности"] },
    end: { en: ["reporting ends"], uk: ["кінець звітності", "дата закінчення звітності", "закінчення звітності"], ru: ["дата окончания отчетности", "окончание отчетности"] },
    campaign: { en: ["campaign name"], uk: ["назва кампанії"], ru: ["название кампании"] },
    cost: {
      en: ["amount spent"],
      uk: ["витрачена сума", "потрачена сума", "сума витрат"],
      ru: ["сумма затрат", "потраченная сумма", "израсходованная сумма"],
    },
    currency: { en: ["currency"], uk: ["валюта"], ru: ["валюта"] },
    campaignId: { en: ["campaign id"], uk: ["ідентифікатор кампанії", "id кампанії"], ru: ["идентификатор кампании", "id кампании"] },
    noDay: "This Meta Ads Manager export covers whole periods, not days: export the campaign report with Breakdown › By time › Day",
  },
  {
    // TikTok Ads Manager › Campaign › Export (or Custom report) with the "By Day" time dimension.
    id: "tiktok",
    source: "tiktok",
    label: "TikTok Ads Manager",
    day: { en: ["by day", "date", "day", "stat time day"], uk: ["за днями", "дата", "день"], ru: ["по дням", "дата", "день"] },
    campaign: { en: ["campaign name", "campaign"], uk: ["назва кампанії", "кампанія"], ru: ["название кампании", "кампания"] },
    cost: { en: ["cost", "total cost", "spend"], uk: ["витрати", "вартість", "загальні витрати"], ru: ["затраты", "расходы", "стоимость", "общие затраты"] },
    currency: { en: ["currency"], uk: ["валюта"], ru: ["валюта"] },
    campaignId: { en: ["campaign id"], uk: ["ідентифікатор кампанії", "id кампанії"], ru: ["идентификатор кампании", "id кампании"] },
    noDay: "This TikTok Ads Manager export has no day column: export the campaign report with the By Day time dimension",
  },
  {
    // Microsoft Advertising › Reports › Campaign (Time: Daily) › Download CSV: "Report Name:",
    // "Report Time:", "Time Zone:", "Rows:" … lines above the table and a "©2026 Microsoft
    // Corporation" line below it. The reporting API writes the same columns unspaced
    // (TimePeriod, CampaignName, CampaignId, CurrencyCode, Spend), as in its documentation's
    // CampaignPerformanceReportColumn list. English only: the report's columns are not localised.
    id: "microsoft-ads",
    source: "bing",
    label: "Microsoft Advertising",
    day: { en: ["time period", "timeperiod", "gregorian date", "day", "date"], uk: [], ru: [] },
    campaign: { en: ["campaign name", "campaignname", "campaign"], uk: [], ru: [] },
    cost: { en: ["spend"], uk: [], ru: [] },
    currency: { en: ["currency code", "currencycode", "currency"], uk: [], ru: [] },
    campaignId: { en: ["campaign id", "campaignid"], uk: [], ru: [] },
    marker: ["time period", "timeperiod", "gregorian date", "campaignname", "currencycode", "account number", "accountnumber", "account name", "accountname"],
    noDay: "This Microsoft Advertising report has no day column: run the Campaign report with Time › Daily (the Time period column)",
  },
];

/** The generic cost CSV of SPEC 4 (names are exact, any order, any case). */
export const GENERIC_COLUMNS = ["date", "utm_source", "utm_campaign", "amount"] as const;

/** "amount spent (uah)" → {name: "amount spent", currency: "UAH"}; no parenthesis → currency null. */
export function splitCurrency(key: string): { name: string; currency: string | null } {
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(key);
  if (!m) return { name: key, currency: null };
  return { name: m[1].trim(), currency: currencyOfMark(m[2]) };
}

export type ColumnMatch = {
  format: PlatformFormat;
  lang: Lang;
  day: number;
  start: number;
  end: number;
  campaign: number;
  cost: number;
  currency: number;
  campaignId: number;
  /** Currency named in the cost column's header. */
  headerCurrency: string | null;
};

const LANGS: Lang[] = ["en", "uk", "ru"];

/**
 * The format whose campaign and cost columns are in this header row (Meta first: its cost names
 * are its own; Google's "Campaign" and TikTok's "Campaign name" tell those two apart).
 */
export function matchHeader(cells: string[]): ColumnMatch | null {
  const keys = cells.map(headerKey);
  const names = keys.map((k) => splitCurrency(k));
  const order: PlatformId[] = ["meta", "microsoft-ads", "google-ads", "tiktok"];
  for (const id of order) {
    const f = PLATFORM_FORMATS.find((x) => x.id === id)!;
    for (const lang of LANGS) {
      const find = (list: string[] | undefined) => (list ? keys.findIndex((k) => list.includes(k)) : -1);
      if (f.marker && find(f.marker) < 0) continue;
      const campaign = find(f.campaign[lang]);
      if (campaign < 0) continue;
      const cost = names.findIndex((n) => f.cost[lang].includes(n.name));
      if (cost < 0) continue;
      return {
        format: f,
        lang,
        day: find(f.day[lang]),
        start: find(f.start?.[lang]),
        end: find(f.end?.[lang]),
        campaign,
        cost,
        currency: find(f.currency[lang]),
        campaignId: find(f.campaignId[lang]),
        headerCurrency: names[cost].currency,
      };
    }
  }
  return null;
}

export function isGenericHeader(cells: string[]): boolean {
  const keys = cells.map(headerKey);
  return keys.includes("date") && keys.includes("utm_source") && keys.includes("amount");
}

/** Footer lines of Microsoft Advertising's download ("©2026 Microsoft Corporation. All rights reserved."). */
export const FOOTER_LINE = /^(©|\(c\)\s*\d{4}|copyright\b)/i;

/** Lines above the table are titles; lines like "Total: Account" / «Разом» / «Итого» are totals. */
export const TOTAL_LINE = /^(total|totals|разом|всього|усього|итого|всего|загалом)(?=[\s:]|$)/i;
