import { countStoredSpendKeys, parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { money } from "@/lib/analytics/format";
import type { Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { parseCostCsv, type CostFormat, type CostRow, type ParsedCosts, type SkippedRow } from "./platform-csv";

/**
 * A cost import (SPEC 14) shared by POST /api/utm/ad-spend, the dashboard upload and the CLI:
 * parse, count the rows whose key is already stored (replaced) against the new ones (added), and
 * write them unless it is a dry run (the upload's preview).
 */

export type CostImportAnswer = {
  format: CostFormat | "json";
  language: string | null;
  source: string | null;
  currency: string | null;
  rate: number | null;
  dry_run: boolean;
  added: number;
  replaced: number;
  skipped: SkippedRow[];
  rows: number;
  start_date: string | null;
  end_date: string | null;
  total: number;
};

export type CostImportOptions = { appCurrency: string; source?: string; rate?: number; dryRun?: boolean };

export async function importCostCsv(db: Db, text: string, opts: CostImportOptions): Promise<CostImportAnswer> {
  return store(db, parseCostCsv(text, opts), opts.dryRun ?? false);
}

/** JSON rows (`[...]` or `{rows}`) of the generic columns. */
export async function importCostJson(db: Db, body: unknown, opts: { dryRun?: boolean } = {}): Promise<CostImportAnswer> {
  const rows: CostRow[] = parseAdSpendRows(body).map((r) => ({ ...r, platform_campaign: null }));
  return store(db, { format: "generic", language: null, source: null, currency: null, rate: null, rows, skipped: [] }, opts.dryRun ?? false, "json");
}

async function store(db: Db, parsed: ParsedCosts, dryRun: boolean, format?: "json"): Promise<CostImportAnswer> {
  const replaced = parsed.rows.length ? await countStoredSpendKeys(db, parsed.rows) : 0;
  const written = dryRun || parsed.rows.length === 0 ? distinctKeys(parsed.rows) : await upsertAdSpend(db, parsed.rows);
  const dates = parsed.rows.map((r) => r.date).sort();
  return {
    format: format ?? parsed.format,
    language: parsed.language,
    source: parsed.source,
    currency: parsed.currency,
    rate: parsed.rate,
    dry_run: dryRun,
    added: written - replaced,
    replaced,
    skipped: parsed.skipped,
    rows: written,
    start_date: dates[0] ?? null,
    end_date: dates[dates.length - 1] ?? null,
    total: money(lastPerKeyTotal(parsed.rows)),
  };
}

const key = (r: CostRow) => JSON.stringify([r.date, r.utm_source, r.platform_campaign ?? r.utm_campaign]);

function distinctKeys(rows: CostRow[]): number {
  return new Set(rows.map(key)).size;
}

/** Σ amount over the rows that are stored (the last row of a repeated key wins). */
function lastPerKeyTotal(rows: CostRow[]): number {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), r.amount);
  let t = 0;
  for (const v of m.values()) t += v;
  return t;
}

/**
 * The import's own parameters, from the query string, the upload form or the CLI: `source`
 * (overrides google/facebook/tiktok), `rate` (> 0, APP_CURRENCY per 1 unit of the export's
 * currency; "41,5" reads 41.5), `dry_run` or `preview` (1/true: parse and answer, write nothing).
 */
export function parseCostImportParams(input: Record<string, string | undefined>): { source?: string; rate?: number; dryRun: boolean } {
  const issues: { path: string; message: string }[] = [];
  const out: { source?: string; rate?: number; dryRun: boolean } = { dryRun: false };
  const source = input.source?.trim();
  if (source) {
    if (source.length > 500) issues.push({ path: "source", message: "must be at most 500 characters" });
    else out.source = source.toLowerCase();
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
