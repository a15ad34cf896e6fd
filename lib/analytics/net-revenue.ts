import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { countedOrder } from "@/lib/db/counted-orders";
import { refundAmountAppSql } from "@/lib/db/refunded";
import { badRequest } from "@/lib/errors";
import { filterConditions } from "./filters";
import { rangeInstants, type AnalyticsQuery } from "./params";

/**
 * Net revenue (SPEC 17.5) = revenue − refunds, on one of two bases:
 *  - accrual (the default): the refunds of the orders the figure counts (the paid orders attributed
 *    to the selected sessions), whenever dated. They are a maintained session fact
 *    (sessions.refunded, lib/ingest/facts.ts) summed beside revenue, so the day cells carry them.
 *  - cash (`basis=cash`): the refunds DATED in the range, of the paid orders attributed to sessions
 *    that match the filters (whenever those sessions started), grouped like the report's rows.
 *    Read here from the refunds themselves (order_refunds.refunded_at), never from cells.
 * A report replaces each row's `refunded` with its cash figure; its revenue stays as it is.
 */

export const isCash = (q: Pick<AnalyticsQuery, "basis">): boolean => q.basis === "cash";

/** 400 for a report that has no cash reading of its refunds (cohort and customer reports). */
export function refuseCash(q: Pick<AnalyticsQuery, "basis">, report: string): void {
  if (!isCash(q)) return;
  const message = `${report} answers net revenue on the accrual basis only; leave basis out or set basis=accrual`;
  throw badRequest(message, [{ path: "basis", message }]);
}

/**
 * Cash refunds by `key` (SQL over the attributed session `s` and the refund `r`, e.g. `s.utm_source`
 * or the refund's local day), in APP_CURRENCY, for the query's range and filters.
 */
export async function cashRefundsBy(db: Db, q: Pick<AnalyticsQuery, "range" | "filters" | "tz">, key: SQL): Promise<Map<string, number>> {
  const { from, to } = rangeInstants(q.range, q.tz);
  const got = await rows<{ k: string | null; refunded: number }>(
    db,
    sql`select (${key})::text as k, coalesce(sum(${refundAmountAppSql("r", "o")}), 0)::float8 as refunded
        from order_refunds r
        join orders o on o.order_id = r.order_id and ${countedOrder("o")}
        join sessions s on s.id = o.session_id
        where r.refunded_at >= ${from.toISOString()}::timestamptz and r.refunded_at < ${to.toISOString()}::timestamptz
          and ${filterConditions(q.filters, "s")}
        group by 1`,
  );
  return new Map(got.map((r) => [r.k ?? "", r.refunded]));
}

/** The cash refunds of the whole selection. */
export async function cashRefundsTotal(db: Db, q: Pick<AnalyticsQuery, "range" | "filters" | "tz">): Promise<number> {
  return (await cashRefundsBy(db, q, sql`''`)).get("") ?? 0;
}

/** `rows` with `refunded` replaced by the cash figure of their key (0 when none). */
export function withCashRefunds<T extends { refunded: number }>(list: readonly T[], cash: ReadonlyMap<string, number>, keyOf: (row: T) => string): T[] {
  return list.map((r) => ({ ...r, refunded: cash.get(keyOf(r)) ?? 0 }));
}
