import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { countedOrder } from "@/lib/db/counted-orders";
import { customerFilter, filterConditions } from "./filters";
import { money, pct, round2 } from "./format";
import { rangeInstants, type AnalyticsQuery } from "./params";
import { COHORT_METRICS, COHORT_TYPES } from "./vocabulary";
import { config } from "@/lib/config";
import { netLessCostsSql, orderMarginSql } from "@/lib/profit/margin-sql";

/**
 * Cohort analysis (SPEC 5.1). A cohort is the customers whose first paid order falls in one
 * calendar bucket (day, ISO week, month in the query's time zone) inside the range; every paid
 * order of theirs, even after the range end, counts at its offset = whole buckets between the
 * cohort's bucket and the order's bucket. One SQL statement builds the whole grid (cohorts ×
 * offsets, generate_series) with a window for the cumulative revenue of `ltv`; JS only reshapes
 * the aggregated cells and rounds.
 */

export { COHORT_TYPES, COHORT_METRICS };
export type CohortType = (typeof COHORT_TYPES)[number];
export type CohortMetric = (typeof COHORT_METRICS)[number];
export const DEFAULT_PERIODS: Record<CohortType, number> = { day: 30, week: 12, month: 12 };
export const MAX_PERIODS = 60;

/**
 * Which customers form the cohorts (SPEC 18): `all` (the API default, SPEC 5.1/15) or `paid`, only
 * customers acquired by a source + campaign that has ad spend dated inside their cohort's bucket
 * (the spend `roas` divides by), so payback compares the paid customers' revenue with their cost.
 */
export const PAYBACK_BASES = ["all", "paid"] as const;
export type PaybackBasis = (typeof PAYBACK_BASES)[number];

/** The payback metrics (SPEC 15, 18): the ones the dashboard reads on paid-acquired customers by default. */
export const isPaybackMetric = (m: CohortMetric): boolean => m === "roas" || m === "poas";
/** Metrics over spend (SPEC 15, 18): null where the cohort's spend is 0. */
const OVER_SPEND = (m: CohortMetric) => m === "roas" || m === "poas";

export type CohortOptions = { cohortType?: CohortType; metric?: CohortMetric; periods?: number; basis?: PaybackBasis };

export type CohortAnswer = {
  cohort_type: CohortType;
  metric: CohortMetric;
  basis: PaybackBasis;
  cohorts: string[];
  sizes: number[];
  periods: string[];
  matrix: (number | null)[][];
  totals: (number | null)[];
  /** The cohorts' paid orders without a known cost (SPEC 18); margin metrics leave them out unless DEFAULT_MARGIN_PCT is set. */
  orders_without_cost: number;
};

/** The route's own parameters (range and filters are parsed by parseAnalyticsQuery). */
export const cohortParamsSchema = z.object({
  cohort_type: z.enum(COHORT_TYPES, { error: `must be one of ${COHORT_TYPES.join(", ")}` }).default("week"),
  metric: z.enum(COHORT_METRICS, { error: `must be one of ${COHORT_METRICS.join(", ")}` }).default("retention"),
  periods: z.coerce
    .number({ error: `must be a whole number from 1 to ${MAX_PERIODS}` })
    .int(`must be a whole number from 1 to ${MAX_PERIODS}`)
    .min(1, `must be a whole number from 1 to ${MAX_PERIODS}`)
    .max(MAX_PERIODS, `must be a whole number from 1 to ${MAX_PERIODS}`)
    .optional(),
  // `accrual` (the revenue reports' default) reads as `all`: cohorts count orders, never dated refunds.
  basis: z
    .enum([...PAYBACK_BASES, "accrual"], { error: `must be one of ${PAYBACK_BASES.join(", ")} (cohorts have no cash basis)` })
    .default("all")
    .transform((b): PaybackBasis => (b === "accrual" ? "all" : b)),
});

// Allow-listed SQL pieces per bucket kind (never spliced from input).
const UNIT: Record<CohortType, { trunc: string; step: string; label: string }> = {
  day: { trunc: "day", step: "1 day", label: "Day" },
  week: { trunc: "week", step: "1 week", label: "Week" },
  month: { trunc: "month", step: "1 month", label: "Month" },
};

type Cell = {
  cohort: string;
  size: number;
  k: number;
  future: boolean;
  orders: number;
  buyers: number;
  revenue: number;
  cum_revenue: number;
  cum_margin: number;
  uncosted: number;
  /** Ad spend dated inside the cohort's bucket (source/campaign filters only), for `roas`. */
  spend: number;
};

export async function getCohortAnalysis(db: Db, q: AnalyticsQuery, opts: CohortOptions = {}): Promise<CohortAnswer> {
  const cohortType = opts.cohortType ?? "week";
  const metric = opts.metric ?? "retention";
  const basis = opts.basis ?? "all";
  const periods = Math.min(MAX_PERIODS, Math.max(1, Math.trunc(opts.periods ?? DEFAULT_PERIODS[cohortType])));
  const unit = UNIT[cohortType];
  const trunc = sql.raw(`'${unit.trunc}'`);
  const step = sql.raw(`interval '${unit.step}'`);
  const { from, to } = rangeInstants(q.range, q.tz);
  // SPEC 15: spend is narrowed by the source/campaign filters only, as in ROI.
  const spendFilters = filterConditions({ utm_source: q.filters.utm_source, utm_campaign: q.filters.utm_campaign }, "a");

  // Offset of an order bucket `ob` from the cohort bucket `cb` (both dates of bucket starts).
  const offset =
    cohortType === "month"
      ? sql`((extract(year from ob)::int * 12 + extract(month from ob)::int) - (extract(year from cb)::int * 12 + extract(month from cb)::int))`
      : cohortType === "week"
        ? sql`((ob - cb) / 7)`
        : sql`(ob - cb)`;

  // SPEC 18: an order's margin; one without a known cost counts only through DEFAULT_MARGIN_PCT.
  const marginPct = config().defaultMarginPct;
  const orderMargin =
    marginPct === undefined
      ? sql`case when o.cogs is not null then ${orderMarginSql("o")} else 0 end`
      : sql`case when o.cogs is not null then ${orderMarginSql("o")} else ${netLessCostsSql("o")} - o.total * ${1 - marginPct / 100}::numeric end`;
  const cells = await rows<Cell>(
    db,
    sql`
    with cust as (
      select c.customer_id, date_trunc(${trunc}, c.first_order_at at time zone ${q.tz})::date as cb
      from customers c
      where c.first_order_at >= ${from.toISOString()}::timestamptz
        and c.first_order_at < ${to.toISOString()}::timestamptz
        and ${customerFilter(q.filters, "c")}
        ${
          basis === "paid"
            ? sql`and exists (
                select 1 from ad_spend a
                where a.utm_source = c.utm_source and a.utm_campaign = c.utm_campaign and a.amount > 0 and ${spendFilters}
                  and a.date >= date_trunc(${trunc}, c.first_order_at at time zone ${q.tz})::date
                  and a.date < (date_trunc(${trunc}, c.first_order_at at time zone ${q.tz}) + ${step})::date)`
            : sql``
        }
    ),
    sizes as (select cb, count(*) as size from cust group by cb),
    ord as (
      select cust.cb, o.customer_id, o.total, ${orderMargin} as margin, (o.cogs is null) as uncosted,
             date_trunc(${trunc}, o.placed_at at time zone ${q.tz})::date as ob
      from cust join orders o on o.customer_id = cust.customer_id and ${countedOrder("o")}
    ),
    agg as (
      select cb, ${offset} as k, count(*) as orders, count(distinct customer_id) as buyers,
             -- float8 here on purpose: the cumulative revenue below adds these in float8
             sum(total)::float8 as revenue, sum(margin)::float8 as margin, count(*) filter (where uncosted) as uncosted
      from ord group by 1, 2
    ),
    grid as (
      select s.cb, s.size, k, (s.cb + k * ${step})::date as bucket_start
      from sizes s cross join generate_series(0, ${periods - 1}::int) as k
    ),
    spend as (
      select s.cb, coalesce(sum(a.amount), 0) as spend
      from sizes s left join ad_spend a
        on a.date >= s.cb and a.date < (s.cb + ${step})::date and ${spendFilters}
      group by s.cb
    )
    select g.cb::text as cohort, g.size, g.k,
           (g.bucket_start > ${q.today}::date) as future,
           coalesce(a.orders, 0) as orders, coalesce(a.buyers, 0) as buyers,
           coalesce(a.revenue, 0) as revenue,
           sum(coalesce(a.revenue, 0)) over (partition by g.cb order by g.k) as cum_revenue,
           sum(coalesce(a.margin, 0)) over (partition by g.cb order by g.k) as cum_margin,
           coalesce(a.uncosted, 0)::int as uncosted,
           ${OVER_SPEND(metric) ? sql`sp.spend` : sql`0::float8`} as spend
    from grid g left join agg a on a.cb = g.cb and a.k = g.k
    ${OVER_SPEND(metric) ? sql`left join spend sp on sp.cb = g.cb` : sql``}
    order by g.cb, g.k`,
  );

  const cohorts: string[] = [];
  const sizes: number[] = [];
  const matrix: (number | null)[][] = [];
  // Per column: Σ size and Σ numerator over non-null cells (size-weighted mean = Σnum/Σsize).
  const colSize = new Array<number>(periods).fill(0);
  const colNum = new Array<number>(periods).fill(0);
  const colAny = new Array<boolean>(periods).fill(false);
  let ordersWithoutCost = 0;
  for (const c of cells) {
    ordersWithoutCost += Number(c.uncosted);
    if (c.k === 0) {
      cohorts.push(c.cohort);
      sizes.push(c.size);
      matrix.push([]);
    }
    const row = matrix[matrix.length - 1];
    if (OVER_SPEND(metric)) {
      // null when the cohort's spend is 0 or the cell is in the future; totals over non-null cells.
      if (c.future || c.spend === 0) {
        row.push(null);
        continue;
      }
      const num = metric === "roas" ? c.cum_revenue : c.cum_margin;
      row.push(round2(num / c.spend));
      colAny[c.k] = true;
      colSize[c.k] += c.spend;
      colNum[c.k] += num;
      continue;
    }
    if (c.future) {
      row.push(null);
      continue;
    }
    colAny[c.k] = true;
    colSize[c.k] += c.size;
    switch (metric) {
      case "retention":
        row.push(pct(c.buyers, c.size));
        colNum[c.k] += c.buyers;
        break;
      case "orders":
        row.push(c.orders);
        colNum[c.k] += c.orders;
        break;
      case "revenue":
        row.push(money(c.revenue));
        colNum[c.k] += c.revenue;
        break;
      case "ltv":
        row.push(c.size === 0 ? 0 : round2(c.cum_revenue / c.size));
        colNum[c.k] += c.cum_revenue;
        break;
      case "margin":
        // Margin LTV: cumulative margin through offset k / cohort size.
        row.push(c.size === 0 ? 0 : round2(c.cum_margin / c.size));
        colNum[c.k] += c.cum_margin;
        break;
    }
  }
  const totals = colAny.map((any, k): number | null => {
    if (!any) return null;
    if (metric === "retention") return pct(colNum[k], colSize[k]);
    if (metric === "ltv" || metric === "margin") return colSize[k] === 0 ? 0 : round2(colNum[k] / colSize[k]);
    // roas / poas: Σ cumulative revenue (margin) / Σ spend over the cohorts whose cell is not null (colSize = Σ spend).
    if (OVER_SPEND(metric)) return round2(colNum[k] / colSize[k]);
    return metric === "orders" ? colNum[k] : money(colNum[k]);
  });
  return {
    cohort_type: cohortType,
    metric,
    basis,
    cohorts,
    sizes,
    periods: Array.from({ length: periods }, (_, k) => `${unit.label} ${k}`),
    matrix,
    totals,
    orders_without_cost: ordersWithoutCost,
  };
}
