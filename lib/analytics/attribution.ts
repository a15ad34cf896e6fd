import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import {
  ATTRIBUTION_DIMENSIONS,
  creditColumns,
  creditsCtes,
  MODEL_COLUMN,
  modelSums,
  type AttributionDimension,
  type AttributionModel,
} from "./attribution-credits";
import { filterConditions } from "./filters";
import { money, pct, ratioOrNull, round2 } from "./format";
import { dateInZone, parseParams, rangeInstants, type AnalyticsQuery, type SearchInput } from "./params";
import { loadAttributionCells } from "./rollups/attribution-cells";
import { servedByCells, type ReadOptions } from "./rollups";
import { byCodePoint } from "./sort-rows";
import { ATTRIBUTION_MODELS } from "./vocabulary";

/**
 * Attribution models side by side (SPEC 13): the credit of every model is defined once in SQL
 * (attribution-credits.ts). A range of whole days longer than a week adds up cached day cells of
 * the orders placed on each day (rollups/attribution-cells.ts); shorter ranges and a read replica
 * run the statement over the range. Both give every model's Σ weight and Σ weight × total per key.
 */

export { ATTRIBUTION_DIMENSIONS, ATTRIBUTION_MODELS };
export type { AttributionDimension, AttributionModel };
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

/** A key's sums as SQL returns them: `<c>_conv`, `<c>_rev` per model and the `credited` bits. */
export type KeySums = { key: string; credited: number } & Record<string, number | string>;

/** RawKey from the SQL sums (attribution-credits.ts modelSums). */
export function rawKey(r: KeySums): RawKey {
  const k = { key: r.key } as RawKey;
  ATTRIBUTION_MODELS.forEach((m, i) => {
    const c = MODEL_COLUMN[m];
    k[m] = { conversions: Number(r[`${c}_conv`] ?? 0), revenue: Number(r[`${c}_rev`] ?? 0), credited: (Number(r.credited) & (1 << i)) !== 0 };
  });
  return k;
}

/**
 * The statement over the whole range: per key of `dimension`, the models' sums over the credited
 * sessions that match the filters, plus the unattributed orders (repeated on every row; one row
 * with a null key when nothing is credited).
 */
function attributionSql(q: AnalyticsQuery, dimension: AttributionDimension, windowDays: number): SQL {
  const { from, to } = rangeInstants(q.range, q.tz);
  const ctes = creditsCtes({ from, to, windowHours: Math.round(windowDays * 24), columns: creditColumns(dimension, q.filters) });
  const keyCol = sql.raw(`w.${ATTRIBUTION_DIMENSIONS[dimension]}`);
  return sql`
    ${ctes}, agg as (
      select ${keyCol}::text as key, ${modelSums()}
      from w
      where ${filterConditions(q.filters, "w")}
      group by 1
    ), un as (
      select count(*) as un_orders, coalesce(sum(o.order_total), 0) as un_revenue
      from o where not exists (select 1 from tp where tp.order_id = o.order_id)
    )
    select un.un_orders, un.un_revenue, agg.* from un left join agg on true`;
}

type SqlRow = { un_orders: number; un_revenue: number; key: string | null; credited: number } & Record<string, number | string | null>;

/**
 * The range cut to the local days from the first to the last order stored (two index probes of
 * orders_placed_idx), or null when it holds no order. Attribution credits the orders placed in
 * the range, so the answer is the same, and 1970-01-01…2999-12-31 over two years of orders costs
 * what those two years cost (SPEC 21).
 */
async function ordersRange(db: Db, q: AnalyticsQuery): Promise<AnalyticsQuery | null> {
  const iso = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
  const [r] = await rows<{ first: string | null; last: string | null }>(
    db,
    sql`select to_char(min(placed_at) at time zone 'UTC', ${sql.raw(iso)}) as first, to_char(max(placed_at) at time zone 'UTC', ${sql.raw(iso)}) as last from orders`,
  );
  if (!r?.first || !r.last) return null;
  const start = maxDate(q.range.start, dateInZone(new Date(r.first), q.tz));
  const end = minDate(q.range.end, dateInZone(new Date(r.last), q.tz));
  return start <= end ? { ...q, range: { start, end } } : null;
}
const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);

/** Unrounded sums per key for all six models, and the unattributed orders. */
export async function computeAttribution(db: Db, query: AnalyticsQuery, dimension: AttributionDimension, opts: ReadOptions = {}): Promise<RawAttribution> {
  const windowDays = config().attributionWindowDays;
  const q = await ordersRange(db, query);
  if (!q) return { keys: [], unattributed: { orders: 0, revenue: 0 } };
  if (await servedByCells(db, q.range, opts)) {
    const got = await loadAttributionCells(db, { dimension, tz: q.tz, filters: q.filters, windowHours: Math.round(windowDays * 24) }, q.range);
    return { keys: got.keys.map(rawKey), unattributed: got.unattributed };
  }
  const raw = await rows<SqlRow>(db, attributionSql(q, dimension, windowDays));
  const first = raw[0];
  const unattributed = { orders: Number(first?.un_orders ?? 0), revenue: Number(first?.un_revenue ?? 0) };
  const keys = raw.filter((r): r is SqlRow & KeySums => r.key !== null).map(rawKey);
  return { keys, unattributed };
}

/**
 * `GET /api/utm/attribution` (SPEC 13): one row per key credited by the model, sorted by revenue
 * desc, conversions desc, key (code points) — compared as answered (2 decimals), so keys whose
 * sums differ only by float noise tie and fall to the key order.
 */
export async function getAttribution(
  db: Db,
  q: AnalyticsQuery,
  model: AttributionModel,
  dimension: AttributionDimension,
  opts: ReadOptions = {},
): Promise<AttributionAnswer> {
  return modelAnswer(await computeAttribution(db, q, dimension, opts), model, dimension);
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
export async function getAttributionCompare(db: Db, q: AnalyticsQuery, dimension: AttributionDimension, opts: ReadOptions = {}): Promise<AttributionCompare> {
  const [raw, spend] = await Promise.all([computeAttribution(db, q, dimension, opts), spendFor(db, q, dimension)]);
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
