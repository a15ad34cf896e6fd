import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { customerFilter } from "./filters";
import { money, pct, ratio } from "./format";
import { refuseCash } from "./net-revenue";
import { rangeInstants, type AnalyticsQuery } from "./params";
import { byCodePoint } from "./sort-rows";
import { marginOf, type MarginParts } from "@/lib/profit/margin";

/**
 * LTV by acquisition source (SPEC 5.2): customers whose first paid order was placed in the range,
 * grouped by their acquisition source; their orders and revenue count up to now. Those lifetime
 * figures are the customer row's maintained facts (paid_orders, revenue), so this is one scan of
 * `customers` over the first-order index.
 */

export type LtvRow = {
  utm_source: string;
  customers: number;
  orders: number;
  revenue: number;
  /** revenue − the refunds of those customers' paid orders (SPEC 17.5, accrual only). */
  net_revenue: number;
  /** Contribution margin of those customers' orders (SPEC 18) and margin LTV = margin / customers. */
  margin: number;
  margin_ltv: number;
  orders_without_cost: number;
  ltv: number;
  aov: number;
  orders_per_customer: number;
  repeat_rate: number;
};

export async function getLtvComparison(db: Db, q: AnalyticsQuery): Promise<LtvRow[]> {
  // Lifetime figures count up to now, so there is no range for cash refunds to be dated in.
  refuseCash(q, "ltv-comparison");
  const { from, to } = rangeInstants(q.range, q.tz);
  const got = await rows<{ utm_source: string; customers: number; orders: number; revenue: number; refunded: number; repeaters: number } & MarginParts>(
    db,
    sql`
    select c.utm_source::text as utm_source, count(*) as customers, sum(c.paid_orders) as orders,
           sum(c.revenue) as revenue, sum(c.refunded) as refunded, count(*) filter (where c.paid_orders >= 2) as repeaters,
           sum(c.margin)::float8 as margin_known, sum(c.uncosted_orders)::int as uncosted_orders,
           sum(c.uncosted_net)::float8 as uncosted_net, sum(c.uncosted_revenue)::float8 as uncosted_revenue
    from customers c
    where c.first_order_at >= ${from.toISOString()}::timestamptz
      and c.first_order_at < ${to.toISOString()}::timestamptz
      and ${customerFilter(q.filters, "c")}
    group by c.utm_source`,
  );
  const out = got.map((r) => ({
    utm_source: r.utm_source,
    customers: r.customers,
    orders: r.orders,
    revenue: money(r.revenue),
    net_revenue: money(r.revenue - r.refunded),
    margin: money(marginOf(r)),
    margin_ltv: ratio(marginOf(r), r.customers),
    orders_without_cost: Number(r.uncosted_orders),
    ltv: ratio(r.revenue, r.customers),
    aov: ratio(r.revenue, r.orders),
    orders_per_customer: ratio(r.orders, r.customers),
    repeat_rate: pct(r.repeaters, r.customers),
    // Sort key from unrounded values so two sources 0.004 apart keep their true order.
    _ltv: r.customers === 0 ? 0 : r.revenue / r.customers,
  }));
  // Sorting the grouped rows (one per source), not data rows.
  out.sort((a, b) => b._ltv - a._ltv || b.customers - a.customers || byCodePoint(a.utm_source, b.utm_source));
  return out.map(({ _ltv, ...row }) => row);
}

/** How many sources the "top" LTV list shows (the dashboard block and the e-mail report). */
export const LTV_TOP = 5;
/** A source needs this many customers to rank in the top list: one lucky customer is not a trend. */
export const LTV_MIN_CUSTOMERS = 5;

/**
 * The top LTV sources, one rule for the dashboard and the e-mail: the first `n` rows, in the
 * report's order (LTV desc, getLtvComparison), among sources with at least `minCustomers`
 * customers. Every other row is in `rest`, in the same order (the dashboard's "show all", the
 * e-mail's CSV attachment).
 */
export function ltvTopSources<T extends Pick<LtvRow, "customers">>(rows: readonly T[], n = LTV_TOP, minCustomers = LTV_MIN_CUSTOMERS): { top: T[]; rest: T[] } {
  const top: T[] = [];
  const rest: T[] = [];
  for (const r of rows) (top.length < n && r.customers >= minCustomers ? top : rest).push(r);
  return { top, rest };
}
