import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { filterConditions, sessionWhere } from "./filters";
import { money, ratioOrNull } from "./format";
import { parseParams, type AnalyticsQuery, type SearchInput } from "./params";
import { cashRefundsBy, isCash, withCashRefunds } from "./net-revenue";
import { loadCells, servedByCells, type Cell, type ReadOptions } from "./rollups";
import { fromCents } from "./rollups/sum";
import { SOURCE_MEDIUM_CAMPAIGN } from "./rollups/views";
import { addMargin, marginOf, NO_MARGIN, type MarginParts } from "@/lib/profit/margin";
import { countedOrder } from "@/lib/db/counted-orders";
import { customerFilter } from "./filters";
import { rangeInstants } from "./params";
import { marginPartsOf } from "./rollups/sum";
import { figures, MARGIN_FIGURES } from "./session-figures";
import { byCodePoint } from "./sort-rows";

/**
 * ROI per utm_source + utm_campaign (SPEC 4). Sessions and their orders follow every filter;
 * ad spend (dated in the range) follows only the source/campaign filters, since spend has no
 * country or device. A `spend` what-if replaces the selection's total spend, shared over the rows
 * in proportion to their real spend (equally when none has any).
 */

export type RoiRow = {
  utm_source: string;
  utm_campaign: string;
  spend: number;
  sessions: number;
  orders: number;
  revenue: number;
  /** revenue − refunds (SPEC 17.5) on the query's basis; roi, roas and cpa stay on revenue. */
  net_revenue: number;
  /** Contribution margin of those orders (SPEC 18, docs/money.md) and how many had no known cost. */
  margin: number;
  orders_without_cost: number;
  /** POAS = margin / spend (null without spend). */
  poas: number | null;
  /** Customers whose first paid order, placed in the range, came through this pair (the ROI filters). */
  new_customers: number;
  /** nCAC = spend / new customers (null without new customers). */
  ncac: number | null;
  roi: number | null;
  roas: number | null;
  cpa: number | null;
};
/**
 * The total (SPEC 18): `roi`, `roas` and `cpa` of the rows WITH spend (their revenue and orders
 * over the spend), and `blended_roas` = MER, all revenue of the selection over all spend. Both
 * answer `null` without spend. `paid_revenue` / `paid_orders` are the rows-with-spend sums the
 * paid figures divide.
 */
export type RoiTotal = RoiRow & { paid_revenue: number; paid_orders: number; blended_roas: number | null };
// The total's poas and ncac are paid figures too: margin and new customers of the rows with spend.
export type Roi = { rows: RoiRow[]; total: RoiTotal };

const schema = z.object({
  spend: z.coerce
    .number({ error: "must be a number of at least 0" })
    .finite("must be a number of at least 0")
    .min(0, "must be a number of at least 0")
    .max(1e12, "must be at most 1000000000000")
    .optional(),
});

export function parseRoiParams(sp: SearchInput): { spend?: number } {
  const p = parseParams(sp, schema);
  return p.spend === undefined ? {} : { spend: p.spend };
}

type Raw = { utm_source: string; utm_campaign: string; spend: number; sessions: number; orders: number; revenue: number; refunded: number; new_customers: number } & MarginParts;

function roiRow(r: Raw): RoiRow {
  return {
    utm_source: r.utm_source,
    utm_campaign: r.utm_campaign,
    spend: money(r.spend),
    sessions: r.sessions,
    orders: r.orders,
    revenue: money(r.revenue),
    net_revenue: money(r.revenue - r.refunded),
    margin: money(marginOf(r)),
    orders_without_cost: r.uncosted_orders,
    poas: ratioOrNull(marginOf(r), r.spend),
    new_customers: r.new_customers,
    ncac: ratioOrNull(r.spend, r.new_customers),
    roi: r.spend === 0 ? null : ratioOrNull((r.revenue - r.spend) * 100, r.spend),
    roas: ratioOrNull(r.revenue, r.spend),
    cpa: ratioOrNull(r.spend, r.orders),
  };
}

type PairSums = { sessions: number; orders: number; revenue_cents: number; refunded_cents: number; margin: MarginParts };

/**
 * New customers per source + campaign (SPEC 18 nCAC): customers whose first paid order was placed
 * in the range, by their acquisition pair, narrowed by the filters on their acquisition session
 * (as the customer reports, SPEC 3.4).
 */
async function newCustomersByPair(db: Db, q: AnalyticsQuery): Promise<Map<string, number>> {
  const { from, to } = rangeInstants(q.range, q.tz);
  const got = await rows<{ utm_source: string; utm_campaign: string; n: number }>(
    db,
    sql`select c.utm_source::text as utm_source, c.utm_campaign::text as utm_campaign, count(*)::int as n
        from customers c
        where c.first_order_at >= ${from.toISOString()}::timestamptz and c.first_order_at < ${to.toISOString()}::timestamptz
          and ${customerFilter(q.filters, "c")}
        group by 1, 2`,
  );
  return new Map(got.map((r) => [JSON.stringify([r.utm_source, r.utm_campaign]), Number(r.n)]));
}

/** Sessions, orders and revenue per [source, campaign] of the selection, from day cells. */
export async function pairFiguresFromCells(
  db: Db,
  q: AnalyticsQuery,
): Promise<{ cells: Cell[]; pairs: Map<string, PairSums> }> {
  const cells = await loadCells(db, { kind: "sessions", column: SOURCE_MEDIUM_CAMPAIGN, tz: q.tz, filters: q.filters }, q.range, { visitors: false });
  const pairs = new Map<string, PairSums>();
  for (const c of cells) {
    const [source, , campaign] = JSON.parse(c.key) as [string, string, string];
    const k = JSON.stringify([source, campaign]);
    const p = pairs.get(k) ?? { sessions: 0, orders: 0, revenue_cents: 0, refunded_cents: 0, margin: NO_MARGIN };
    p.margin = addMargin(p.margin, marginPartsOf(c));
    p.sessions += c.sessions;
    p.orders += c.orders;
    p.revenue_cents += c.revenue_cents;
    p.refunded_cents += c.refunded_cents;
    pairs.set(k, p);
  }
  return { cells, pairs };
}

/** Spend per source + campaign dated in the range, narrowed by the source/campaign filters only. */
export function spendByPair(q: AnalyticsQuery): SQL {
  const spendFilters = filterConditions({ utm_source: q.filters.utm_source, utm_campaign: q.filters.utm_campaign }, "a");
  return sql`select a.utm_source, a.utm_campaign, sum(a.amount) as spend
             from ad_spend a
             where a.date >= ${q.range.start}::date and a.date <= ${q.range.end}::date and ${spendFilters}
             group by 1, 2`;
}

/** The rows of spendByPair, for the paths that join them to day cells in JS. */
export function spendRows(db: Db, q: AnalyticsQuery): Promise<{ utm_source: string; utm_campaign: string; spend: number }[]> {
  return rows(db, sql`select utm_source::text, utm_campaign::text, spend from (${spendByPair(q)}) a`);
}

/** The s_agg ⟗ a_agg rows of the raw query, with the sessions side from day cells. */
async function rowsFromCells(db: Db, q: AnalyticsQuery): Promise<Raw[]> {
  const [{ pairs }, spend] = await Promise.all([pairFiguresFromCells(db, q), spendRows(db, q)]);
  const out = new Map<string, Raw>();
  for (const [k, p] of pairs) {
    const [utm_source, utm_campaign] = JSON.parse(k) as [string, string];
    out.set(k, {
      utm_source,
      utm_campaign,
      spend: 0,
      sessions: p.sessions,
      orders: p.orders,
      revenue: fromCents(p.revenue_cents),
      refunded: fromCents(p.refunded_cents),
      new_customers: 0,
      ...p.margin,
    });
  }
  for (const a of spend) {
    const k = JSON.stringify([a.utm_source, a.utm_campaign]);
    const r = out.get(k);
    if (r) r.spend = Number(a.spend);
    else out.set(k, { utm_source: a.utm_source, utm_campaign: a.utm_campaign, spend: Number(a.spend), sessions: 0, orders: 0, revenue: 0, refunded: 0, new_customers: 0, ...NO_MARGIN });
  }
  return [...out.values()];
}

export async function getRoi(db: Db, q: AnalyticsQuery, opts: { spend?: number } & ReadOptions = {}): Promise<Roi> {
  const [raw, fresh] = await Promise.all([(await servedByCells(db, q.range, opts)) ? rowsFromCells(db, q) : rawRows(db, q), newCustomersByPair(db, q)]);
  // A pair's new customers join its row; a pair with new customers but no session or spend in the range adds none.
  for (const r of raw) r.new_customers = fresh.get(JSON.stringify([r.utm_source, r.utm_campaign])) ?? 0;
  if (!isCash(q)) return shapeRoi(raw, opts);
  // basis=cash (SPEC 17.5): each pair's refunds dated in the range; the total all of the selection's.
  const byPair = await cashRefundsBy(db, q, sql`json_build_array(s.utm_source, s.utm_campaign)`);
  const cash = new Map([...byPair].map(([k, v]) => [JSON.stringify(JSON.parse(k)), v]));
  const total = [...cash.values()].reduce((a, b) => a + b, 0);
  return shapeRoi(withCashRefunds(raw, cash, (r) => JSON.stringify([r.utm_source, r.utm_campaign])), opts, total);
}

async function rawRows(db: Db, q: AnalyticsQuery): Promise<Raw[]> {
  const got = await rows<Raw>(
    db,
    sql`with s_agg as (
          select s.utm_source, s.utm_campaign, ${figures("sessions", "orders", "revenue", "refunded", ...MARGIN_FIGURES)}
          from sessions s where ${sessionWhere(q, "s")}
          group by 1, 2
        ), a_agg as (${spendByPair(q)})
        select coalesce(s_agg.utm_source, a_agg.utm_source)::text as utm_source,
               coalesce(s_agg.utm_campaign, a_agg.utm_campaign)::text as utm_campaign,
               coalesce(a_agg.spend, 0) as spend,
               coalesce(s_agg.sessions, 0) as sessions,
               coalesce(s_agg.orders, 0) as orders,
               coalesce(s_agg.revenue, 0) as revenue,
               coalesce(s_agg.refunded, 0) as refunded,
               coalesce(s_agg.margin_known, 0)::float8 as margin_known, coalesce(s_agg.uncosted_orders, 0)::int as uncosted_orders,
               coalesce(s_agg.uncosted_net, 0)::float8 as uncosted_net, coalesce(s_agg.uncosted_revenue, 0)::float8 as uncosted_revenue
        from s_agg full join a_agg on a_agg.utm_source = s_agg.utm_source and a_agg.utm_campaign = s_agg.utm_campaign`,
  );
  return got.map((r) => ({ ...r, new_customers: 0 }));
}

function shapeRoi(raw: Raw[], opts: { spend?: number }, totalRefunded?: number): Roi {
  if (opts.spend !== undefined && raw.length > 0) {
    const real = raw.reduce((acc, r) => acc + r.spend, 0);
    const what = opts.spend;
    for (const r of raw) r.spend = real > 0 ? (what * r.spend) / real : what / raw.length;
  }
  raw.sort(
    (a, b) =>
      b.spend - a.spend ||
      b.revenue - a.revenue ||
      byCodePoint(a.utm_source, b.utm_source) ||
      byCodePoint(a.utm_campaign, b.utm_campaign),
  );
  const total = raw.reduce<Raw>(
    (acc, r) => ({
      ...acc,
      spend: acc.spend + r.spend,
      sessions: acc.sessions + r.sessions,
      orders: acc.orders + r.orders,
      revenue: acc.revenue + r.revenue,
      refunded: acc.refunded + r.refunded,
      new_customers: acc.new_customers + r.new_customers,
      ...addMargin(acc, r),
    }),
    { utm_source: "total", utm_campaign: "total", spend: 0, sessions: 0, orders: 0, revenue: 0, refunded: 0, new_customers: 0, ...NO_MARGIN },
  );
  if (totalRefunded !== undefined) total.refunded = totalRefunded;
  // With no rows at all, a what-if spend still is the selection's spend.
  if (opts.spend !== undefined && raw.length === 0) total.spend = opts.spend;
  return { rows: raw.map(roiRow), total: roiTotal(raw, total) };
}

/** The total row: paid figures over the rows with spend, blended ROAS (MER) over the selection. */
function roiTotal(raw: readonly Raw[], total: Raw): RoiTotal {
  const paid = raw.filter((r) => r.spend > 0);
  const paidRevenue = paid.reduce((a, r) => a + r.revenue, 0);
  const paidOrders = paid.reduce((a, r) => a + r.orders, 0);
  const paidMargin = paid.reduce<MarginParts>((a, r) => addMargin(a, r), NO_MARGIN);
  const paidNew = paid.reduce((a, r) => a + r.new_customers, 0);
  const paidRow = roiRow({ ...total, revenue: paidRevenue, orders: paidOrders, new_customers: paidNew, ...paidMargin });
  return {
    ...roiRow(total),
    roi: paidRow.roi,
    roas: paidRow.roas,
    cpa: paidRow.cpa,
    poas: paidRow.poas,
    ncac: paidRow.ncac,
    paid_revenue: money(paidRevenue),
    paid_orders: paidOrders,
    blended_roas: ratioOrNull(total.revenue, total.spend),
  };
}
