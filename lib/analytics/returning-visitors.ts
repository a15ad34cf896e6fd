import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { money, pct } from "./format";
import type { AnalyticsQuery } from "./params";
import { figures } from "./session-figures";

/** New vs returning sessions (SPEC 3.1, 4): `is_returning` is kept on each session row. */

export type VisitorGroup = { sessions: number; conversions: number; conversion_rate: number; revenue: number };
export type ReturningVisitors = { new: VisitorGroup; returning: VisitorGroup; returning_share: number };

export async function getReturningVisitors(db: Db, q: AnalyticsQuery): Promise<ReturningVisitors> {
  const raw = await rows<{ is_returning: boolean; sessions: number; conversions: number; revenue: number }>(
    db,
    sql`select s.is_returning, ${figures("sessions", "conversions", "revenue")}
        from sessions s where ${sessionWhere(q, "s")}
        group by s.is_returning`,
  );
  const group = (returning: boolean): VisitorGroup => {
    const r = raw.find((x) => x.is_returning === returning) ?? { sessions: 0, conversions: 0, revenue: 0 };
    return { sessions: r.sessions, conversions: r.conversions, conversion_rate: pct(r.conversions, r.sessions), revenue: money(r.revenue) };
  };
  const n = group(false);
  const ret = group(true);
  return { new: n, returning: ret, returning_share: pct(ret.sessions, n.sessions + ret.sessions) };
}
