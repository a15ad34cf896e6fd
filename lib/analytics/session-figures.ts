import { sql, type SQL } from "drizzle-orm";
import { marginOf, type MarginParts } from "@/lib/profit/margin";
import { money, pct, ratio } from "./format";

/**
 * The session figures (SPEC 3.1, 4), each defined once: as an aggregate SQL fragment over
 * `sessions s` (the facts kept on each session row: paid_orders, revenue, event_count,
 * page_views, is_returning) and, for the figures every session-scoped row shows, one shaper
 * that rounds them for the answer. Used by general stats, breakdowns, timeseries, A/B test,
 * new vs returning, funnel, events, the sessions list and the exports built on them.
 */

/** A converted session: at least one paid order attributed to it (SPEC 3.1). */
export const CONVERTED: SQL = sql`s.paid_orders > 0`;

/**
 * Funnel (SPEC 4): a session has reached step k (1 product_view, 2 add_to_cart, 3 checkout_start)
 * when its furthest step is k or later, or when it converted (a paid order passed every step).
 */
export const reachedStep = (k: 1 | 2 | 3): SQL => sql`(s.funnel_step >= ${sql.raw(String(k))} or ${CONVERTED})`;

/**
 * Each figure as an aggregate over the grouped `sessions s` rows, typed for both drivers.
 * Distinct visitors are counted on `visitor_key`, the database's 64-bit hash of visitor_id
 * (see schema.ts): the cheapest exact-in-practice form measured at 1M sessions.
 */
export const FIGURE = {
  sessions: sql`count(*)::int`,
  visitors: sql`count(distinct s.visitor_key)::int`,
  conversions: sql`count(*) filter (where ${CONVERTED})::int`,
  orders: sql`coalesce(sum(s.paid_orders), 0)::int`,
  revenue: sql`coalesce(sum(s.revenue), 0)::float8`,
  /** Refunds of those paid orders, whenever dated (SPEC 17.5, accrual; sessions.refunded). */
  refunded: sql`coalesce(sum(s.refunded), 0)::float8`,
  /** Profit facts of those orders (SPEC 18, lib/profit): the margin is made of them by marginOf. */
  margin_known: sql`coalesce(sum(s.margin), 0)::float8`,
  uncosted_orders: sql`coalesce(sum(s.uncosted_orders), 0)::int`,
  uncosted_net: sql`coalesce(sum(s.uncosted_net), 0)::float8`,
  uncosted_revenue: sql`coalesce(sum(s.uncosted_revenue), 0)::float8`,
  new_sessions: sql`count(*) filter (where not s.is_returning)::int`,
  returning_sessions: sql`count(*) filter (where s.is_returning)::int`,
  /** A bounce: a session with at most one event. */
  bounced: sql`count(*) filter (where s.event_count <= 1)::int`,
  page_views: sql`coalesce(sum(s.page_views), 0)::float8`,
} satisfies Record<string, SQL>;
export type FigureName = keyof typeof FIGURE;

/** `fig as name, …` for a select list. */
export function figures(...names: FigureName[]): SQL {
  return sql.join(
    names.map((n) => sql`${FIGURE[n]} as ${sql.raw(n)}`),
    sql`, `,
  );
}

/** The profit facts every revenue row carries (SPEC 18). */
export const MARGIN_FIGURES = ["margin_known", "uncosted_orders", "uncosted_net", "uncosted_revenue"] as const satisfies FigureName[];

/**
 * The figures every session-scoped row is built from. `refunded` is what net revenue subtracts:
 * the accrual refunds from the sessions, or (basis=cash) the refunds dated in the range put in
 * its place by net-revenue.ts.
 */
export const ROW_FIGURES: FigureName[] = ["sessions", "visitors", "conversions", "orders", "revenue", "refunded", ...MARGIN_FIGURES];
export type RawFigures = { sessions: number; visitors: number; conversions: number; orders: number; revenue: number; refunded: number } & MarginParts;

/** The figures every session-scoped report gives per row (general stats, each breakdown row). */
export type SessionFigures = {
  sessions: number;
  visitors: number;
  conversions: number;
  conversion_rate: number;
  orders: number;
  revenue: number;
  /** revenue − refunds (SPEC 17.5), on the query's basis. */
  net_revenue: number;
  /**
   * Contribution margin (SPEC 18, docs/money.md): net revenue (accrual) − COGS − shipping cost −
   * payment fees of the orders with a known cost, plus the others only when DEFAULT_MARGIN_PCT is set.
   */
  margin: number;
  /** Orders without a known cost among `orders`. */
  orders_without_cost: number;
  aov: number;
  revenue_per_session: number;
};

/** The one row shape: counts as they are, rates and money rounded at the answer edge. */
export function shapeFigures(r: RawFigures): SessionFigures {
  return {
    sessions: r.sessions,
    visitors: r.visitors,
    conversions: r.conversions,
    conversion_rate: pct(r.conversions, r.sessions),
    orders: r.orders,
    revenue: money(r.revenue),
    net_revenue: money(r.revenue - r.refunded),
    margin: money(marginOf(r)),
    orders_without_cost: r.uncosted_orders,
    aov: ratio(r.revenue, r.orders),
    revenue_per_session: ratio(r.revenue, r.sessions),
  };
}
