import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { pct } from "./format";
import type { AnalyticsQuery } from "./params";
import { CONVERTED, FIGURE } from "./session-figures";

/**
 * Events ("goals", SPEC 12): one row per event kind in the selected sessions. A kind is a
 * built-in type (`name` null) or a custom event's name. `sessions` = selected sessions with at
 * least one such event, `conversion_rate` = converted ones among them / sessions × 100. Sorted by
 * sessions desc, then type, then name (code-point order, nulls first).
 */

export type EventRow = { type: string; name: string | null; events: number; sessions: number; visitors: number; conversion_rate: number };
export type EventsReport = { rows: EventRow[] };

type Raw = Omit<EventRow, "conversion_rate"> & { converted: number };

export async function getEvents(db: Db, q: AnalyticsQuery): Promise<EventsReport> {
  const raw = await rows<Raw>(
    db,
    sql`select * from (
          select e.type::text as type,
                 case when e.type = 'custom' then e.name end as name,
                 count(*)::int as events,
                 count(distinct e.session_id)::int as sessions,
                 ${FIGURE.visitors} as visitors,
                 count(distinct e.session_id) filter (where ${CONVERTED})::int as converted
          from sessions s
          join events e on e.session_id = s.id
          where ${sessionWhere(q, "s")}
          group by 1, 2
        ) t
        order by sessions desc, type collate "C", name collate "C" nulls first`,
  );
  return {
    rows: raw.map((r) => ({
      type: r.type,
      name: r.name,
      events: r.events,
      sessions: r.sessions,
      visitors: r.visitors,
      conversion_rate: pct(r.converted, r.sessions),
    })),
  };
}
