import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { filterConditions } from "./filters";
import { money, pct, ratioOrNull, round2 } from "./format";
import { FILTER_COLUMNS, FILTER_KEYS, parseParams, rangeInstants, type AnalyticsQuery, type SearchInput } from "./params";
import { byCodePoint } from "./sort-rows";
import { ATTRIBUTION_DIMENSION_KEYS, ATTRIBUTION_MODELS } from "./vocabulary";

/**
 * Attribution models side by side (SPEC 13), computed in SQL at query time in one statement:
 *
 *   1. the paid orders PLACED in the range (orders_placed_idx);
 *   2. their touchpoints: the named session alone (`session_named`), or — when the order has no
 *      visitor any more (erased) — the session it was attributed to when stored, alone (a primary
 *      key probe); else, through a LATERAL join, the visitor's sessions started at or before
 *      `placed_at` within the window of 3.3 (an index range on sessions(visitor_id, started_at)).
 *      An order without any touchpoint is unattributed;
 *   3. window functions per order: does it have a non-direct touchpoint (then only those are
 *      candidates, else all), the rank of each candidate by (started_at, id), their count n, the
 *      latest touchpoint overall (last_click), and the sum of the time-decay factors;
 *   4. the weight of every model for every touchpoint row, then Σ weight and Σ weight × total per
 *      key of the dimension, over the credited sessions that match the filters.
 *
 * All six models come out of the same pass, so `compare` costs what one model costs. Numbers stay
 * unrounded (float8) until the answer is built (lib/analytics/format.ts).
 */

export { ATTRIBUTION_MODELS };
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** Dimension parameter → sessions column (an allow-list: nothing else is spliced into SQL). */
export const ATTRIBUTION_DIMENSIONS = Object.fromEntries(ATTRIBUTION_DIMENSION_KEYS.map((k) => [k, FILTER_COLUMNS[k]])) as {
  [K in (typeof ATTRIBUTION_DIMENSION_KEYS)[number]]: (typeof FILTER_COLUMNS)[K];
};
export type AttributionDimension = keyof typeof ATTRIBUTION_DIMENSIONS;
const DIMENSION_KEYS = Object.keys(ATTRIBUTION_DIMENSIONS) as [AttributionDimension, ...AttributionDimension[]];

/** Dimensions for which `compare` reports ad spend (the ad_spend table has these two keys). */
export const SPEND_DIMENSIONS: readonly AttributionDimension[] = ["utm_source", "utm_campaign"];

const modelSchema = z.enum(ATTRIBUTION_MODELS, { error: `must be one of ${ATTRIBUTION_MODELS.join(", ")}` });
const dimensionSchema = z.enum(DIMENSION_KEYS, { error: `must be one of ${DIMENSION_KEYS.join(", ")}` });
const attributionSchema = z.object({ model: modelSchema.default("last_non_direct"), dimension: dimensionSchema.default("utm_source") });
const compareSchema = z.object({ dimension: dimensionSchema.default("utm_source") });

/** `model` (default last_non_direct) and `dimension` (default utm_source); 400 naming a bad one. */
export function parseAttributionParams(sp: SearchInput): { model: AttributionModel; dimension: AttributionDimension } {
  return parseParams(sp, attributionSchema);
}

export function parseAttributionDimension(sp: SearchInput): AttributionDimension {
  return parseParams(sp, compareSchema).dimension;
}

export type AttributionRow = { key: string; conversions: number; revenue: number; share: number };
export type AttributionAnswer = {
  model: AttributionModel;
  dimension: AttributionDimension;
  rows: AttributionRow[];
  total: { conversions: number; revenue: number };
  unattributed: { orders: number; revenue: number };
};

export type ModelResult = { conversions: number; revenue: number; roas: number | null };
export type AttributionCompareRow = { key: string; spend: number | null; results: Record<AttributionModel, ModelResult> };
export type AttributionCompare = { dimension: AttributionDimension; models: AttributionModel[]; rows: AttributionCompareRow[] };

/** Unrounded sums of one key under every model (`credited`: some touchpoint of it has weight > 0). */
export type RawKey = { key: string } & Record<AttributionModel, { conversions: number; revenue: number; credited: boolean }>;
export type RawAttribution = { keys: RawKey[]; unattributed: { orders: number; revenue: number } };

// Short SQL column prefixes of the models' weights and sums.
const COL: Record<AttributionModel, string> = {
  last_non_direct: "lnd",
  last_click: "lc",
  first_click: "fc",
  linear: "lin",
  position_based: "pos",
  time_decay: "td",
};

const SECONDS_PER_WEEK = 7 * 24 * 3600;

/**
 * The one statement behind both endpoints: per key of `dimension`, Σ weight and Σ weight × total
 * for every model, plus the unattributed orders (repeated on every row; one row with a null key
 * when nothing is credited).
 */
function attributionSql(q: AnalyticsQuery, dimension: AttributionDimension, windowDays: number): SQL {
  const { from, to } = rangeInstants(q.range, q.tz);
  const windowHours = Math.round(windowDays * 24);
  // Only the columns this query reads travel through the window sorts (narrow rows are faster).
  const needed = new Set<string>(["utm_source", ATTRIBUTION_DIMENSIONS[dimension]]);
  for (const k of FILTER_KEYS) if (q.filters[k] !== undefined) needed.add(FILTER_COLUMNS[k]);
  const cols = sql.raw([...needed].map((c) => `s.${c}`).join(", "));
  const keyCol = sql.raw(`w.${ATTRIBUTION_DIMENSIONS[dimension]}`);
  const sums = sql.raw(
    ATTRIBUTION_MODELS.map((m) => {
      const c = COL[m];
      return `sum(w.w_${c}) as ${c}_conv, sum(w.w_${c} * w.order_total) as ${c}_rev, bool_or(w.w_${c} > 0) as ${c}_cred`;
    }).join(",\n               "),
  );
  // order_total is float8 on purpose: weight × total and the unattributed revenue are summed in
  // float8 (the answers' arithmetic), not in numeric. The sums need no cast: float8 already.
  return sql`
    with o as (
      select o.order_id, o.total::float8 as order_total, o.placed_at, o.visitor_id, o.session_id, o.session_named
      from orders o
      where o.status = 'paid' and o.placed_at >= ${from.toISOString()}::timestamptz and o.placed_at < ${to.toISOString()}::timestamptz
    ), tp as (
      select o.order_id, o.order_total, o.placed_at, s.id, s.started_at, ${cols}
      from o join sessions s on s.id = o.session_id
      where o.session_named or o.visitor_id is null
      union all
      select o.order_id, o.order_total, o.placed_at, s.id, s.started_at, ${cols}
      from o join lateral (
        select * from sessions s
        where s.visitor_id = o.visitor_id
          and s.started_at <= o.placed_at
          and s.started_at >= o.placed_at - make_interval(hours => ${windowHours}::int)
      ) s on true
      where not o.session_named and o.visitor_id is not null
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
    ), agg as (
      select ${keyCol}::text as key,
               ${sums}
      from w
      where ${filterConditions(q.filters, "w")}
      group by 1
    ), un as (
      select count(*) as un_orders, coalesce(sum(o.order_total), 0) as un_revenue
      from o where not exists (select 1 from tp where tp.order_id = o.order_id)
    )
    select un.un_orders, un.un_revenue, agg.* from un left join agg on true`;
}

type SqlRow = { un_orders: number; un_revenue: number; key: string | null } & Record<string, number | boolean | string | null>;

/** Unrounded sums per key for all six models, and the unattributed orders. */
export async function computeAttribution(db: Db, q: AnalyticsQuery, dimension: AttributionDimension): Promise<RawAttribution> {
  const raw = await rows<SqlRow>(db, attributionSql(q, dimension, config().attributionWindowDays));
  const first = raw[0];
  const unattributed = { orders: Number(first?.un_orders ?? 0), revenue: Number(first?.un_revenue ?? 0) };
  const keys: RawKey[] = [];
  for (const r of raw) {
    if (r.key === null) continue;
    const k = { key: r.key } as RawKey;
    for (const m of ATTRIBUTION_MODELS) {
      const c = COL[m];
      k[m] = { conversions: Number(r[`${c}_conv`] ?? 0), revenue: Number(r[`${c}_rev`] ?? 0), credited: r[`${c}_cred`] === true };
    }
    keys.push(k);
  }
  return { keys, unattributed };
}

/**
 * `GET /api/utm/attribution` (SPEC 13): one row per key credited by the model, sorted by revenue
 * desc, conversions desc, key (code points) — compared as answered (2 decimals), so keys whose
 * sums differ only by float noise tie and fall to the key order.
 */
export async function getAttribution(db: Db, q: AnalyticsQuery, model: AttributionModel, dimension: AttributionDimension): Promise<AttributionAnswer> {
  return modelAnswer(await computeAttribution(db, q, dimension), model, dimension);
}

/** One model's answer from the sums of all six. */
export function modelAnswer(raw: RawAttribution, model: AttributionModel, dimension: AttributionDimension): AttributionAnswer {
  const credited = raw.keys.filter((k) => k[model].credited);
  const totalConv = credited.reduce((a, k) => a + k[model].conversions, 0);
  const totalRev = credited.reduce((a, k) => a + k[model].revenue, 0);
  const out = credited.map((k) => ({
    key: k.key,
    conversions: round2(k[model].conversions),
    revenue: money(k[model].revenue),
    share: pct(k[model].revenue, totalRev),
  }));
  out.sort((a, b) => b.revenue - a.revenue || b.conversions - a.conversions || byCodePoint(a.key, b.key));
  return {
    model,
    dimension,
    rows: out,
    total: { conversions: round2(totalConv), revenue: money(totalRev) },
    unattributed: { orders: raw.unattributed.orders, revenue: money(raw.unattributed.revenue) },
  };
}

/**
 * Ad spend dated in the range per key, for D = utm_source or utm_campaign; narrowed only by the
 * utm_source/utm_campaign filters, as in the ROI report.
 */
async function spendByKey(db: Db, q: AnalyticsQuery, dimension: AttributionDimension): Promise<Map<string, number>> {
  const col = sql.raw(`a.${ATTRIBUTION_DIMENSIONS[dimension]}`);
  const spendFilters = filterConditions({ utm_source: q.filters.utm_source, utm_campaign: q.filters.utm_campaign }, "a");
  const raw = await rows<{ key: string; spend: number }>(
    db,
    sql`select ${col}::text as key, sum(a.amount) as spend
        from ad_spend a
        where a.date >= ${q.range.start}::date and a.date <= ${q.range.end}::date and ${spendFilters}
        group by 1`,
  );
  return new Map(raw.map((r) => [r.key, r.spend]));
}

/**
 * `GET /api/utm/attribution/compare` (SPEC 13): the keys credited by any model, each with every
 * model's conversions, revenue and ROAS; spend when the dimension is source or campaign (0 for a
 * key without spend, `null` for other dimensions). Sorted by the last_non_direct revenue (as
 * answered) desc, then key.
 */
export async function getAttributionCompare(db: Db, q: AnalyticsQuery, dimension: AttributionDimension): Promise<AttributionCompare> {
  const [raw, spend] = await Promise.all([computeAttribution(db, q, dimension), spendFor(db, q, dimension)]);
  return compareAnswer(raw, spend, dimension);
}

/** The compare answer from the sums of all six models and the spend per key (null: no spend dimension). */
export function compareAnswer(raw: RawAttribution, spend: Map<string, number> | null, dimension: AttributionDimension): AttributionCompare {
  const keys = raw.keys.filter((k) => ATTRIBUTION_MODELS.some((m) => k[m].credited));
  const out: AttributionCompareRow[] = keys.map((k) => {
    const s = spend ? (spend.get(k.key) ?? 0) : null;
    const results = {} as Record<AttributionModel, ModelResult>;
    for (const m of ATTRIBUTION_MODELS) {
      results[m] = {
        conversions: round2(k[m].conversions),
        revenue: money(k[m].revenue),
        roas: s === null ? null : ratioOrNull(k[m].revenue, s),
      };
    }
    return { key: k.key, spend: s === null ? null : money(s), results };
  });
  out.sort((a, b) => b.results.last_non_direct.revenue - a.results.last_non_direct.revenue || byCodePoint(a.key, b.key));
  return { dimension, models: [...ATTRIBUTION_MODELS], rows: out };
}

const spendFor = (db: Db, q: AnalyticsQuery, dimension: AttributionDimension) =>
  SPEND_DIMENSIONS.includes(dimension) ? spendByKey(db, q, dimension) : Promise.resolve(null);

/** The dashboard block: the comparison and the selected model's totals from one pass. */
export async function getAttributionView(
  db: Db,
  q: AnalyticsQuery,
  model: AttributionModel,
  dimension: AttributionDimension,
): Promise<{ compare: AttributionCompare; selected: AttributionAnswer }> {
  const [raw, spend] = await Promise.all([computeAttribution(db, q, dimension), spendFor(db, q, dimension)]);
  return { compare: compareAnswer(raw, spend, dimension), selected: modelAnswer(raw, model, dimension) };
}

/**
 * CSV `report=attribution` (SPEC 13): the compare data, one line per key and model, in the rows'
 * order and the models' order: key, model, [spend,] conversions, revenue, roas — spend only when
 * the dimension is source or campaign (roas is empty otherwise, as in the JSON answer).
 */
export async function attributionCsvTable(db: Db, q: AnalyticsQuery, sp: SearchInput): Promise<{ fields: string[]; data: (string | number | null)[][] }> {
  const dimension = parseAttributionDimension(sp);
  const c = await getAttributionCompare(db, q, dimension);
  const withSpend = SPEND_DIMENSIONS.includes(dimension);
  const fields = withSpend ? ["key", "model", "spend", "conversions", "revenue", "roas"] : ["key", "model", "conversions", "revenue", "roas"];
  const data: (string | number | null)[][] = [];
  for (const r of c.rows) {
    for (const m of c.models) {
      const x = r.results[m];
      data.push(withSpend ? [r.key, m, r.spend, x.conversions, x.revenue, x.roas] : [r.key, m, x.conversions, x.revenue, x.roas]);
    }
  }
  return { fields, data };
}
