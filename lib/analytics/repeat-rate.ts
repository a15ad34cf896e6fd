import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { customerFilter } from "./filters";
import { pct, ratio, round2 } from "./format";
import { rangeInstants, type AnalyticsQuery } from "./params";

/**
 * Repeat purchase rate (SPEC 5.3): the customers with a paid order placed in the range (filtered by
 * their acquisition session), and all their paid orders up to the range end. Gaps between
 * consecutive orders come from a `lag` window, in exact elapsed seconds / 86,400.
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
  const [r] = await rows<{ customers: number; repeaters: number; orders: number; gap_seconds: number; gaps: number }>(
    db,
    sql`
    with cust as (
      select distinct o.customer_id
      from orders o join customers c on c.customer_id = o.customer_id
      where o.status = 'paid'
        and o.placed_at >= ${fromIso}::timestamptz and o.placed_at < ${toIso}::timestamptz
        and ${customerFilter(q.filters, "c")}
    ),
    ord as (
      select o.customer_id,
             extract(epoch from o.placed_at - lag(o.placed_at) over (partition by o.customer_id order by o.placed_at, o.order_id)) as gap
      from orders o join cust on cust.customer_id = o.customer_id
      where o.status = 'paid' and o.placed_at < ${toIso}::timestamptz
    ),
    per as (select customer_id, count(*) as n, sum(gap) as gap_sum, count(gap) as gaps from ord group by customer_id)
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
