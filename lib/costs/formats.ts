/**
 * The cost exports the import recognises by their header row (SPEC 14), with the column names each
 * platform's UI writes in English, Ukrainian and Russian (the languages a Ukrainian account gets).
 * Header names are compared after `headerKey` (lower case, spaces collapsed, trimmed). Where the
 * names come from is listed in tests/fixtures/README.md next to one fixture per format and language.
 *
 * A cost column may carry its currency in the header ("Amount spent (UAH)", "Cost (USD)"); the
 * names below are the part before the parenthesis.
 */

export type PlatformId = "google-ads" | "meta" | "tiktok";
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
    noDay: "This TikTok Ads Manager export has no day column: export the campaign report with the By Day time dimension",
  },
];

/** The generic cost CSV of SPEC 4 (names are exact, any order, any case). */
export const GENERIC_COLUMNS = ["date", "utm_source", "utm_campaign", "amount"] as const;

/** "amount spent (uah)" → {name: "amount spent", currency: "UAH"}; no parenthesis → currency null. */
export function splitCurrency(key: string): { name: string; currency: string | null } {
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(key);
  if (!m) return { name: key, currency: null };
  const inner = m[2].trim().toUpperCase();
  return { name: m[1].trim(), currency: /^[A-Z]{3}$/.test(inner) ? inner : null };
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
  const order: PlatformId[] = ["meta", "google-ads", "tiktok"];
  for (const id of order) {
    const f = PLATFORM_FORMATS.find((x) => x.id === id)!;
    for (const lang of LANGS) {
      const find = (list: string[] | undefined) => (list ? keys.findIndex((k) => list.includes(k)) : -1);
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

/** Lines above the table are titles; lines like "Total: Account" / «Разом» / «Итого» are totals. */
export const TOTAL_LINE = /^(total|totals|разом|всього|усього|итого|всего|загалом)(?=[\s:]|$)/i;
