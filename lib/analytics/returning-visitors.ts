import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { money, pct } from "./format";
import type { AnalyticsQuery } from "./params";
import { totalsView } from "./general-stats";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { fromCents, sumCells } from "./rollups/sum";
import { figures } from "./session-figures";

/** New vs returning sessions (SPEC 3.1, 4): `is_returning` is kept on each session row. */

export type VisitorGroup = { sessions: number; conversions: number; conversion_rate: number; revenue: number };
export type ReturningVisitors = { new: VisitorGroup; returning: VisitorGroup; returning_share: number };

type Raw = { is_returning: boolean; sessions: number; conversions: number; revenue: number };

export async function getReturningVisitors(db: Db, q: AnalyticsQuery, opts: ReadOptions = {}): Promise<ReturningVisitors> {
  let raw: Raw[];
  if (await servedByCells(db, q.range, opts)) {
    const c = sumCells(await loadCells(db, totalsView(q), q.range, { visitors: false }));
    raw = [
      { is_returning: false, sessions: c.new_sessions, conversions: c.new_conversions, revenue: fromCents(c.new_revenue_cents) },
      { is_returning: true, sessions: c.sessions - c.new_sessions, conversions: c.conversions - c.new_conversions, revenue: fromCents(c.revenue_cents - c.new_revenue_cents) },
    ];
  } else raw = await rawGroups(db, q);
  return shape(raw);
}

async function rawGroups(db: Db, q: AnalyticsQuery): Promise<Raw[]> {
  return rows<Raw>(
    db,
    sql`select s.is_returning, ${figures("sessions", "conversions", "revenue")}
        from sessions s where ${sessionWhere(q, "s")}
        group by s.is_returning`,
  );
}

function shape(raw: Raw[]): ReturningVisitors {
  const group = (returning: boolean): VisitorGroup => {
    const r = raw.find((x) => x.is_returning === returning) ?? { sessions: 0, conversions: 0, revenue: 0 };
    return { sessions: r.sessions, conversions: r.conversions, conversion_rate: pct(r.conversions, r.sessions), revenue: money(r.revenue) };
  };
  const n = group(false);
  const ret = group(true);
  return { new: n, returning: ret, returning_share: pct(ret.sessions, n.sessions + ret.sessions) };
}
