import { XMLParser } from "fast-xml-parser";
import { dateInZone } from "@/lib/analytics/params";
import { currentTime } from "@/lib/clock";
import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { isCurrencyCode } from "@/lib/currency";
import { badRequest } from "@/lib/errors";
import { MAX_RATE, storeRates, type RateRow, type RateSource, type StoreRatesResult } from "./rates";

/**
 * The published day rates RATES_URL may point at (SPEC 17.5), read into rows of APP_CURRENCY per
 * 1 unit of each currency:
 *
 * - National Bank of Ukraine, JSON API
 *   (`https://bank.gov.ua/NBUStatService/v1/statdirectory/exchange?json&date=YYYYMMDD`):
 *   an array of `{r030, txt, rate, cc, exchangedate}`, `rate` = UAH per 1 unit of `cc`,
 *   `exchangedate` = DD.MM.YYYY.
 * - European Central Bank, eurofxref XML (`eurofxref-daily.xml`, also `-hist-90d.xml` and
 *   `-hist.xml`): `<gesmes:Envelope><Cube><Cube time="YYYY-MM-DD"><Cube currency="USD"
 *   rate="1.0812"/>…`, `rate` = units of the currency per 1 EUR.
 *
 * Each source quotes against its own currency (UAH, EUR); a rate in APP_CURRENCY is the cross
 * rate quote(C) / quote(APP_CURRENCY), so any APP_CURRENCY the source lists works (USD on the
 * NBU: UAH-per-EUR / UAH-per-USD). A day whose source does not list APP_CURRENCY gives no rows.
 */

export class RatesSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RatesSourceError";
  }
}

/** Per date: units of the source's own currency (`pivot`) per 1 unit of each currency. */
type Quotes = { pivot: string; days: Map<string, Map<string, number>> };

/** Rates with at most 10 decimals (the column's scale). */
const round10 = (x: number) => Math.round(x * 1e10) / 1e10;

/** The quotes of each day as rows in `appCurrency` (see above); APP_CURRENCY itself is left out. */
export function crossRates(q: Quotes, appCurrency: string): RateRow[] {
  const out: RateRow[] = [];
  for (const [date, quotes] of [...q.days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    quotes.set(q.pivot, 1);
    const app = quotes.get(appCurrency);
    if (!app) continue;
    for (const [currency, quote] of [...quotes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (currency === appCurrency) continue;
      const rate = round10(quote / app);
      if (rate > 0 && rate <= MAX_RATE) out.push({ date, currency, rate });
    }
  }
  return out;
}

const NBU_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;

/** NBU JSON → quotes in UAH. Entries with no valid code or a rate ≤ 0 are skipped. */
export function parseNbu(body: unknown): Quotes {
  if (!Array.isArray(body)) throw new RatesSourceError("The NBU answer is not a JSON array of rates");
  const days = new Map<string, Map<string, number>>();
  for (const e of body as unknown[]) {
    if (!e || typeof e !== "object") continue;
    const { cc, rate, exchangedate } = e as { cc?: unknown; rate?: unknown; exchangedate?: unknown };
    if (typeof cc !== "string" || typeof rate !== "number" || typeof exchangedate !== "string") continue;
    const code = cc.trim().toUpperCase();
    const m = NBU_DATE.exec(exchangedate.trim());
    if (!m || !isCurrencyCode(code) || !Number.isFinite(rate) || rate <= 0) continue;
    const date = `${m[3]}-${m[2]}-${m[1]}`;
    if (!days.has(date)) days.set(date, new Map());
    days.get(date)!.set(code, rate);
  }
  if (days.size === 0) throw new RatesSourceError("The NBU answer holds no rates");
  return { pivot: "UAH", days };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

type EcbCube = { time?: string; currency?: string; rate?: string; Cube?: EcbCube | EcbCube[] };

/** ECB eurofxref XML → quotes in EUR (EUR per 1 unit = 1 / the published rate). */
export function parseEcb(xml: string): Quotes {
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", removeNSPrefix: true, parseAttributeValue: false, processEntities: false }).parse(xml, true);
  } catch (err) {
    throw new RatesSourceError(`The ECB answer is not XML (${(err as Error).message.split("\n")[0]})`);
  }
  const envelope = doc.Envelope as { Cube?: EcbCube } | undefined;
  if (!envelope || typeof envelope !== "object") throw new RatesSourceError("The ECB answer has no gesmes:Envelope");
  const days = new Map<string, Map<string, number>>();
  for (const outer of asList(envelope.Cube)) {
    for (const day of asList(outer?.Cube)) {
      if (!day?.time || !ISO_DATE.test(day.time)) continue;
      const quotes = days.get(day.time) ?? new Map<string, number>();
      for (const c of asList(day.Cube)) {
        const code = (c?.currency ?? "").trim().toUpperCase();
        const perEur = Number(c?.rate);
        if (!isCurrencyCode(code) || !Number.isFinite(perEur) || perEur <= 0) continue;
        quotes.set(code, 1 / perEur);
      }
      if (quotes.size) days.set(day.time, quotes);
    }
  }
  if (days.size === 0) throw new RatesSourceError("The ECB answer holds no rates");
  return { pivot: "EUR", days };
}

/** The body of a rates answer as rows in `appCurrency`, by its documented shape (JSON: NBU, XML: ECB). */
export function parseRatesDocument(text: string, appCurrency: string): { source: RateSource; rows: RateRow[] } {
  const t = text.replace(/^\uFEFF/, "").trimStart();
  if (t.startsWith("[") || t.startsWith("{")) {
    let body: unknown;
    try {
      body = JSON.parse(t);
    } catch {
      throw new RatesSourceError("The rates answer is not valid JSON");
    }
    return { source: "nbu", rows: crossRates(parseNbu(body), appCurrency) };
  }
  if (t.startsWith("<")) return { source: "ecb", rows: crossRates(parseEcb(t), appCurrency) };
  throw new RatesSourceError("The rates answer is neither the NBU's JSON nor the ECB's XML");
}

/**
 * The URL to fetch for `date` (YYYY-MM-DD): `{date}` in RATES_URL becomes YYYYMMDD; else a `date`
 * query parameter (the NBU's) is set to it; else the URL is fetched as it is (the ECB's daily
 * file always holds the latest business day).
 */
export function ratesUrlFor(base: string, date: string): string {
  const compact = date.replaceAll("-", "");
  if (base.includes("{date}")) return base.replaceAll("{date}", compact);
  const url = new URL(base);
  if (url.searchParams.has("date")) {
    url.searchParams.set("date", compact);
    // The NBU documents `?json&date=…`: keep a bare `json` flag bare.
    return url.toString().replace(/([?&])json=(&|$)/, "$1json$2");
  }
  return base;
}

/** Largest answer read (the ECB's full history is a few MB). */
export const MAX_RATES_BYTES = 16 * 1024 * 1024;

/** Fetches and parses the day's rates; RatesSourceError for anything the source gets wrong. */
export async function fetchRates(base: string, date: string, appCurrency: string, timeoutMs = 15_000): Promise<{ url: string; source: RateSource; rows: RateRow[] }> {
  const url = ratesUrlFor(base, date);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json, application/xml, text/xml" }, signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (err) {
    throw new RatesSourceError(`Cannot reach the rates source (${(err as Error).name === "TimeoutError" ? "timed out" : (err as Error).message})`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RatesSourceError(`The rates source answered ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_RATES_BYTES) {
    await res.body?.cancel();
    throw new RatesSourceError(`The rates answer is larger than ${MAX_RATES_BYTES} bytes`);
  }
  const text = await res.text();
  if (text.length > MAX_RATES_BYTES) throw new RatesSourceError(`The rates answer is larger than ${MAX_RATES_BYTES} bytes`);
  return { url, ...parseRatesDocument(text, appCurrency) };
}

/** What was fetched and stored (never the URL: a source's URL may carry a key). */
export type FetchRatesResult = StoreRatesResult & { date: string; source: RateSource; dates: string[] };

/**
 * `npm run utm -- rates fetch` and GET /api/cron/rates: fetches RATES_URL for `date` (default:
 * today in APP_TIMEZONE) and stores every rate the answer holds (an ECB history file: all its
 * days), re-converting the orders they apply to. 400 when RATES_URL is not set.
 */
export async function fetchAndStoreRates(db: Db, date?: string): Promise<FetchRatesResult> {
  const c = config();
  if (!c.ratesUrl) throw badRequest("RATES_URL is not set: name the NBU's or the ECB's rates URL (README, Configuration)");
  const day = date ?? dateInZone(currentTime(), c.timezone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw badRequest("Invalid date", [{ path: "date", message: "must be a YYYY-MM-DD date" }]);
  const got = await fetchRates(c.ratesUrl, day, c.currency);
  if (got.rows.length === 0) throw new RatesSourceError(`The rates answer lists no rate of ${c.currency}, the reporting currency`);
  const stored = await storeRates(db, got.rows, got.source);
  return { date: day, source: got.source, dates: [...new Set(got.rows.map((r) => r.date))].sort(), ...stored };
}
