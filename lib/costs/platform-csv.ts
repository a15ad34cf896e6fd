import Papa from "papaparse";
import { parseAdSpendRows, type AdSpendRow } from "@/lib/analytics/ad-spend";
import { round2 } from "@/lib/analytics/format";
import { badRequest } from "@/lib/errors";
import { GENERIC_COLUMNS, TOTAL_LINE, headerKey, isGenericHeader, matchHeader, type Lang, type PlatformId } from "./formats";

/**
 * Parsing a cost CSV (SPEC 14), pure: finds the header row (title lines above it are skipped),
 * recognises the generic `date, utm_source, utm_campaign, amount` file or a platform's daily
 * campaign export, and turns each table row into (day, source, campaign, amount in APP_CURRENCY).
 * Total lines are skipped without a word; other rows that cannot be costs are listed with the
 * reason. Rows of one day and campaign (several ad sets, several accounts) are summed.
 */

export type CostFormat = "generic" | PlatformId;

/** One stored row: `platform_campaign` is set for platform exports (the name as exported). */
export type CostRow = { date: string; utm_source: string; utm_campaign: string; platform_campaign: string | null; amount: number };
export type SkippedRow = { line: number; reason: string };

export type ParsedCosts = {
  format: CostFormat;
  language: Lang | null;
  source: string | null;
  /** The export's currency when it names one. */
  currency: string | null;
  /** The rate applied (APP_CURRENCY per 1 unit of `currency`), null when none was needed. */
  rate: number | null;
  rows: CostRow[];
  skipped: SkippedRow[];
};

export type ParseCostOptions = { appCurrency: string; source?: string; rate?: number };

const MAX_HEADER_SEARCH = 30;
const DELIMITERS = [",", ";", "\t"] as const;

/** Normalises a per-import source like a session's (trimmed, lower case). */
export function normaliseSource(s: string): string {
  return s.trim().toLowerCase();
}

export function parseCostCsv(input: string, opts: ParseCostOptions): ParsedCosts {
  const text = input.replace(/^\uFEFF/, "");
  for (const delimiter of DELIMITERS) {
    const table = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false }).data;
    for (let i = 0; i < Math.min(table.length, MAX_HEADER_SEARCH); i++) {
      const cells = table[i];
      if (!Array.isArray(cells) || cells.length < 2) continue;
      if (isGenericHeader(cells)) return parseGeneric(table, i);
      const m = matchHeader(cells);
      if (m) return parsePlatform(table, i, m, opts);
    }
  }
  throw badRequest(
    "Unknown cost file: expected the columns date, utm_source, utm_campaign, amount, or a daily campaign export of Google Ads, Meta Ads Manager or TikTok Ads Manager",
    [{ path: "file", message: "no known header row" }],
  );
}

function parseGeneric(table: string[][], headerAt: number): ParsedCosts {
  const header = table[headerAt].map(headerKey);
  const records: Record<string, string>[] = [];
  for (const cells of table.slice(headerAt + 1)) {
    if (cells.every((c) => c.trim() === "")) continue;
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      if ((GENERIC_COLUMNS as readonly string[]).includes(h)) rec[h] = cells[j] ?? "";
    });
    records.push(rec);
  }
  const rows: AdSpendRow[] = parseAdSpendRows(records);
  // A later row of the same key replaces an earlier one (SPEC 4), as in one upload of JSON rows.
  const byKey = new Map<string, CostRow>();
  for (const r of rows) byKey.set(JSON.stringify([r.date, r.utm_source, r.utm_campaign]), { ...r, platform_campaign: null });
  return { format: "generic", language: null, source: null, currency: null, rate: null, rows: [...byKey.values()], skipped: [] };
}

function parsePlatform(table: string[][], headerAt: number, m: NonNullable<ReturnType<typeof matchHeader>>, opts: ParseCostOptions): ParsedCosts {
  const f = m.format;
  const hasWindow = m.start >= 0 && m.end >= 0;
  if (m.day < 0 && !hasWindow) throw badRequest(f.noDay, [{ path: "file", message: f.noDay }]);
  const source = opts.source !== undefined && opts.source.trim() !== "" ? normaliseSource(opts.source) : f.source;
  const app = opts.appCurrency.toUpperCase();

  type Raw = { line: number; date: string; campaign: string; amount: number; currency: string | null };
  const raw: Raw[] = [];
  const skipped: SkippedRow[] = [];
  for (let i = headerAt + 1; i < table.length; i++) {
    const cells = table[i];
    const line = i + 1;
    const cell = (j: number) => (j >= 0 ? (cells[j] ?? "").trim() : "");
    if (cells.every((c) => c.trim() === "")) continue;
    if ([cell(0), cell(m.day), cell(m.campaign)].some((c) => TOTAL_LINE.test(c))) continue;
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
    const cur = (m.currency >= 0 ? cell(m.currency).toUpperCase() : "") || m.headerCurrency;
    raw.push({ line, date, campaign: campaign.slice(0, 500), amount, currency: cur });
  }

  const foreign = [...new Set(raw.map((r) => r.currency).filter((c): c is string => c !== null && c !== app))].sort();
  if (foreign.length > 1) {
    throw badRequest(`This export mixes the currencies ${foreign.join(", ")}: import one currency per file`, [
      { path: "rate", message: `one rate cannot convert ${foreign.join(" and ")}` },
    ]);
  }
  const currency = foreign[0] ?? (raw.find((r) => r.currency !== null)?.currency ?? m.headerCurrency);
  let rate: number | null = null;
  if (foreign.length === 1) {
    if (opts.rate === undefined) {
      throw badRequest(`This export is in ${foreign[0]}; costs are kept in ${app}: give a rate (${app} per 1 ${foreign[0]})`, [
        { path: "rate", message: `is required for ${foreign[0]}: ${app} per 1 ${foreign[0]}` },
      ]);
    }
    rate = opts.rate;
  }

  const byKey = new Map<string, CostRow>();
  for (const r of raw) {
    const amount = r.currency !== null && r.currency !== app ? r.amount * (rate as number) : r.amount;
    const key = JSON.stringify([r.date, r.campaign]);
    const got = byKey.get(key);
    if (got) got.amount += amount;
    else byKey.set(key, { date: r.date, utm_source: source, utm_campaign: r.campaign, platform_campaign: r.campaign, amount });
  }
  const rows = [...byKey.values()].map((r) => ({ ...r, amount: round2(r.amount) }));
  return { format: f.id, language: m.lang, source, currency, rate, rows, skipped };
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function ymd(y: number, mo: number, d: number): string | null {
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A day as the platforms write it: 2026-03-05 (optionally with a time), 2026/03/05, 05.03.2026,
 * 3/5/2026 (month first in English exports, day first in Ukrainian and Russian ones),
 * "Mar 5, 2026", "Thu, Mar 5, 2026", "5 Mar 2026". Anything else is not a date.
 */
export function parseDay(input: string, lang: Lang = "en"): string | null {
  const v = input.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$/.exec(v);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(р\.|г\.))?$/.exec(v);
  if (m) return ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (m) return lang === "en" ? ymd(Number(m[3]), Number(m[1]), Number(m[2])) : ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(v);
  if (m && MONTHS[m[1].slice(0, 3).toLowerCase()]) return ymd(Number(m[3]), MONTHS[m[1].slice(0, 3).toLowerCase()], Number(m[2]));
  m = /^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})$/i.exec(v);
  if (m && MONTHS[m[2].slice(0, 3).toLowerCase()]) return ymd(Number(m[3]), MONTHS[m[2].slice(0, 3).toLowerCase()], Number(m[1]));
  return null;
}

/**
 * An amount as exported: "1,234.56", "1 234,56", "1.234,56", "1234,56", "$412.30", "₴1 234,56",
 * "UAH 10", "(5.00)" (negative). "--" and "—" (no cost) read 0. The last of "," and "." is the
 * decimal separator when both occur; a lone "," is decimal unless exactly three digits follow it
 * (then it groups thousands, "1,234"). Not a number → null.
 */
export function parseAmount(input: string): number | null {
  let v = input.trim();
  if (v === "--" || v === "—" || v === "-" || v === "–") return 0;
  let negative = false;
  if (/^\(.*\)$/.test(v)) {
    negative = true;
    v = v.slice(1, -1);
  }
  v = v.replace(/[\s\u00a0\u202f'’]/g, "");
  if (v.startsWith("-") || v.startsWith("−")) {
    negative = !negative;
    v = v.slice(1);
  }
  // Currency symbols or codes around the number.
  v = v.replace(/^[^\d.,]+/, "").replace(/[^\d.,]+$/, "");
  if (v.startsWith("-")) return null;
  if (!/^[\d.,]+$/.test(v) || !/\d/.test(v)) return null;
  const lastComma = v.lastIndexOf(",");
  const lastDot = v.lastIndexOf(".");
  let normal: string;
  if (lastComma >= 0 && lastDot >= 0) {
    normal = lastComma > lastDot ? v.replace(/\./g, "").replace(",", ".") : v.replace(/,/g, "");
  } else if (lastComma >= 0) {
    const commas = v.split(",").length - 1;
    normal = commas > 1 || /^\d{1,3},\d{3}$/.test(v) ? v.replace(/,/g, "") : v.replace(",", ".");
  } else {
    const dots = v.split(".").length - 1;
    normal = dots > 1 ? v.replace(/\./g, "") : v;
  }
  if (!/^\d+(\.\d+)?$/.test(normal)) return null;
  const n = Number(normal);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}

/** True when the head of a file (its first lines) has a cost header: generic or a platform's. */
export function looksLikeCostCsv(head: string): boolean {
  const lines = head.replace(/^\uFEFF/, "").split(/\r?\n/).slice(0, MAX_HEADER_SEARCH).join("\n");
  for (const delimiter of DELIMITERS) {
    const table = Papa.parse<string[]>(lines, { delimiter, skipEmptyLines: false }).data;
    if (table.some((cells) => Array.isArray(cells) && cells.length >= 2 && (isGenericHeader(cells) || matchHeader(cells) !== null))) return true;
  }
  return false;
}

/** Bytes of a CSV file as text: UTF-8, or UTF-16 (LE/BE, with BOM) as Google Ads' "Excel CSV" writes. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}
