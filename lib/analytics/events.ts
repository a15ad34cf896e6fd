import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { pct } from "./format";
import type { AnalyticsQuery } from "./params";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { sumBy } from "./rollups/sum";
import { CONVERTED, FIGURE } from "./session-figures";
import { byCodePoint } from "./sort-rows";

/**
 * Events ("goals", SPEC 12): one row per event kind in the selected sessions. A kind is a
 * built-in type (`name` null) or a custom event's name. `sessions` = selected sessions with at
 * least one such event, `conversion_rate` = converted ones among them / sessions × 100. Sorted by
 * sessions desc, then type, then name (code-point order, nulls first).
 */

export type EventRow = { type: string; name: string | null; events: number; sessions: number; visitors: number; conversion_rate: number };
export type EventsReport = { rows: EventRow[] };

type Raw = Omit<EventRow, "conversion_rate"> & { converted: number };

/** Rows from the event-kind cells (rollups/index.ts): key = JSON [type, name]. */
async function fromCells(db: Db, q: AnalyticsQuery): Promise<Raw[]> {
  const cells = await loadCells(db, { kind: "events", column: null, tz: q.tz, filters: q.filters }, q.range);
  const out = [...sumBy(cells, (c) => c.key)].map(([key, c]) => {
    const [type, name] = JSON.parse(key) as [string, string | null];
    return { type, name, events: c.events, sessions: c.sessions, visitors: c.visitors, converted: c.conversions };
  });
  const nullsFirst = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : byCodePoint(a, b));
  return out.sort((a, b) => b.sessions - a.sessions || byCodePoint(a.type, b.type) || nullsFirst(a.name, b.name));
}

export async function getEvents(db: Db, q: AnalyticsQuery, opts: ReadOptions = {}): Promise<EventsReport> {
  const raw = (await servedByCells(db, q.range, opts)) ? await fromCells(db, q) : await rawRows(db, q);
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

async function rawRows(db: Db, q: AnalyticsQuery): Promise<Raw[]> {
  return rows<Raw>(
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
}
