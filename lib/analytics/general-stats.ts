import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { money, pct, ratio } from "./format";
import type { AnalyticsQuery } from "./params";

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
  new_sessions: number;
  returning_sessions: number;
  bounced: number;
  page_views: number;
};

/** The figures every session-scoped report gives per row (general stats, each breakdown row). */
export type SessionFigures = {
  sessions: number;
  visitors: number;
  conversions: number;
  conversion_rate: number;
  orders: number;
  revenue: number;
  aov: number;
  revenue_per_session: number;
};

export type GeneralStats = SessionFigures & {
  new_sessions: number;
  returning_sessions: number;
  bounce_rate: number;
  avg_page_views: number;
};

/**
 * Distinct visitors are counted on `visitor_key`, the database's 64-bit hash of visitor_id (see
 * schema.ts): the cheapest exact-in-practice form measured at 1M sessions.
 */
export async function getRawStats(db: Db, q: Pick<AnalyticsQuery, "range" | "filters" | "tz">): Promise<RawStats> {
  const where: SQL = sessionWhere(q, "s");
  const [r] = await rows<RawStats>(
    db,
    sql`select count(*)::int as sessions,
               count(distinct s.visitor_key)::int as visitors,
               count(*) filter (where s.paid_orders > 0)::int as conversions,
               coalesce(sum(s.paid_orders), 0)::int as orders,
               coalesce(sum(s.revenue), 0)::float8 as revenue,
               count(*) filter (where not s.is_returning)::int as new_sessions,
               count(*) filter (where s.is_returning)::int as returning_sessions,
               count(*) filter (where s.event_count <= 1)::int as bounced,
               coalesce(sum(s.page_views), 0)::float8 as page_views
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
    sessions: r.sessions,
    visitors: r.visitors,
    conversions: r.conversions,
    conversion_rate: pct(r.conversions, r.sessions),
    orders: r.orders,
    revenue: money(r.revenue),
    aov: ratio(r.revenue, r.orders),
    revenue_per_session: ratio(r.revenue, r.sessions),
    new_sessions: r.new_sessions,
    returning_sessions: r.returning_sessions,
    bounce_rate: pct(r.bounced, r.sessions),
    avg_page_views: ratio(r.page_views, r.sessions),
  };
}

export async function getGeneralStats(db: Db, q: AnalyticsQuery): Promise<GeneralStats> {
  return formatStats(await getRawStats(db, q));
}
