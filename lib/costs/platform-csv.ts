import Papa from "papaparse";
import { parseAdSpendRows } from "@/lib/analytics/ad-spend";
import { round2 } from "@/lib/analytics/format";
import { badRequest } from "@/lib/errors";
import { currencyOfAmount, currencyOfMark } from "./currency-marks";
import { parseAmount, parseDay } from "./dates-amounts";
import { FOOTER_LINE, GENERIC_COLUMNS, TOTAL_LINE, headerKey, isGenericHeader, matchHeader, type ColumnMatch, type Lang, type PlatformId } from "./formats";
import { closestCell, nearMissMessage, nearMissOf } from "./near-miss";

export { parseAmount, parseDay } from "./dates-amounts";
export { decodeCostFile as decodeCsvBytes } from "./decode";

/**
 * Parsing a cost CSV (SPEC 14, 17.5), pure: finds the header row (title lines above it are
 * skipped), recognises the generic `date, utm_source, utm_campaign, amount` file or a platform's
 * daily campaign export, and turns each table row into (day, source, campaign, amount). Total and
 * footer lines are skipped without a word; other rows that cannot be costs are listed with the
 * reason. Rows of one day and campaign (several ad sets, several accounts) are summed.
 *
 * Currency: a platform export names its currency (a Currency column, the cost column's title,
 * marks beside the amounts) or is given one (`currency`); else it is refused. The generic file
 * is in APP_CURRENCY unless its amounts carry a mark or `currency` says otherwise. Amounts in
 * APP_CURRENCY, or converted with a given `rate`, are final here; others are converted by the
 * import with the day rates (conversion "day-rates", lib/costs/convert.ts).
 * Size: over 300 lines for one pure parser (header search, format recognition, per-row reasons,
 * summing); the platform formats themselves are data in lib/costs/formats.ts.
 */

export type CostFormat = "generic" | PlatformId;

/**
 * One row to store: `platform_campaign` (and its id) is set for platform exports; `currency` and
 * `amount_original` are set when the file is not in APP_CURRENCY (then `amount` is converted).
 */
export type CostRow = {
  date: string;
  utm_source: string;
  utm_campaign: string;
  platform_campaign: string | null;
  platform_campaign_id?: string | null;
  amount: number;
  currency?: string | null;
  amount_original?: number | null;
};
export type SkippedRow = { line: number; reason: string };

export type ParsedCosts = {
  format: CostFormat;
  language: Lang | null;
  source: string | null;
  /** The export's currency (named by the file or given); null for a generic file in APP_CURRENCY. */
  currency: string | null;
  /** The one rate applied (APP_CURRENCY per 1 unit of `currency`) when given; null otherwise. */
  rate: number | null;
  /** How amounts reach APP_CURRENCY: already are, the given rate, or the day rates (at import). */
  conversion: "none" | "rate" | "day-rates";
  rows: CostRow[];
  skipped: SkippedRow[];
};

export type ParseCostOptions = { appCurrency: string; source?: string; rate?: number; currency?: string };

const MAX_HEADER_SEARCH = 30;
const DELIMITERS = [",", ";", "\t"] as const;

/** Normalises a per-import source like a session's (trimmed, lower case). */
export function normaliseSource(s: string): string {
  return s.trim().toLowerCase();
}

/** Delimiters to try, the one most frequent in the file's head first (Google's "Excel CSV" is tab-separated). */
function delimiterOrder(text: string): string[] {
  const head = text.slice(0, 8192);
  const count = (d: string) => head.split(d).length - 1;
  return [...DELIMITERS].sort((a, b) => count(b) - count(a));
}

function tableOf(text: string, delimiter: string): string[][] {
  return Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false }).data;
}

export function parseCostCsv(input: string, opts: ParseCostOptions): ParsedCosts {
  const text = input.replace(/^\uFEFF/, "");
  const order = delimiterOrder(text);
  for (const delimiter of order) {
    const table = tableOf(text, delimiter);
    for (let i = 0; i < Math.min(table.length, MAX_HEADER_SEARCH); i++) {
      const cells = table[i];
      if (!Array.isArray(cells) || cells.length < 2) continue;
      if (isGenericHeader(cells)) return parseGeneric(table, i, opts);
      const m = matchHeader(cells);
      if (m) return parsePlatform(table, i, m, opts);
    }
  }
  const near = findNearMiss(text, order);
  if (near) throw badRequest(near, [{ path: "file", message: near }]);
  throw badRequest(
    "Unknown cost file: expected the columns date, utm_source, utm_campaign, amount, or a daily campaign export of Google Ads, Meta Ads Manager, TikTok Ads Manager or Microsoft Advertising",
    [{ path: "file", message: "no known header row" }],
  );
}

/** The near-miss message of the head's closest header row, if one comes close (near-miss.ts). */
function findNearMiss(text: string, order: string[]): string | null {
  for (const delimiter of order) {
    const table = tableOf(text.split(/\r?\n/).slice(0, MAX_HEADER_SEARCH).join("\n"), delimiter);
    for (const cells of table) {
      if (!Array.isArray(cells) || cells.length < 2) continue;
      const m = nearMissOf(cells);
      if (m) return nearMissMessage(m);
    }
  }
  return null;
}

function currencyOption(opts: ParseCostOptions): string | null {
  return opts.currency !== undefined && opts.currency.trim() !== "" ? opts.currency.trim().toUpperCase() : null;
}

function parseGeneric(table: string[][], headerAt: number, opts: ParseCostOptions): ParsedCosts {
  const cells = table[headerAt];
  const header = cells.map(headerKey);
  // A header that misspells utm_campaign would silently put every row under "(none)".
  if (!header.includes("utm_campaign")) {
    const unknown = cells.filter((_, j) => !(GENERIC_COLUMNS as readonly string[]).includes(header[j]));
    const near = closestCell(unknown, ["utm_campaign"]);
    if (near) {
      const msg = `column 'utm_campaign' not found; did you mean '${near}'?`;
      throw badRequest(`This looks like a cost CSV (date, utm_source, utm_campaign, amount), but ${msg}`, [{ path: "file", message: msg }]);
    }
  }
  const records: Record<string, string>[] = [];
  const marks = new Set<string>();
  for (const row of table.slice(headerAt + 1)) {
    if (row.every((c) => c.trim() === "")) continue;
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      if ((GENERIC_COLUMNS as readonly string[]).includes(h)) rec[h] = row[j] ?? "";
    });
    // "1 234,56" or "₴1 234,56" read like a platform's amounts; a bare number is left to the schema.
    const raw = (rec.amount ?? "").trim();
    if (raw !== "" && !/^-?\d+(\.\d+)?$/.test(raw)) {
      const n = parseAmount(raw);
      const cur = currencyOfAmount(raw);
      if (cur) marks.add(cur);
      if (n !== null) rec.amount = String(n);
    }
    records.push(rec);
  }
  const app = opts.appCurrency.toUpperCase();
  const given = currencyOption(opts);
  if (marks.size > 1) throw mixed([...marks]);
  const named = [...marks][0] ?? null;
  if (named && given && named !== given) throw conflict(named, given);
  const currency = named ?? given;
  const rows = parseAdSpendRows(records);
  // A later row of the same key replaces an earlier one (SPEC 4), as in one upload of JSON rows.
  const byKey = new Map<string, CostRow>();
  for (const r of rows) byKey.set(JSON.stringify([r.date, r.utm_source, r.utm_campaign]), { ...r, platform_campaign: null });
  return finish({ format: "generic", language: null, source: null }, [...byKey.values()], [], currency === app ? null : currency, app, opts);
}

function mixed(list: string[]) {
  const sorted = [...new Set(list)].sort();
  return badRequest(`This export mixes the currencies ${sorted.join(", ")}: import one currency per file`, [
    { path: "currency", message: `one file cannot hold ${sorted.join(" and ")}` },
  ]);
}

function conflict(named: string, given: string) {
  return badRequest(`The file is in ${named}, but currency ${given} was given: leave currency empty or give ${named}`, [
    { path: "currency", message: `the file names ${named}` },
  ]);
}

/**
 * Amounts to APP_CURRENCY where that needs no rate table: unchanged in APP_CURRENCY, × the given
 * rate; else left for the day rates (`amount_original` keeps the amount as exported).
 */
function finish(
  head: Pick<ParsedCosts, "format" | "language" | "source">,
  rows: CostRow[],
  skipped: SkippedRow[],
  currency: string | null,
  app: string,
  opts: ParseCostOptions,
): ParsedCosts {
  if (currency === null || currency === app) {
    return { ...head, currency: currency ?? (head.format === "generic" ? null : app), rate: null, conversion: "none", rows, skipped };
  }
  const withOriginal = rows.map((r) => ({ ...r, currency, amount_original: round2(r.amount) }));
  if (opts.rate !== undefined) {
    const rate = opts.rate;
    return { ...head, currency, rate, conversion: "rate", rows: withOriginal.map((r) => ({ ...r, amount: round2(r.amount * rate) })), skipped };
  }
  return { ...head, currency, rate: null, conversion: "day-rates", rows: withOriginal, skipped };
}

function parsePlatform(table: string[][], headerAt: number, m: ColumnMatch, opts: ParseCostOptions): ParsedCosts {
  const f = m.format;
  const hasWindow = m.start >= 0 && m.end >= 0;
  if (m.day < 0 && !hasWindow) {
    const near = closestCell(table[headerAt], f.day[m.lang]);
    const detail = near ? `column '${f.day[m.lang][0].replace(/^./, (c) => c.toUpperCase())}' not found; did you mean '${near}'?` : f.noDay;
    throw badRequest(near ? `${f.noDay} (${detail})` : f.noDay, [{ path: "file", message: detail }]);
  }
  const source = opts.source !== undefined && opts.source.trim() !== "" ? normaliseSource(opts.source) : f.source;
  const app = opts.appCurrency.toUpperCase();

  type Raw = { line: number; date: string; campaign: string; campaignId: string | null; amount: number; currency: string | null };
  const raw: Raw[] = [];
  const skipped: SkippedRow[] = [];
  for (let i = headerAt + 1; i < table.length; i++) {
    const cells = table[i];
    const line = i + 1;
    const cell = (j: number) => (j >= 0 ? (cells[j] ?? "").trim() : "");
    if (cells.every((c) => c.trim() === "")) continue;
    if ([cell(0), cell(m.day), cell(m.campaign)].some((c) => TOTAL_LINE.test(c)) || FOOTER_LINE.test(cell(0))) continue;
    const campaign = cell(m.campaign);
    if (campaign === "") {
      skipped.push({ line, reason: "no campaign name (a summary line)" });
      continue;
    }
    let date: string | null;
    let dayText: string;
    if (m.day >= 0) {
      dayText = cell(m.day);
      date = parseDay(dayText, m.lang);
    } else {
      dayText = cell(m.start);
      date = parseDay(dayText, m.lang);
      const end = parseDay(cell(m.end), m.lang);
      if (date !== null && end !== null && end !== date) throw badRequest(f.noDay, [{ path: "file", message: `line ${line} covers ${date} to ${end}, not one day` }]);
    }
    if (date === null) {
      skipped.push({ line, reason: dayText === "" ? "no date" : `not a date: "${dayText}"` });
      continue;
    }
    const costText = cell(m.cost);
    const amount = parseAmount(costText);
    if (amount === null) {
      skipped.push({ line, reason: `not an amount: "${costText}"` });
      continue;
    }
    if (amount < 0) {
      skipped.push({ line, reason: "negative cost" });
      continue;
    }
    if (amount === 0) {
      skipped.push({ line, reason: "zero cost" });
      continue;
    }
    const column = cell(m.currency);
    const fromColumn = column === "" ? null : currencyOfMark(column);
    if (column !== "" && fromColumn === null) {
      skipped.push({ line, reason: `not a currency: "${column.slice(0, 40)}"` });
      continue;
    }
    const id = cell(m.campaignId);
    raw.push({
      line,
      date,
      campaign: campaign.slice(0, 500),
      campaignId: id === "" || id === "--" ? null : id.slice(0, 500),
      amount,
      currency: fromColumn ?? m.headerCurrency ?? currencyOfAmount(costText),
    });
  }

  const named = [...new Set(raw.map((r) => r.currency).filter((c): c is string => c !== null))];
  if (named.length > 1) throw mixed(named);
  const given = currencyOption(opts);
  if (named.length === 1 && given && named[0] !== given) throw conflict(named[0], given);
  const currency = named[0] ?? given;
  if (currency === null && raw.length > 0) {
    const msg = `This ${f.label} export names no currency (no Currency column, none in the cost column's title or beside the amounts): say which it is in — the currency field of the upload (currency=USD), or --currency USD on the command line`;
    throw badRequest(msg, [{ path: "currency", message: "is required: the export names no currency" }]);
  }

  const byKey = new Map<string, CostRow>();
  for (const r of raw) {
    const key = JSON.stringify([r.date, r.campaign]);
    const got = byKey.get(key);
    if (got) {
      got.amount += r.amount;
      got.platform_campaign_id ??= r.campaignId;
    } else {
      byKey.set(key, { date: r.date, utm_source: source, utm_campaign: r.campaign, platform_campaign: r.campaign, platform_campaign_id: r.campaignId, amount: r.amount });
    }
  }
  const rows = [...byKey.values()].map((r) => ({ ...r, amount: round2(r.amount) }));
  return finish({ format: f.id, language: m.lang, source }, rows, skipped, currency ?? app, app, opts);
}

/** True when the head of a file (its first lines) has a cost header: generic, a platform's, or a near miss of one. */
export function looksLikeCostCsv(head: string): boolean {
  const text = head.replace(/^\uFEFF/, "").split(/\r?\n/).slice(0, MAX_HEADER_SEARCH).join("\n");
  for (const delimiter of delimiterOrder(text)) {
    const table = tableOf(text, delimiter);
    if (table.some((cells) => Array.isArray(cells) && cells.length >= 2 && (isGenericHeader(cells) || matchHeader(cells) !== null))) return true;
  }
  return false;
}

/** True when the head has no cost header but one comes close (the CLI then reports the near miss). */
export function nearlyCostCsv(head: string): boolean {
  const text = head.replace(/^\uFEFF/, "");
  return findNearMiss(text, delimiterOrder(text)) !== null;
}
