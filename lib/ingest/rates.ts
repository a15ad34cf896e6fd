import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { awaitingRateOrder } from "@/lib/db/counted-orders";
import { currencyCodeSchema } from "@/lib/currency";
import { badRequest, zodIssues } from "@/lib/errors";
import { sanitizeJson } from "./clean";
import { lockSessions, refreshCustomers, refreshSessionOrderFacts } from "./facts";
import { inTransaction, uniq } from "./sql-util";

/**
 * Day rates and the conversion of orders to APP_CURRENCY (SPEC 17.5).
 *
 * A rate is units of APP_CURRENCY per 1 unit of a currency on a date (fx_rates). An order's day
 * is the local date of its placed_at in APP_TIMEZONE, like every report's day. The rate a day
 * uses: the one dated that day, else the latest earlier one at most RATE_FALLBACK_DAYS before
 * (the NBU and the ECB publish on business days only: a weekend or a holiday takes the last
 * business day's rate), else none: the order waits ("awaiting a rate", total NULL) and counts
 * nowhere until a rate arrives (lib/db/counted-orders.ts).
 *
 * Orders follow the table: storing rates re-converts every order of those currencies whose day
 * could use one of them (waiting ones, and converted ones whose rate changes: a corrected rate,
 * or the day's own rate replacing a fallback), and refreshes the affected session and customer
 * facts in the same transaction; the orders' and sessions' change-mark triggers make the day
 * cells recompute.
 */

export const RATE_FALLBACK_DAYS = 7;
export const MAX_RATE_ROWS = 10_000;
/** Largest rate accepted: far above any real one (IRR, VND per unit of a strong currency). */
export const MAX_RATE = 1_000_000_000;

export type RateSource = "api" | "file" | "nbu" | "ecb";
export type RateRow = { date: string; currency: string; rate: number };

/** The local day of an order (APP_TIMEZONE) as SQL over its placed_at. */
function orderDay(placedAt: SQL): SQL {
  return sql`((${placedAt}) AT TIME ZONE ${config().timezone})::date`;
}

/**
 * The rate an order of `currency` placed at `placedAt` converts with, as a SQL expression:
 * 1 for APP_CURRENCY, the day's rate (or the fallback above), NULL when there is none.
 */
export function rateOfDay(currency: SQL, placedAt: SQL): SQL {
  return rateOnDay(currency, orderDay(placedAt));
}

/** The same rate for a local day given as a SQL date (cost rows are dated by day, SPEC 17.5). */
export function rateOnDay(currency: SQL, day: SQL): SQL {
  return sql`(CASE WHEN (${currency}) = ${config().currency} THEN 1::numeric ELSE (
    SELECT r.rate FROM fx_rates r
    WHERE r.currency = (${currency}) AND r.date <= ${day} AND r.date >= ${day} - ${RATE_FALLBACK_DAYS}::int
    ORDER BY r.date DESC LIMIT 1) END)`;
}

/** An amount in APP_CURRENCY: amount × rate to the cent; NULL while the rate is NULL. */
export function convertedAmount(amount: SQL, rate: SQL): SQL {
  return sql`round((${amount})::numeric * (${rate}), 2)`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && Number(m[1]) >= 1970;
}

function rateRowSchema(appCurrency: string) {
  return z.object(
    {
      date: z
        .string({ error: "must be a YYYY-MM-DD date string" })
        .max(10, "must be a YYYY-MM-DD date")
        .refine(isCalendarDate, "must be a YYYY-MM-DD date (1970 or later)"),
      currency: currencyCodeSchema.refine((c) => c !== appCurrency, `is APP_CURRENCY (${appCurrency}), whose rate is always 1`),
      rate: z
        .number({ error: "must be a number" })
        .finite("must be a finite number")
        .gt(0, "must be greater than 0")
        .max(MAX_RATE, `must be at most ${MAX_RATE}`),
    },
    { error: "must be an object with date, currency and rate" },
  );
}

/** `[{date, currency, rate}]` or `{rows: [...]}` → validated rows; 400 naming each bad field. */
export function parseRateRows(body: unknown, appCurrency = config().currency): RateRow[] {
  const clean = sanitizeJson(body);
  const isList = Array.isArray(clean);
  const list = isList ? clean : clean && typeof clean === "object" && Array.isArray((clean as { rows?: unknown }).rows) ? (clean as { rows: unknown[] }).rows : undefined;
  if (!list) throw badRequest("Send an array of {date, currency, rate} or {rows: [...]}", [{ path: "(root)", message: "must be an array or {rows}" }]);
  if (list.length === 0) throw badRequest("No rates", [{ path: isList ? "(root)" : "rows", message: "must not be empty" }]);
  if (list.length > MAX_RATE_ROWS) {
    throw badRequest(`At most ${MAX_RATE_ROWS} rates per request`, [{ path: isList ? "(root)" : "rows", message: `has ${list.length} rows, more than ${MAX_RATE_ROWS}` }]);
  }
  const schema = rateRowSchema(appCurrency);
  const prefix = (i: number) => (isList ? `[${i}]` : `rows[${i}]`);
  const issues = [];
  const out: RateRow[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = schema.safeParse(list[i]);
    if (r.success) out.push(r.data);
    else issues.push(...zodIssues(r.error, prefix(i)));
  }
  if (issues.length) throw badRequest("Invalid rates", issues);
  return out;
}

export type StoreRatesResult = { rates: number; added: number; updated: number; orders_converted: number; orders_awaiting: number };

/** Upserts rates by (currency, date) and re-converts the orders they apply to, in one transaction. */
export async function storeRates(db: Db, input: readonly RateRow[], source: RateSource): Promise<StoreRatesResult> {
  // The last row of a repeated (currency, date) wins.
  const byKey = new Map<string, RateRow>();
  for (const r of input) {
    const k = `${r.currency} ${r.date}`;
    byKey.delete(k);
    byKey.set(k, r);
  }
  const list = [...byKey.values()].sort((a, b) => (a.currency + a.date < b.currency + b.date ? -1 : 1));
  if (list.length === 0) return { rates: 0, added: 0, updated: 0, orders_converted: 0, orders_awaiting: await countAwaiting(db) };
  return inTransaction(db, async (tx) => {
    const json = JSON.stringify(list);
    const [up] = await rows<{ added: number; updated: number }>(
      tx,
      sql`WITH up AS (
        INSERT INTO fx_rates (currency, date, rate, source)
        SELECT x.currency, x.date, x.rate, ${source} FROM json_to_recordset(${json}::json) AS x(currency text, date date, rate numeric)
        ORDER BY x.currency, x.date
        ON CONFLICT (currency, date) DO UPDATE SET rate = excluded.rate, source = excluded.source, updated_at = now()
        RETURNING (xmax = 0) AS created)
      SELECT (count(*) FILTER (WHERE created))::int AS added, (count(*) FILTER (WHERE NOT created))::int AS updated FROM up`,
    );
    const converted = await reconvertOrders(tx, list);
    return { rates: list.length, added: up.added, updated: up.updated, orders_converted: converted, orders_awaiting: await countAwaiting(tx) };
  });
}

/**
 * Re-converts the orders whose day may use one of these rates: per currency, placed on a local
 * day from its earliest new date to RATE_FALLBACK_DAYS after its latest. Only rows whose rate or
 * total changes are written; their sessions' and customers' facts are then recomputed.
 */
async function reconvertOrders(tx: Db, list: readonly RateRow[]): Promise<number> {
  const spans = new Map<string, { from: string; to: string }>();
  for (const r of list) {
    const s = spans.get(r.currency);
    if (!s) spans.set(r.currency, { from: r.date, to: r.date });
    else {
      if (r.date < s.from) s.from = r.date;
      if (r.date > s.to) s.to = r.date;
    }
  }
  const json = JSON.stringify([...spans].map(([currency, s]) => ({ currency, from: s.from, to: s.to })));
  const tz = config().timezone;
  const rate = rateOfDay(sql`o.currency`, sql`o.placed_at`);
  const changed = await rows<{ session_id: string | null; customer_id: string }>(
    tx,
    sql`WITH span AS (SELECT x.currency, x."from", x."to" FROM json_to_recordset(${json}::json) AS x(currency text, "from" date, "to" date)),
    target AS (
      SELECT o.order_id, ${rate} AS fx
      FROM span JOIN orders o ON o.currency = span.currency
        AND o.placed_at >= (span."from"::timestamp AT TIME ZONE ${tz})
        AND o.placed_at < ((span."to" + ${RATE_FALLBACK_DAYS + 1}::int)::timestamp AT TIME ZONE ${tz})
      WHERE o.total_original IS NOT NULL
      ORDER BY o.order_id
      FOR NO KEY UPDATE OF o
    )
    UPDATE orders o SET fx_rate = t.fx, total = ${convertedAmount(sql`o.total_original`, sql`t.fx`)}, updated_at = now()
    FROM target t
    WHERE o.order_id = t.order_id
      AND (o.fx_rate, o.total) IS DISTINCT FROM (t.fx, ${convertedAmount(sql`o.total_original`, sql`t.fx`)})
    RETURNING o.session_id::text AS session_id, o.customer_id::text AS customer_id`,
  );
  if (changed.length === 0) return 0;
  const sessionIds = uniq(changed.map((r) => r.session_id));
  await lockSessions(tx, sessionIds);
  await refreshSessionOrderFacts(tx, sessionIds);
  await refreshCustomers(tx, uniq(changed.map((r) => r.customer_id)));
  return changed.length;
}

async function countAwaiting(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM orders o WHERE ${awaitingRateOrder("o")}`);
  return r.n;
}

export type AwaitingRate = { orders: number; by_currency: Record<string, { orders: number; amount: number }> };

/** Paid orders waiting for a rate, per currency with their amount as sent (SPEC 17.5, health). */
export async function getAwaitingRate(db: Db): Promise<AwaitingRate> {
  const got = await rows<{ currency: string; orders: number; amount: string }>(
    db,
    sql`SELECT o.currency::text AS currency, count(*)::int AS orders, coalesce(sum(o.total_original), 0)::text AS amount
        FROM orders o WHERE ${awaitingRateOrder("o")} GROUP BY o.currency ORDER BY o.currency`,
  );
  const by_currency: AwaitingRate["by_currency"] = {};
  let orders = 0;
  for (const r of got) {
    by_currency[r.currency] = { orders: r.orders, amount: Number(r.amount) };
    orders += r.orders;
  }
  return { orders, by_currency };
}

/** The stored rates dated in [from, to] (inclusive), for the API's GET and the CLI. */
export async function listRates(db: Db, from: string, to: string): Promise<(RateRow & { source: string })[]> {
  return rows<RateRow & { source: string }>(
    db,
    sql`SELECT to_char(date, 'YYYY-MM-DD') AS date, currency::text AS currency, rate::float8 AS rate, source::text AS source
        FROM fx_rates WHERE date >= ${from}::date AND date <= ${to}::date ORDER BY date, currency`,
  );
}
