import { sql, type SQL } from "drizzle-orm";
import { filterConditions } from "@/lib/analytics/filters";
import { dateInZone, type Filters } from "@/lib/analytics/params";
import { FIGURE } from "@/lib/analytics/session-figures";
import { getSpendAudit } from "@/lib/analytics/spend-audit";
import { rows, type Db } from "@/lib/db/client";
import { countedOrder } from "@/lib/db/counted-orders";
import type { AlertMetric } from "./vocabulary";

/**
 * One alert metric over one window of instants [from, to). The definitions are the dashboard's
 * (SPEC 3): session figures from lib/analytics/session-figures (FIGURE), filters through
 * filterConditions (the same allow-list), a paid order is countedOrder(), spend without sessions
 * is the spend audit's list. What differs is only the window: an alert looks at hours, so
 * - orders and revenue are the counted orders PLACED in the window (a session-scoped figure would
 *   keep growing for 30 days and never match its baseline), narrowed by their session's filters;
 * - conversion rate counts, of the sessions started in the window, those with a counted order
 *   placed before the window ended, so a baseline week had the same time to convert;
 * - tracker events per hour come from tracker_counters (SPEC 16's health counters), unfiltered;
 * - forwarding failures count forward_outbox rows whose last failure is in the window, unfiltered.
 */

export type Window = { from: Date; to: Date };
/** A day-grain window (spend): inclusive dates in `tz`. */
export type DayWindow = { start: string; end: string; tz: string };

const iso = (d: Date) => d.toISOString();

async function one(db: Db, q: SQL): Promise<number> {
  const [r] = await rows<{ v: number | null }>(db, q);
  return Number(r?.v ?? 0);
}

const inWindow = (col: string, w: Window): SQL =>
  sql`${sql.raw(col)} >= ${iso(w.from)}::timestamptz and ${sql.raw(col)} < ${iso(w.to)}::timestamptz`;

const pct = (num: number, den: number) => (den > 0 ? (num / den) * 100 : 0);

export async function hourlyMetric(db: Db, metric: AlertMetric, filters: Filters, w: Window, now: Date): Promise<number> {
  const f = filterConditions(filters, "s");
  switch (metric) {
    case "sessions":
      return one(db, sql`select ${FIGURE.sessions} as v from sessions s where ${inWindow("s.started_at", w)} and ${f}`);
    case "orders":
    case "revenue": {
      const agg = metric === "orders" ? sql`count(*)::int` : sql`coalesce(sum(o.total), 0)::float8`;
      // Without filters an unattributed order counts too; with them it has no dimensions to match.
      const join = Object.keys(filters).length ? sql`join sessions s on s.id = o.session_id and ${f}` : sql``;
      return one(db, sql`select ${agg} as v from orders o ${join} where ${countedOrder("o")} and ${inWindow("o.placed_at", w)}`);
    }
    case "conversion_rate": {
      const [r] = await rows<{ sessions: number; converted: number }>(
        db,
        sql`select ${FIGURE.sessions} as sessions,
                   count(*) filter (where exists (select 1 from orders o where o.session_id = s.id and ${countedOrder("o")}
                                                  and o.placed_at < ${iso(w.to)}::timestamptz))::int as converted
            from sessions s where ${inWindow("s.started_at", w)} and ${f}`,
      );
      return pct(Number(r?.converted ?? 0), Number(r?.sessions ?? 0));
    }
    case "direct_share": {
      const [r] = await rows<{ sessions: number; direct: number }>(
        db,
        sql`select ${FIGURE.sessions} as sessions, count(*) filter (where s.utm_source = '(direct)')::int as direct
            from sessions s where ${inWindow("s.started_at", w)} and ${f}`,
      );
      return pct(Number(r?.direct ?? 0), Number(r?.sessions ?? 0));
    }
    case "tracker_events": {
      const total = await one(db, sql`select coalesce(sum(count), 0)::float8 as v from tracker_counters where kind = 'event' and ${inWindow("minute", w)}`);
      return total / Math.max(1, (w.to.getTime() - w.from.getTime()) / 3_600_000);
    }
    case "spend_without_sessions":
      return dailySpendWithoutSessions(db, filters, { start: dateInZone(w.from, "UTC"), end: dateInZone(new Date(w.to.getTime() - 1), "UTC"), tz: "UTC" }, now);
    case "forwarding_failures":
      // Conversions forwarding (SPEC 19, lib/db/schema-forwarding.ts): outbox rows whose latest
      // failed try fell in the window, whether they will be retried or were given up.
      return one(db, sql`select count(*)::int as v from forward_outbox where ${inWindow("last_error_at", w)}`);
  }
}

/** Spend (APP_CURRENCY) on source+campaign pairs that had spend but no session in the days. */
export async function dailySpendWithoutSessions(db: Db, filters: Filters, d: DayWindow, now: Date): Promise<number> {
  const audit = await getSpendAudit(db, { range: { start: d.start, end: d.end }, period: "custom", filters, tz: d.tz, today: dateInZone(now, d.tz), now });
  return audit.spend_without_sessions.reduce((sum, r) => sum + r.spend, 0);
}
