import { countStoredSpendKeys, parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { campaignSuggestions, type CampaignSuggestion } from "@/lib/analytics/campaign-suggestions";
import { money } from "@/lib/analytics/format";
import { isCurrencyCode } from "@/lib/currency";
import type { Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { convertWithDayRates, type DayRates } from "./convert";
import { parseCostCsv, type CostFormat, type CostRow, type ParsedCosts, type SkippedRow } from "./platform-csv";

/**
 * A cost import (SPEC 14, 17.5, 18) shared by POST /api/utm/ad-spend, the dashboard upload and
 * the CLI: parse, convert to APP_CURRENCY (the given rate, or the day rates), count the rows whose
 * key is already stored (replaced) against the new ones (added), write them unless it is a dry
 * run (the upload's preview), and answer the suggestions for the imported platform campaigns
 * that match no utm_campaign.
 */

export type CostImportAnswer = {
  format: CostFormat | "json";
  language: string | null;
  source: string | null;
  currency: string | null;
  /** The one rate given for the file; null when none was (see day_rates). */
  rate: number | null;
  /** The rate used per day when the file was converted with the stored day rates (SPEC 17.5). */
  day_rates: DayRates | null;
  dry_run: boolean;
  added: number;
  replaced: number;
  skipped: SkippedRow[];
  rows: number;
  start_date: string | null;
  end_date: string | null;
  /** Σ amount in APP_CURRENCY of the rows stored. */
  total: number;
  /** Σ amount as exported, when the file was in another currency; else null. */
  total_original: number | null;
  /** Platform campaigns of this file that match no session's utm_campaign (SPEC 18). */
  unmatched: number;
  suggestions: CampaignSuggestion[];
};

export type CostImportOptions = { appCurrency: string; source?: string; rate?: number; currency?: string; dryRun?: boolean };

export async function importCostCsv(db: Db, text: string, opts: CostImportOptions): Promise<CostImportAnswer> {
  const { parsed, dayRates } = await convertWithDayRates(db, parseCostCsv(text, opts));
  return store(db, parsed, dayRates, opts.dryRun ?? false);
}

/** JSON rows (`[...]` or `{rows}`) of the generic columns, in APP_CURRENCY. */
export async function importCostJson(db: Db, body: unknown, opts: { dryRun?: boolean } = {}): Promise<CostImportAnswer> {
  const rows: CostRow[] = parseAdSpendRows(body).map((r) => ({ ...r, platform_campaign: null }));
  const parsed: ParsedCosts = { format: "generic", language: null, source: null, currency: null, rate: null, conversion: "none", rows, skipped: [] };
  return store(db, parsed, null, opts.dryRun ?? false, "json");
}

async function store(db: Db, parsed: ParsedCosts, dayRates: DayRates | null, dryRun: boolean, format?: "json"): Promise<CostImportAnswer> {
  const replaced = parsed.rows.length ? await countStoredSpendKeys(db, parsed.rows) : 0;
  const written = dryRun || parsed.rows.length === 0 ? distinctKeys(parsed.rows) : await upsertAdSpend(db, parsed.rows);
  const dates = parsed.rows.map((r) => r.date).sort();
  const platform = parsed.rows.filter((r) => r.platform_campaign !== null);
  // After a write the stored rows answer (with the campaign map applied); a dry run has none stored.
  const found =
    dryRun || platform.length === 0
      ? { suggestions: [], unmatched: 0 }
      : await campaignSuggestions(db, uniqueScope(platform));
  const converted = parsed.conversion !== "none";
  return {
    format: format ?? parsed.format,
    language: parsed.language,
    source: parsed.source,
    currency: parsed.currency,
    rate: parsed.rate,
    day_rates: dayRates,
    dry_run: dryRun,
    added: written - replaced,
    replaced,
    skipped: parsed.skipped,
    rows: written,
    start_date: dates[0] ?? null,
    end_date: dates[dates.length - 1] ?? null,
    total: money(lastPerKeyTotal(parsed.rows, (r) => r.amount)),
    total_original: converted ? money(lastPerKeyTotal(parsed.rows, (r) => r.amount_original ?? r.amount)) : null,
    unmatched: found.unmatched,
    suggestions: found.suggestions,
  };
}

function uniqueScope(rows: CostRow[]): { utm_source: string; platform_campaign: string }[] {
  const m = new Map<string, { utm_source: string; platform_campaign: string }>();
  for (const r of rows) m.set(JSON.stringify([r.utm_source, r.platform_campaign]), { utm_source: r.utm_source, platform_campaign: r.platform_campaign as string });
  return [...m.values()];
}

const key = (r: CostRow) => JSON.stringify([r.date, r.utm_source, r.platform_campaign ?? r.utm_campaign]);

function distinctKeys(rows: CostRow[]): number {
  return new Set(rows.map(key)).size;
}

/** Σ over the rows that are stored (the last row of a repeated key wins). */
function lastPerKeyTotal(rows: CostRow[], value: (r: CostRow) => number): number {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), value(r));
  let t = 0;
  for (const v of m.values()) t += v;
  return t;
}

export type CostImportParams = { source?: string; rate?: number; currency?: string; dryRun: boolean };

/**
 * The import's own parameters, from the query string, the upload form or the CLI: `source`
 * (overrides google/facebook/tiktok/bing), `currency` (ISO 4217: the file's currency when it
 * names none), `rate` (> 0, APP_CURRENCY per 1 unit of the export's currency, instead of the day
 * rates; "41,5" reads 41.5), `dry_run` or `preview` (1/true: parse and answer, write nothing).
 */
export function parseCostImportParams(input: Record<string, string | undefined>): CostImportParams {
  const issues: { path: string; message: string }[] = [];
  const out: CostImportParams = { dryRun: false };
  const source = input.source?.trim();
  if (source) {
    if (source.length > 500) issues.push({ path: "source", message: "must be at most 500 characters" });
    else out.source = source.toLowerCase();
  }
  const currency = input.currency?.trim();
  if (currency) {
    const code = currency.toUpperCase();
    if (code.length !== 3 || !isCurrencyCode(code)) issues.push({ path: "currency", message: "must be an ISO 4217 currency code such as USD" });
    else out.currency = code;
  }
  const rate = input.rate?.trim();
  if (rate) {
    const n = /^\d+([.,]\d+)?$/.test(rate) ? Number(rate.replace(",", ".")) : NaN;
    if (!Number.isFinite(n) || n <= 0 || n > 1e6) issues.push({ path: "rate", message: "must be a number greater than 0 (units of the app's currency per 1 unit of the export's)" });
    else out.rate = n;
  }
  for (const name of ["dry_run", "preview"] as const) {
    const v = input[name]?.trim().toLowerCase();
    if (v === undefined || v === "") continue;
    if (v === "1" || v === "true") out.dryRun = true;
    else if (v !== "0" && v !== "false") issues.push({ path: name, message: "must be 1, 0, true or false" });
  }
  if (issues.length) throw badRequest("Invalid import parameters", issues);
  return out;
}
