import { sql, type SQL } from "drizzle-orm";
import { countedOrder } from "@/lib/db/counted-orders";
import { FILTER_COLUMNS, FILTER_KEYS, type Filters } from "./params";
import { ATTRIBUTION_DIMENSION_KEYS, ATTRIBUTION_MODELS } from "./vocabulary";

/**
 * The credit of attribution models (SPEC 13) as SQL, written once for the raw query over a range
 * (attribution.ts) and for the day cells (rollups/attribution-cells.ts):
 *
 *   1. `o`: the paid orders PLACED in [from, to) (orders_placed_idx);
 *   2. their touchpoints: `fx` the named session alone (`session_named`), or — when the order has
 *      no visitor any more (erased) — the session it was attributed to when stored, alone (a primary
 *      key probe); else, through a LATERAL join, the visitor's sessions started at or before
 *      `placed_at` within the window of 3.3 (an index range on sessions(visitor_id, started_at)).
 *      An order with no session touchpoint takes its landing touchpoint (SPEC 17.1, order_touchpoints:
 *      the shop's landing URL/referrer classified like a session, at placed_at) as its only one, so
 *      it weighs 1 in every model; an order without any touchpoint is unattributed;
 *   3. window functions per order: does it have a non-direct touchpoint (then only those are
 *      candidates, else all), the rank of each candidate by (started_at, id), their count n, the
 *      latest touchpoint overall (last_click), and the sum of the time-decay factors;
 *   4. `w`: the weight of every model for every touchpoint row.
 *
 * All six models come out of the same pass. Numbers stay float8 and unrounded until the answer
 * is built (lib/analytics/format.ts).
 */

export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** Dimension parameter → sessions column (an allow-list: nothing else is spliced into SQL). */
export const ATTRIBUTION_DIMENSIONS = Object.fromEntries(ATTRIBUTION_DIMENSION_KEYS.map((k) => [k, FILTER_COLUMNS[k]])) as {
  [K in (typeof ATTRIBUTION_DIMENSION_KEYS)[number]]: (typeof FILTER_COLUMNS)[K];
};
export type AttributionDimension = keyof typeof ATTRIBUTION_DIMENSIONS;

/** Short SQL column prefixes of the models' weights and sums. */
export const MODEL_COLUMN: Record<AttributionModel, string> = {
  last_non_direct: "lnd",
  last_click: "lc",
  first_click: "fc",
  linear: "lin",
  position_based: "pos",
  time_decay: "td",
};

const SECONDS_PER_WEEK = 7 * 24 * 3600;

/** The id a landing touchpoint (SPEC 17.1) takes in the touchpoint rows: it is its order's only one, so no tie to break. */
const LANDING_TOUCHPOINT_ID = sql.raw(`'00000000-0000-0000-0000-000000000000'`);

export type CreditsInput = {
  from: Date;
  to: Date;
  windowHours: number;
  /** Sessions columns the later steps read (the dimension's and the filters'). */
  columns: readonly string[];
  /** When set, every row also carries `d`: the order's placed day in this time zone. */
  dayTz?: string;
};

/** The session columns a query of `dimension` under `filters` reads (only these travel through the window sorts). */
export function creditColumns(dimension: AttributionDimension, filters: Filters): string[] {
  const needed = new Set<string>(["utm_source", ATTRIBUTION_DIMENSIONS[dimension]]);
  for (const k of FILTER_KEYS) if (filters[k] !== undefined) needed.add(FILTER_COLUMNS[k]);
  return [...needed];
}

/** `with o, fx, tp, t1, t2, w` (no final select): the weighted touchpoints of the orders placed in [from, to). */
export function creditsCtes(p: CreditsInput): SQL {
  const allowed = new Set<string>(Object.values(FILTER_COLUMNS));
  for (const c of p.columns) if (!allowed.has(c)) throw new Error(`unknown sessions column ${c}`);
  const cols = sql.raw(p.columns.map((c) => `s.${c}`).join(", "));
  const ltCols = sql.raw(p.columns.map((c) => `lt.${c}`).join(", "));
  const day = p.dayTz === undefined ? sql`` : sql`, (o.placed_at at time zone ${p.dayTz})::date as d`;
  const oDay = p.dayTz === undefined ? sql`` : sql`, o.d`;
  // order_total is float8 on purpose: weight × total and the unattributed revenue are summed in
  // float8 (the answers' arithmetic), not in numeric.
  return sql`
    with o as (
      select o.order_id, o.total::float8 as order_total, o.placed_at, o.visitor_id, o.session_id, o.session_named ${day}
      from orders o
      where ${countedOrder("o")} and o.placed_at >= ${p.from.toISOString()}::timestamptz and o.placed_at < ${p.to.toISOString()}::timestamptz
    ), fx as (
      select o.order_id, o.order_total, o.placed_at, s.id, s.started_at, ${cols} ${oDay}
      from o join sessions s on s.id = o.session_id
      where o.session_named or o.visitor_id is null
    ), tps as (
      select * from fx
      union all
      select o.order_id, o.order_total, o.placed_at, s.id, s.started_at, ${cols} ${oDay}
      from o join lateral (
        select * from sessions s
        where s.visitor_id = o.visitor_id
          and s.started_at <= o.placed_at
          and s.started_at >= o.placed_at - make_interval(hours => ${p.windowHours}::int)
      ) s on true
      where not o.session_named and o.visitor_id is not null
    ), tp as (
      select * from tps
      union all
      select o.order_id, o.order_total, o.placed_at, ${LANDING_TOUCHPOINT_ID}::uuid as id, lt.occurred_at as started_at, ${ltCols} ${oDay}
      from o join order_touchpoints lt on lt.order_id = o.order_id
      where not exists (select 1 from tps where tps.order_id = o.order_id)
    ), t1 as (
      select tp.*,
             (tp.utm_source <> '(direct)' or not bool_or(tp.utm_source <> '(direct)') over (partition by tp.order_id)) as cand,
             row_number() over (partition by tp.order_id order by tp.started_at desc, tp.id desc) as rn_all_desc,
             power(2::float8, -(extract(epoch from (tp.placed_at - tp.started_at))::float8) / ${SECONDS_PER_WEEK}::float8) as decay
      from tp
    ), t2 as (
      select t1.*,
             row_number() over (partition by t1.order_id, t1.cand order by t1.started_at, t1.id) as rn,
             count(*) over (partition by t1.order_id, t1.cand) as n,
             sum(t1.decay) over (partition by t1.order_id, t1.cand) as decay_sum
      from t1
      where t1.cand or t1.rn_all_desc = 1
    ), w as (
      select t2.*,
             case when t2.cand and t2.rn = t2.n then 1::float8 else 0::float8 end as w_lnd,
             case when t2.rn_all_desc = 1 then 1::float8 else 0::float8 end as w_lc,
             case when t2.cand and t2.rn = 1 then 1::float8 else 0::float8 end as w_fc,
             case when t2.cand then 1::float8 / t2.n::float8 else 0::float8 end as w_lin,
             case when not t2.cand then 0::float8
                  when t2.n = 1 then 1::float8
                  when t2.n = 2 then 0.5::float8
                  when t2.rn = 1 or t2.rn = t2.n then 0.4::float8
                  else 0.2::float8 / (t2.n - 2)::float8 end as w_pos,
             case when t2.cand and t2.decay_sum > 0 then t2.decay / t2.decay_sum
                  when t2.cand then 1::float8 / t2.n::float8
                  else 0::float8 end as w_td
      from t2
    )`;
}

/** Over `w`: per model `<c>_conv` = Σ weight, `<c>_rev` = Σ weight × total, and `credited` (bit i: model i gave some row weight > 0). */
export function modelSums(): SQL {
  const sums = ATTRIBUTION_MODELS.map((m) => {
    const c = MODEL_COLUMN[m];
    return `sum(w.w_${c}) as ${c}_conv, sum(w.w_${c} * w.order_total) as ${c}_rev`;
  });
  const credited = ATTRIBUTION_MODELS.map((m, i) => `(case when bool_or(w.w_${MODEL_COLUMN[m]} > 0) then ${1 << i} else 0 end)`).join(" | ");
  return sql.raw(`${sums.join(",\n           ")},\n           ${credited} as credited`);
}
