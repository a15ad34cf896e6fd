import { sql } from "drizzle-orm";
import { countedOrder } from "@/lib/db/counted-orders";
import { rows, type Db } from "@/lib/db/client";
import { filterConditions } from "./filters";
import { money } from "./format";
import { dateInZone, type DateRange, type Filters } from "./params";

/**
 * Realtime (SPEC 20, docs/watch.md): what is happening now. "Now" is the last 30 whole minutes
 * ending with the current one: 30 one-minute buckets, the last one still running. A visitor is
 * active when one of their (non-bot) events occurred in that window; their source is that of the
 * session the event belongs to. Filters narrow the sessions as everywhere (SPEC 3.4, 12).
 *
 * Every query is bounded by time on an index (events_occurred_idx, orders_placed_idx), so the
 * answer costs the same at 1M or 10M sessions: only the last minutes' rows are read.
 */

export const REALTIME_MINUTES = 30;
export const REALTIME_TOP = 10;
export const REALTIME_ORDERS = 10;
/** The last orders look back this far (a shop with few orders still sees its latest ones). */
export const REALTIME_ORDERS_HOURS = 24;

export type Realtime = {
  /** [from, to): the window, ISO-8601 UTC; `to` is the end of the current minute. */
  from: string;
  to: string;
  now: string;
  visitors: number;
  events: number;
  /** One bucket per minute, oldest first, `minute` its start (ISO-8601 UTC), zeros included. */
  per_minute: { minute: string; events: number }[];
  /** By active visitors, then key. */
  top_sources: { key: string; visitors: number }[];
  /** Page views in the window by path: distinct visitors, then views, then path. */
  top_pages: { key: string; visitors: number; page_views: number }[];
  /** Counted orders (countedOrder) placed in the last 24 h, newest first; no order or customer id. */
  last_orders: { placed_at: string; total: number; utm_source: string; utm_campaign: string }[];
};

const MINUTE = 60_000;

/** The calendar days the window touches: a share link answers realtime only when its range holds them. */
export function realtimeDays(now: Date, tz: string): DateRange {
  return { start: dateInZone(new Date(now.getTime() - REALTIME_MINUTES * MINUTE), tz), end: dateInZone(now, tz) };
}

export async function getRealtime(db: Db, opts: { now: Date; filters: Filters }): Promise<Realtime> {
  const to = new Date(Math.floor(opts.now.getTime() / MINUTE) * MINUTE + MINUTE);
  const from = new Date(to.getTime() - REALTIME_MINUTES * MINUTE);
  const f = filterConditions(opts.filters, "s");
  const win = sql`e.occurred_at >= ${from.toISOString()}::timestamptz and e.occurred_at < ${to.toISOString()}::timestamptz`;
  // Events of the window with their session's visitor and source: a short index range scan,
  // then one primary-key lookup per event. Materialised once and read by the four figures, all in
  // one statement (one round trip; lists come back as JSON text, parsed here on either driver).
  const [live] = await rows<{ visitors: number; events: number; minutes: string; sources: string; pages: string }>(
    db,
    sql`with recent as materialized (
          select e.occurred_at, e.type, e.path, s.visitor_key, s.utm_source
            from events e join sessions s on s.id = e.session_id
           where ${win} and ${f}),
        minutes as (
          select floor(extract(epoch from (occurred_at - ${from.toISOString()}::timestamptz)) / 60)::int as m, count(*)::int as events
            from recent group by 1),
        sources as (
          select utm_source as key, count(distinct visitor_key)::int as visitors from recent
           group by 1 order by 2 desc, utm_source collate "C" limit ${REALTIME_TOP}),
        pages as (
          select coalesce(path, '(none)') as key, count(distinct visitor_key)::int as visitors, count(*)::int as page_views
            from recent where type = 'page_view'
           group by 1 order by 2 desc, 3 desc, coalesce(path, '(none)') collate "C" limit ${REALTIME_TOP})
        select (select count(distinct visitor_key)::int from recent) as visitors,
               (select count(*)::int from recent) as events,
               (select coalesce(json_agg(json_build_array(m, events)), '[]')::text from minutes) as minutes,
               (select coalesce(json_agg(json_build_object('key', key, 'visitors', visitors) order by visitors desc, key collate "C"), '[]')::text from sources) as sources,
               (select coalesce(json_agg(json_build_object('key', key, 'visitors', visitors, 'page_views', page_views) order by visitors desc, page_views desc, key collate "C"), '[]')::text from pages) as pages`,
  );
  const minutes = (JSON.parse(live.minutes) as [number, number][]).map(([m, events]) => ({ m, events }));
  const sources = JSON.parse(live.sources) as Realtime["top_sources"];
  const pages = JSON.parse(live.pages) as Realtime["top_pages"];
  const since = new Date(opts.now.getTime() - REALTIME_ORDERS_HOURS * 3_600_000);
  // An order without an attributed session has no dimension: it belongs only to unfiltered views.
  const scoped = Object.keys(opts.filters).length > 0;
  const orders = await rows<{ placed_at: Date | string; total: number; utm_source: string | null; utm_campaign: string | null }>(
    db,
    sql`select o.placed_at, o.total, s.utm_source, s.utm_campaign
          from orders o ${scoped ? sql`join` : sql`left join`} sessions s on s.id = o.session_id
         where ${countedOrder("o")} and o.placed_at >= ${since.toISOString()}::timestamptz and o.placed_at <= ${opts.now.toISOString()}::timestamptz
           ${scoped ? sql`and ${f}` : sql``}
         order by o.placed_at desc, o.order_id limit ${REALTIME_ORDERS}`,
  );
  const perMinute = Array.from({ length: REALTIME_MINUTES }, (_, i) => ({ minute: new Date(from.getTime() + i * MINUTE).toISOString(), events: 0 }));
  for (const m of minutes) if (m.m >= 0 && m.m < REALTIME_MINUTES) perMinute[m.m].events = m.events;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    now: opts.now.toISOString(),
    visitors: live.visitors,
    events: live.events,
    per_minute: perMinute,
    top_sources: sources,
    top_pages: pages,
    last_orders: orders.map((o) => ({
      placed_at: new Date(o.placed_at).toISOString(),
      total: money(Number(o.total)),
      utm_source: o.utm_source ?? "(none)",
      utm_campaign: o.utm_campaign ?? "(none)",
    })),
  };
}
