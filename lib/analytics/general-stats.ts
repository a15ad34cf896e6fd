import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { pct, ratio } from "./format";
import type { AnalyticsQuery } from "./params";
import { cashRefundsTotal, isCash } from "./net-revenue";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { marginOf, type MarginParts } from "@/lib/profit/margin";
import { fromCents, marginPartsOf, sumCells, type CellSum } from "./rollups/sum";
import type { ViewSpec } from "./rollups/views";
import { figures, ROW_FIGURES, shapeFigures, type SessionFigures } from "./session-figures";

/**
 * General stats (SPEC 4 first row): one pass over the selected sessions, using the facts kept on
 * each session row (page_views, event_count, is_returning, paid_orders, revenue), so orders and
 * revenue are the paid orders attributed to those sessions whenever they were placed.
 */

export type RawStats = {
  sessions: number;
  visitors: number;
  conversions: number;
  orders: number;
  revenue: number;
  /** Refunds net revenue subtracts, on the query's basis (net-revenue.ts). */
  refunded: number;
  new_sessions: number;
  returning_sessions: number;
  bounced: number;
  page_views: number;
} & MarginParts;

export type GeneralStats = SessionFigures & {
  new_sessions: number;
  returning_sessions: number;
  bounce_rate: number;
  avg_page_views: number;
};

/** The stats of a selection from its day cells (rollups/index.ts). */
export function statsOfCells(c: CellSum): RawStats {
  return {
    sessions: c.sessions,
    visitors: c.visitors,
    conversions: c.conversions,
    orders: c.orders,
    revenue: fromCents(c.revenue_cents),
    refunded: fromCents(c.refunded_cents),
    new_sessions: c.new_sessions,
    returning_sessions: c.sessions - c.new_sessions,
    bounced: c.bounced,
    page_views: c.page_views,
    ...marginPartsOf(c),
  };
}

/** The cells of a selection grouped by nothing (general stats, timeseries, funnel, new vs returning). */
export function totalsView(q: Pick<AnalyticsQuery, "filters" | "tz">): ViewSpec {
  return { kind: "sessions", column: null, tz: q.tz, filters: q.filters };
}

export async function getRawStats(db: Db, q: Pick<AnalyticsQuery, "range" | "filters" | "tz" | "basis">, opts: ReadOptions = {}): Promise<RawStats> {
  const stats = await getAccrualStats(db, q, opts);
  return isCash(q) ? { ...stats, refunded: await cashRefundsTotal(db, q) } : stats;
}

async function getAccrualStats(db: Db, q: Pick<AnalyticsQuery, "range" | "filters" | "tz">, opts: ReadOptions): Promise<RawStats> {
  if (await servedByCells(db, q.range, opts)) return statsOfCells(sumCells(await loadCells(db, totalsView(q), q.range)));
  const where: SQL = sessionWhere(q, "s");
  const [r] = await rows<RawStats>(
    db,
    sql`select ${figures(...ROW_FIGURES, "new_sessions", "returning_sessions", "bounced", "page_views")}
        from sessions s
        where ${where}`,
  );
  return r;
}

/** Unrounded derived figures: compare computes its changes from these. */
export function derivedStats(r: RawStats): Record<keyof GeneralStats, number> {
  const d = (n: number, den: number) => (den === 0 ? 0 : n / den);
  return {
    sessions: r.sessions,
    visitors: r.visitors,
    conversions: r.conversions,
    conversion_rate: d(r.conversions, r.sessions) * 100,
    orders: r.orders,
    revenue: r.revenue,
    net_revenue: r.revenue - r.refunded,
    margin: marginOf(r),
    orders_without_cost: r.uncosted_orders,
    aov: d(r.revenue, r.orders),
    revenue_per_session: d(r.revenue, r.sessions),
    new_sessions: r.new_sessions,
    returning_sessions: r.returning_sessions,
    bounce_rate: d(r.bounced, r.sessions) * 100,
    avg_page_views: d(r.page_views, r.sessions),
  };
}

export function formatStats(r: RawStats): GeneralStats {
  return {
    ...shapeFigures(r),
    new_sessions: r.new_sessions,
    returning_sessions: r.returning_sessions,
    bounce_rate: pct(r.bounced, r.sessions),
    avg_page_views: ratio(r.page_views, r.sessions),
  };
}

export async function getGeneralStats(db: Db, q: AnalyticsQuery, opts: ReadOptions = {}): Promise<GeneralStats> {
  return formatStats(await getRawStats(db, q, opts));
}
