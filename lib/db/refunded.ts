import { sql, type SQL } from "drizzle-orm";

/*
 * Refunds in APP_CURRENCY (SPEC 17.5), defined once for the maintained facts (lib/ingest/facts.ts),
 * the refund checks (lib/ingest/refunds.ts) and the reports (lib/analytics).
 */

/**
 * The part of an order's paid total that its refunds take back, in APP_CURRENCY, as SQL over the
 * order row `o` — the ONE definition every net-revenue fact and figure reads. Refunds are in the
 * order's currency (as sent, like `total_original`) and convert with the order's own rate
 * (`fx_rate`, lib/db/schema.ts), to the cent; capped at the order's total so a total lowered after
 * a refund never makes net revenue negative. Rows stored before v5 have no `total_original`
 * (= total) and rate 1. Null rate (awaiting): 0, and such an order counts nowhere anyway.
 * (least() ignores NULLs: the sum of no refunds must be 0, not NULL, or it would be the total.)
 */
export function orderRefundedSql(o: string): SQL {
  const a = sql.raw(o);
  return sql`coalesce((
    SELECT least(round(least(coalesce(sum(r.amount), 0), ${orderAmountSent(o)}) * ${a}.fx_rate, 2), ${a}.total)
    FROM order_refunds r WHERE r.order_id = ${a}.order_id), 0)`;
}

/** A refund's amount in APP_CURRENCY (cash basis sums refunds one by one), over `r` and its order `o`. */
export function refundAmountAppSql(r: string, o: string): SQL {
  return sql`coalesce(round(${sql.raw(r)}.amount * ${sql.raw(o)}.fx_rate, 2), 0)`;
}

/** The order's total as sent (its currency): what its refunds are checked against. */
export const orderAmountSent = (o: string): SQL => sql.raw(`coalesce(${o}.total_original, ${o}.total)`);

