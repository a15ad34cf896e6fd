import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { addDays, daysBetween } from "../calendar";
import { filterConditions } from "../filters";
import { FILTER_COLUMNS, startOfDayInstant } from "../params";
import { CONVERTED, FIGURE, reachedStep } from "../session-figures";
import { checkRefreshDeadline, yieldToOthers } from "./deadline";
import { ROLLUP_LOCK_SPACE } from "./stamps";
import type { ViewSpec } from "./views";

/**
 * (Re)computes the cells of the given days of a view from the sessions, with the same figure
 * definitions as the raw reports (session-figures.ts), and records the stamp each day was read
 * at. Days go in runs of consecutive dates, at most MAX_RUN_DAYS per statement (a week: ~100k sessions at 10M a year), so no statement
 * outlives the app's statement timeout however large the shop; each run is one transaction that
 * holds the view's advisory lock, so two requests never interleave their delete and insert.
 */

const MAX_RUN_DAYS = 7;

const COLUMNS = new Set<string>(Object.values(FILTER_COLUMNS));

/** Consecutive dates together, each run at most `max` long. */
export function dayRuns(days: readonly string[], max = MAX_RUN_DAYS): { start: string; end: string }[] {
  const runs: { start: string; end: string }[] = [];
  for (const d of [...days].sort()) {
    const last = runs[runs.length - 1];
    if (last && addDays(last.end, 1) === d && daysBetween(last.start, d) < max) last.end = d;
    else runs.push({ start: d, end: d });
  }
  return runs;
}

function keyOf(v: ViewSpec): SQL {
  if (v.kind === "events") return sql`json_build_array(e.type::text, case when e.type = 'custom' then e.name end)::text`;
  if (v.column === null) return sql`''`;
  const cols = v.column.split("+");
  for (const c of cols) if (!COLUMNS.has(c)) throw new Error(`unknown rollup column ${c}`);
  // Several columns (e.g. ROI's source + medium + campaign): the key is their JSON array.
  return cols.length === 1 ? sql.raw(`s.${cols[0]}::text`) : sql.raw(`json_build_array(${cols.map((c) => `s.${c}`).join(", ")})::text`);
}

const cents = (x: SQL): SQL => sql`round(coalesce(${x}, 0) * 100)::bigint`;

/** The aggregate list, over `s` = the selected sessions (with `d`, `k`) joined to their number `n`. */
function aggregates(v: ViewSpec): SQL {
  const visitors = sql`string_agg(distinct int4send(n.num), ''::bytea)`;
  if (v.kind === "events") {
    // A session counts once per kind (its own day), its events each; conversions = converted sessions.
    return sql`count(distinct s.id), count(distinct s.id) filter (where ${CONVERTED}), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0, ${visitors}`;
  }
  return sql`${FIGURE.sessions}, ${FIGURE.conversions}, ${FIGURE.orders}, ${cents(sql`sum(s.revenue)`)}, ${cents(sql`sum(s.refunded)`)},
    ${FIGURE.new_sessions}, count(*) filter (where not s.is_returning and ${CONVERTED}),
    ${cents(sql`sum(s.revenue) filter (where not s.is_returning)`)},
    ${FIGURE.bounced}, ${FIGURE.page_views},
    count(*) filter (where ${reachedStep(1)}), count(*) filter (where ${reachedStep(2)}), count(*) filter (where ${reachedStep(3)}),
    0, ${cents(sql`sum(s.margin)`)}, coalesce(sum(s.uncosted_orders), 0)::int, ${cents(sql`sum(s.uncosted_net)`)}, ${cents(sql`sum(s.uncosted_revenue)`)},
    ${visitors}`;
}

export async function refreshDays(db: Db, viewId: number, v: ViewSpec, stamps: ReadonlyMap<string, number>, days: readonly string[]): Promise<void> {
  let done = 0;
  for (const run of dayRuns(days)) {
    // Each request computes at least one run, so asking again always gets further (deadline.ts).
    if (done > 0) checkRefreshDeadline(done, days.length);
    await yieldToOthers();
    done += daysBetween(run.start, run.end) + 1;
    const from = startOfDayInstant(run.start, v.tz).toISOString();
    const to = startOfDayInstant(addDays(run.end, 1), v.tz).toISOString();
    const where = sql`s.started_at >= ${from}::timestamptz and s.started_at < ${to}::timestamptz and ${filterConditions(v.filters, "s")}`;
    // Numbers for new visitors first, in key order (concurrent inserts then never deadlock), and
    // committed on their own, outside the view's lock. Both lookups of visitor_numbers are LATERAL
    // … LIMIT 1 so they stay index probes: as joins the planner hashed the whole table (7× slower
    // at 1M sessions, and growing with every visitor ever seen).
    await rows(
      db,
      sql`insert into visitor_numbers (visitor_key)
          select distinct s.visitor_key from sessions s
          left join lateral (select 1 as found from visitor_numbers x where x.visitor_key = s.visitor_key limit 1) f on true
          where ${where} and f.found is null
          order by 1
          on conflict do nothing`,
    );
    const source =
      v.kind === "events"
        ? sql`select (s.started_at at time zone ${v.tz})::date as d, ${keyOf(v)} as k, s.id, s.visitor_key, s.paid_orders
              from sessions s join events e on e.session_id = s.id where ${where}`
        : sql`select (s.started_at at time zone ${v.tz})::date as d, ${keyOf(v)} as k, s.* from sessions s where ${where}`;
    const runStamps = JSON.stringify([...stamps].filter(([d]) => d >= run.start && d <= run.end));
    await db.transaction(async (tx) => {
      await rows(tx, sql`select pg_advisory_xact_lock(${ROLLUP_LOCK_SPACE}, ${viewId})`);
      await rows(tx, sql`delete from rollup_cells where view_id = ${viewId} and day between ${run.start}::date and ${run.end}::date`);
      await rows(
        tx,
        sql`insert into rollup_cells (view_id, day, key, sessions, conversions, orders, revenue_cents, refunded_cents, new_sessions,
              new_conversions, new_revenue_cents, bounced, page_views, funnel1, funnel2, funnel3, events,
              margin_cents, uncosted_orders, uncosted_net_cents, uncosted_revenue_cents, visitor_nums)
            select ${viewId}, s.d, s.k, ${aggregates(v)}
            from (${source}) s cross join lateral (select x.num from visitor_numbers x where x.visitor_key = s.visitor_key limit 1) n
            where s.d between ${run.start}::date and ${run.end}::date
            group by s.d, s.k`,
      );
      await rows(
        tx,
        sql`insert into rollup_days (view_id, day, stamp)
            select ${viewId}, (j->>0)::date, (j->>1)::bigint from json_array_elements(${runStamps}::json) j
            on conflict (view_id, day) do update set stamp = excluded.stamp`,
      );
    });
  }
}
