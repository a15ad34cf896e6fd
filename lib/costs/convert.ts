import { sql } from "drizzle-orm";
import { round2 } from "@/lib/analytics/format";
import { rows as queryRows, type Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { RATE_FALLBACK_DAYS, rateOnDay } from "@/lib/ingest/rates";
import type { ParsedCosts } from "./platform-csv";

/**
 * Cost rows in another currency to APP_CURRENCY with the day rates (SPEC 17.5), as orders are:
 * the rate dated that day, else the latest one at most RATE_FALLBACK_DAYS before (rateOnDay).
 *
 * Unlike an order, a cost file with a day that has no rate is refused whole, naming the days:
 * spend is entered by hand from a file the admin still holds, so importing it again once the
 * rates are in is one step, and a partly stored file would make ROI silently low (docs/costs.md).
 */

export type DayRates = Record<string, number>;

const MAX_DAYS_NAMED = 10;

/** The rows converted, and the rate used per day; parsed files needing no day rates pass through. */
export async function convertWithDayRates(db: Db, parsed: ParsedCosts): Promise<{ parsed: ParsedCosts; dayRates: DayRates | null }> {
  if (parsed.conversion !== "day-rates" || parsed.rows.length === 0 || parsed.currency === null) return { parsed, dayRates: null };
  const currency = parsed.currency;
  const days = [...new Set(parsed.rows.map((r) => r.date))].sort();
  const got = await queryRows<{ day: string; rate: string | null }>(
    db,
    sql`select to_char(d.day, 'YYYY-MM-DD') as day, ${rateOnDay(sql`${currency}::text`, sql`d.day`)}::text as rate
        from (select x::date as day from json_array_elements_text(${JSON.stringify(days)}::json) as x) d
        order by d.day`,
  );
  const dayRates: DayRates = {};
  const missing: string[] = [];
  for (const r of got) {
    if (r.rate === null) missing.push(r.day);
    else dayRates[r.day] = Number(r.rate);
  }
  if (missing.length) {
    const named = missing.slice(0, MAX_DAYS_NAMED).join(", ") + (missing.length > MAX_DAYS_NAMED ? ` and ${missing.length - MAX_DAYS_NAMED} more` : "");
    throw badRequest(
      `This export is in ${currency}; costs are counted in the app's currency, and no ${currency} rate is stored for ${named} (nor in the ${RATE_FALLBACK_DAYS} days before): ` +
        `import the rates first (npm run utm -- rates import <file>, or POST /api/utm/rates), or give one rate for the whole file`,
      [
        { path: "rate", message: `no ${currency} rate for ${named}` },
        ...missing.slice(0, MAX_DAYS_NAMED).map((d) => ({ path: `rates.${d}`, message: `no ${currency} rate on or up to ${RATE_FALLBACK_DAYS} days before ${d}` })),
      ],
    );
  }
  // The rate to the cent, as orders are converted (convertedAmount: round(amount × rate, 2)).
  const rows = parsed.rows.map((r) => ({ ...r, amount: round2((r.amount_original ?? r.amount) * dayRates[r.date]) }));
  return { parsed: { ...parsed, rows }, dayRates };
}
