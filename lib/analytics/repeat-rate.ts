import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { countedOrder } from "@/lib/db/counted-orders";
import { customerFilter } from "./filters";
import { pct, ratio, round2 } from "./format";
import { FILTER_KEYS, rangeInstants, type AnalyticsQuery } from "./params";

/**
 * Repeat purchase rate (SPEC 5.3): the customers with a paid order placed in the range (filtered by
 * their acquisition session), and all their paid orders up to the range end. Gaps between
 * consecutive orders are exact elapsed seconds / 86,400.
 */

export type RepeatRate = {
  total_customers: number;
  repeat_customers: number;
  repeat_rate: number;
  avg_orders_per_customer: number;
  avg_days_between_orders: number;
};

export async function getRepeatRate(db: Db, q: AnalyticsQuery): Promise<RepeatRate> {
  const { from, to } = rangeInstants(q.range, q.tz);
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  // Without filters every customer qualifies: the join to customers only filters by acquisition.
  const byAcquisition = FILTER_KEYS.some((k) => q.filters[k] !== undefined)
    ? sql`join customers c on c.customer_id = o.customer_id and ${customerFilter(q.filters, "c")}`
    : sql``;
  const cust = sql`select o.customer_id from orders o ${byAcquisition}
          where ${countedOrder("o")} and o.placed_at >= ${fromIso}::timestamptz and o.placed_at < ${toIso}::timestamptz
          group by o.customer_id`;
  // The gaps between a customer's consecutive orders add up to last − first (they telescope), and
  // there are n − 1 of them: one hash aggregate per customer instead of a sort and a lag window
  // (1.3 s → 0.7 s at 10M sessions), with the same exact numeric seconds.
  const [r] = await rows<{ customers: number; repeaters: number; orders: number; gap_seconds: number; gaps: number }>(
    db,
    sql`
    with cust as (${cust}),
    per as (
      select o.customer_id, count(*) as n, extract(epoch from max(o.placed_at) - min(o.placed_at)) as gap_sum, count(*) - 1 as gaps
      from orders o
      where ${countedOrder("o")} and o.placed_at < ${toIso}::timestamptz and o.customer_id in (select customer_id from cust)
      group by o.customer_id
    )
    select count(*) as customers, count(*) filter (where n >= 2) as repeaters,
           coalesce(sum(n), 0) as orders, coalesce(sum(gap_sum), 0) as gap_seconds,
           coalesce(sum(gaps), 0) as gaps
    from per`,
  );
  const customers = r?.customers ?? 0;
  return {
    total_customers: customers,
    repeat_customers: r?.repeaters ?? 0,
    repeat_rate: pct(r?.repeaters ?? 0, customers),
    avg_orders_per_customer: ratio(r?.orders ?? 0, customers),
    avg_days_between_orders: r && r.gaps > 0 ? round2(r.gap_seconds / r.gaps / 86_400) : 0,
  };
}
