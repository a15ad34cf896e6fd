import { sql, type SQL } from "drizzle-orm";
import { config } from "@/lib/config";
import { orderRefundedSql } from "@/lib/db/refunded";

/**
 * Contribution margin (SPEC 18, docs/money.md) as SQL over one order row `o`, the ONE definition
 * the maintained facts (sessions, customers) and the cohorts read:
 *   margin = net revenue − COGS − shipping cost − payment fee
 * with net revenue = total − the order's refunds (accrual), all in APP_CURRENCY. An order whose
 * COGS is unknown (`cogs` NULL) has no margin of its own: its "net less costs" and its total are
 * kept apart, and DEFAULT_MARGIN_PCT, when set, turns them into margin at read time
 * (margin.ts), so a change of that setting needs no rewrite of any row.
 */

/** Net revenue − shipping cost − payment fee of the order (everything but COGS). */
export function netLessCostsSql(o: string): SQL {
  const a = sql.raw(o);
  return sql`(${a}.total - ${orderRefundedSql(o)} - round(coalesce(${a}.shipping_cost, 0) * coalesce(${a}.fx_rate, 0), 2) - coalesce(${a}.payment_fee, 0))`;
}

/** The order's margin when its COGS is known, else NULL. */
export function orderMarginSql(o: string): SQL {
  return sql`(${netLessCostsSql(o)} - ${sql.raw(o)}.cogs)`;
}

/**
 * The four profit facts (schema.ts marginFacts) of the counted orders `o` of a group, as a select
 * list `margin, uncosted_orders, uncosted_net, uncosted_revenue`. `o` may be NULL-extended (a
 * LEFT JOIN): its sums are then 0.
 */
export function marginFactsAgg(o: string): SQL {
  const a = sql.raw(o);
  return sql`coalesce(sum(${orderMarginSql(o)}) filter (where ${a}.cogs is not null), 0)::numeric(14,2) as margin,
    (count(${a}.order_id) filter (where ${a}.cogs is null))::int as uncosted_orders,
    coalesce(sum(${netLessCostsSql(o)}) filter (where ${a}.cogs is null), 0)::numeric(14,2) as uncosted_net,
    coalesce(sum(${a}.total) filter (where ${a}.cogs is null), 0)::numeric(14,2) as uncosted_revenue`;
}

/**
 * The margin of rows carrying the four facts (alias `x`, columns named as in schema.ts), with
 * DEFAULT_MARGIN_PCT applied to the uncosted part: COGS of such an order = total × (1 − pct/100).
 */
export function marginOfFactsSql(x: string, pct: number | undefined = config().defaultMarginPct): SQL {
  const a = sql.raw(x);
  if (pct === undefined) return sql`${a}.margin`;
  return sql`(${a}.margin + ${a}.uncosted_net - ${a}.uncosted_revenue * ${1 - pct / 100}::numeric)`;
}
