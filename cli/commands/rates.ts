import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import { decodeCsvBytes } from "@/lib/costs/platform-csv";
import type { Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { fetchAndStoreRates } from "@/lib/ingest/rate-sources";
import { parseRateRows, storeRates, type StoreRatesResult } from "@/lib/ingest/rates";
import { parseJsonText } from "@/lib/http/body";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

/** Rate files are small: one row per day and currency. */
const MAX_RATES_FILE_BYTES = 10 * 1024 * 1024;

/**
 * The rows of a rates file: JSON as POST /api/utm/rates takes it, or a CSV with the header
 * `date,currency,rate` (papaparse; a decimal comma "41,5" reads 41.5). Bad rows: one error naming
 * each (`[3].rate` = the fourth data row).
 */
export function readRatesText(text: string, kind: "csv" | "json"): unknown {
  if (kind === "json") return parseJsonText(text);
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim().toLowerCase() });
  const fields = parsed.meta.fields ?? [];
  const missing = ["date", "currency", "rate"].filter((f) => !fields.includes(f));
  if (missing.length) throw badRequest(`A rates CSV needs the columns date, currency, rate (missing: ${missing.join(", ")})`);
  return parsed.data.map((r) => {
    const raw = (r.rate ?? "").trim().replace(/\s/g, "");
    const n = /^\d+(?:[.,]\d+)?$/.test(raw) ? Number(raw.replace(",", ".")) : raw;
    return { date: (r.date ?? "").trim(), currency: r.currency ?? "", rate: n };
  });
}

export async function runRatesImport(db: Db, file: string, out: Out = stdout): Promise<StoreRatesResult> {
  const bytes = await readFile(file);
  if (bytes.byteLength > MAX_RATES_FILE_BYTES) throw badRequest(`${file} is larger than ${MAX_RATES_FILE_BYTES / 1024 / 1024} MB`);
  const kind = file.toLowerCase().endsWith(".csv") ? "csv" : file.toLowerCase().endsWith(".json") ? "json" : undefined;
  if (!kind) throw badRequest("A rates file is .csv (date,currency,rate) or .json ([{date, currency, rate}] or {rows})");
  const rows = parseRateRows(readRatesText(decodeCsvBytes(bytes), kind));
  const r = await storeRates(db, rows, "file");
  out(`Imported ${file}: ${r.rates} rates (${r.added} added, ${r.updated} updated); ${r.orders_converted} orders converted, ${r.orders_awaiting} still awaiting a rate.`);
  return r;
}

export const ratesCommand: CliCommand = (program) => {
  const rates = program.command("rates").description("day rates of other currencies in APP_CURRENCY (orders in any currency)");
  rates
    .command("import")
    .argument("<file>", ".csv with date,currency,rate or .json [{date, currency, rate}]: units of APP_CURRENCY per 1 unit of currency")
    .description("store day rates from a file and convert the orders waiting for them")
    .action(action(async (file: string) => withDb((db) => runRatesImport(db, file).then(() => undefined))));
  rates
    .command("fetch")
    .option("--date <date>", "YYYY-MM-DD (default: today in APP_TIMEZONE)")
    .description("fetch the day's rates from RATES_URL (NBU JSON or ECB XML), store them and convert waiting orders")
    .action(
      action(async (opts: { date?: string }) =>
        withDb(async (db) => {
          const r = await fetchAndStoreRates(db, opts.date);
          stdout(
            `Fetched ${r.source.toUpperCase()} rates for ${r.dates.join(", ")}: ${r.rates} rates (${r.added} added, ${r.updated} updated); ` +
              `${r.orders_converted} orders converted, ${r.orders_awaiting} still awaiting a rate.`,
          );
        }),
      ),
    );
};
