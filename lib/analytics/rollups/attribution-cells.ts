import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { isForeignKeyViolation } from "@/lib/db/pg-errors";
import type { KeySums } from "../attribution";
import { ATTRIBUTION_DIMENSIONS, creditColumns, creditsCtes, MODEL_COLUMN, modelSums, type AttributionDimension } from "../attribution-credits";
import { addDays, type DateRange } from "../calendar";
import { filterConditions } from "../filters";
import { rangeInstants, startOfDayInstant, type Filters } from "../params";
import { ATTRIBUTION_MODELS } from "../vocabulary";
import { dayRuns } from "./compute";
import { compactMarks, ROLLUP_LOCK_SPACE, shouldMerge } from "./stamps";
import { forgetView, viewId, viewKey, type ViewSpec } from "./views";

/**
 * Attribution day cells (issue 14): the models' sums of the orders PLACED on each local day, per
 * key of a dimension under a filter set, so a year adds up 365 days of cells instead of crediting
 * every order of the year at once (3.4 s at 10M sessions).
 *
 * What a day depends on, and so what its stamp sums (schema.ts "Attribution day cells"):
 *   - its orders: the order marks of the UTC hours overlapping the day;
 *   - the sessions that can be their touchpoints (their marks in touchpoint_changes, which skip
 *     updates of facts only): those started in [day start − window, day end)
 *     (a visitor's touchpoints lie in [placed_at − window, placed_at]), and the sessions the
 *     day's orders name or were fixed to when erased, at any time. The day keeps the hour span it
 *     read (`dep_from`, `dep_to`: the window span widened to those sessions' hours) and its stamp
 *     sums the session marks of that span.
 * A day computed while a named session lay outside the span it was read with gets stamp −1 and
 * the wider span, so the next read recomputes it under a stamp that covers that session.
 * Every float8 sum is the raw query's sum regrouped by day: equal up to the last bits, which the
 * answers' 2-decimal rounding removes (the equivalence test bounds the difference).
 */

export type AttributionViewInput = { dimension: AttributionDimension; tz: string; filters: Filters; windowHours: number };

type DayState = { day: string; stamp: number; s_from: string; s_to: string };

const spec = (v: AttributionViewInput): ViewSpec => ({
  kind: "attribution",
  column: ATTRIBUTION_DIMENSIONS[v.dimension],
  tz: v.tz,
  filters: v.filters,
  windowHours: v.windowHours,
});

/**
 * Each day of `range` that holds orders, with its stamp and whether the view's cells were
 * computed at it; how many mark rows could be merged; whether the view still exists.
 */
async function attributionDayStates(db: Db, view: { id: number; key: string }, v: AttributionViewInput, range: DateRange) {
  const hourCeil = (x: string) => `date_trunc('hour', ${x} + interval '1 hour' - interval '1 microsecond')`;
  const got = await rows<DayState & { fresh: boolean; has_orders: boolean; excess: number; view_exists: boolean; lo: string; hi: string }>(
    db,
    sql`with days as (
          select g::date as day,
                 (g::date::timestamp at time zone ${v.tz}) at time zone 'UTC' as ds,
                 ((g::date + 1)::timestamp at time zone ${v.tz}) at time zone 'UTC' as de
          from generate_series(${range.start}::date, ${range.end}::date, interval '1 day') g
        ), d as (
          select days.day, date_trunc('hour', days.ds) as o_from, ${sql.raw(hourCeil("days.de"))} as o_to,
                 coalesce(a.dep_from, date_trunc('hour', days.ds - make_interval(hours => ${v.windowHours}::int))) as s_from,
                 coalesce(a.dep_to, ${sql.raw(hourCeil("days.de"))}) as s_to,
                 a.stamp as kept
          from days left join rollup_attribution_days a on a.view_id = ${view.id} and a.day = days.day
        ), b as (
          select min(o_from) as o_lo, max(o_to) as o_hi, min(s_from) as s_lo, max(s_to) as s_hi from d
        ), om as (
          select c.hour, sum(c.weight) as w, count(*) - 1 as extra from order_changes c, b
          where c.hour >= b.o_lo and c.hour < b.o_hi group by c.hour
        ), sm as (
          select c.hour, sum(c.weight) as w, count(*) - 1 as extra from touchpoint_changes c, b
          where c.hour >= b.s_lo and c.hour < b.s_hi group by c.hour
        ), oc as (
          -- Σ of the marks of the hours before h: a span's sum is the difference of its ends.
          select h.h, sum(coalesce(om.w, 0)) over (order by h.h rows unbounded preceding) - coalesce(om.w, 0) as before
          from b cross join generate_series(b.o_lo, b.o_hi, interval '1 hour') h(h) left join om on om.hour = h.h
        ), sc as (
          select h.h, sum(coalesce(sm.w, 0)) over (order by h.h rows unbounded preceding) - coalesce(sm.w, 0) as before
          from b cross join generate_series(b.s_lo, b.s_hi, interval '1 hour') h(h) left join sm on sm.hour = h.h
        ), st as (
          select d.day, d.kept, d.s_from, d.s_to, o2.before - o1.before as orders_w, (o2.before - o1.before) + (s2.before - s1.before) as stamp
          from d join oc o1 on o1.h = d.o_from join oc o2 on o2.h = d.o_to
                 join sc s1 on s1.h = d.s_from join sc s2 on s2.h = d.s_to
        )
        select to_char(st.day, 'YYYY-MM-DD') as day, st.stamp::float8 as stamp, st.orders_w > 0 as has_orders,
               coalesce(st.kept = st.stamp, false) as fresh,
               to_char(st.s_from, 'YYYY-MM-DD"T"HH24:MI:SS') as s_from, to_char(st.s_to, 'YYYY-MM-DD"T"HH24:MI:SS') as s_to,
               ((select coalesce(sum(extra), 0) from om) + (select coalesce(sum(extra), 0) from sm))::float8 as excess,
               to_char(b.s_lo, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as lo, to_char(b.s_hi, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as hi,
               exists (select 1 from rollup_views v where v.id = ${view.id} and v.key = ${view.key}) as view_exists
        from st cross join b`,
  );
  return {
    stale: got.filter((r) => r.has_orders && !r.fresh).map((r) => ({ day: r.day, stamp: Number(r.stamp), s_from: r.s_from, s_to: r.s_to })),
    excess: got.length ? Number(got[0].excess) : 0,
    sessionSpan: got.length ? { from: new Date(got[0].lo), to: new Date(got[0].hi) } : null,
    viewExists: got.length ? got[0].view_exists : false,
  };
}

/** Recomputes the given days' cells (runs of at most a week, each one statement under the view's lock). */
async function refreshAttributionDays(db: Db, id: number, v: AttributionViewInput, stale: readonly DayState[]): Promise<void> {
  const byDay = new Map(stale.map((s) => [s.day, s]));
  const keyCol = sql.raw(`w.${ATTRIBUTION_DIMENSIONS[v.dimension]}`);
  const cols = ATTRIBUTION_MODELS.flatMap((m) => [`${MODEL_COLUMN[m]}_conv`, `${MODEL_COLUMN[m]}_rev`]);
  for (const run of dayRuns([...byDay.keys()])) {
    const from = startOfDayInstant(run.start, v.tz);
    const to = startOfDayInstant(addDays(run.end, 1), v.tz);
    const states = JSON.stringify([...byDay.values()].filter((s) => s.day >= run.start && s.day <= run.end));
    const ctes = creditsCtes({ from, to, windowHours: v.windowHours, columns: creditColumns(v.dimension, v.filters), dayTz: v.tz });
    await db.transaction(async (tx) => {
      await rows(tx, sql`select pg_advisory_xact_lock(${ROLLUP_LOCK_SPACE}, ${id})`);
      await rows(tx, sql`delete from rollup_attribution_cells where view_id = ${id} and day between ${run.start}::date and ${run.end}::date`);
      // One statement: the cells, the unattributed orders and the named sessions' span see one snapshot.
      await rows(
        tx,
        sql`${ctes}, agg as (
              select w.d, ${keyCol}::text as key, ${modelSums()}
              from w where ${filterConditions(v.filters, "w")}
              group by 1, 2
            ), cells as (
              insert into rollup_attribution_cells (view_id, day, key, ${sql.raw(cols.join(", "))}, credited)
              select ${id}, agg.d, agg.key, ${sql.raw(cols.map((c) => `agg.${c}`).join(", "))}, agg.credited
              from agg where agg.d between ${run.start}::date and ${run.end}::date
            ), un as (
              select o.d, count(*)::int as n, round(sum(o.order_total)::numeric, 2) as revenue
              from o where not exists (select 1 from tp where tp.order_id = o.order_id)
              group by o.d
            ), dep as (
              select fx.d, min(fx.started_at at time zone 'UTC') as lo, max(fx.started_at at time zone 'UTC') as hi from fx group by fx.d
            )
            insert into rollup_attribution_days (view_id, day, stamp, dep_from, dep_to, unattributed_orders, unattributed_revenue)
            select ${id}, j.day,
                   case when dep.lo is null or (dep.lo >= j.s_from and dep.hi < j.s_to) then j.stamp else -1 end,
                   least(j.s_from, date_trunc('hour', dep.lo)), greatest(j.s_to, date_trunc('hour', dep.hi) + interval '1 hour'),
                   coalesce(un.n, 0), coalesce(un.revenue, 0)
            from json_to_recordset(${states}::json) j(day date, stamp bigint, s_from timestamp, s_to timestamp)
            left join un on un.d = j.day left join dep on dep.d = j.day
            on conflict (view_id, day) do update set stamp = excluded.stamp, dep_from = excluded.dep_from, dep_to = excluded.dep_to,
              unattributed_orders = excluded.unattributed_orders, unattributed_revenue = excluded.unattributed_revenue`,
      );
    });
  }
}

export type AttributionCells = { keys: KeySums[]; unattributed: { orders: number; revenue: number } };

/** The models' sums per key over the days of `range`, recomputing the days whose stamp moved. */
export async function loadAttributionCells(db: Db, v: AttributionViewInput, range: DateRange, retried = false): Promise<AttributionCells> {
  const view = spec(v);
  const id = await viewId(db, view);
  // Stamps are read before any cell is computed (as for session cells, index.ts).
  const { stale, excess, sessionSpan, viewExists } = await attributionDayStates(db, { id, key: viewKey(view) }, v, range);
  if (!viewExists) {
    if (retried) throw new Error("rollup view vanished twice in a row");
    forgetView(db, view);
    return loadAttributionCells(db, v, range, true);
  }
  if (stale.length) {
    try {
      await refreshAttributionDays(db, id, v, stale);
    } catch (e) {
      if (!isForeignKeyViolation(e) || retried) throw e;
      forgetView(db, view);
      return loadAttributionCells(db, v, range, true);
    }
  }
  if (shouldMerge(excess)) {
    // Housekeeping only: a failed merge leaves the sums as they were.
    const { from, to } = rangeInstants(range, v.tz);
    await compactMarks(db, from, to, "order_changes").catch(() => undefined);
    if (sessionSpan) await compactMarks(db, sessionSpan.from, sessionSpan.to, "touchpoint_changes").catch(() => undefined);
  }
  const sums = ATTRIBUTION_MODELS.flatMap((m) => [`${MODEL_COLUMN[m]}_conv`, `${MODEL_COLUMN[m]}_rev`].map((c) => `sum(${c}) as ${c}`));
  const [keys, [un]] = await Promise.all([
    rows<KeySums>(
      db,
      sql`select key, ${sql.raw(sums.join(", "))}, bit_or(credited) as credited
          from rollup_attribution_cells where view_id = ${id} and day between ${range.start}::date and ${range.end}::date
          group by key`,
    ),
    rows<{ orders: number; revenue: number }>(
      db,
      sql`select coalesce(sum(unattributed_orders), 0)::float8 as orders, coalesce(sum(unattributed_revenue), 0)::float8 as revenue
          from rollup_attribution_days where view_id = ${id} and day between ${range.start}::date and ${range.end}::date`,
    ),
  ]);
  return { keys, unattributed: { orders: Number(un?.orders ?? 0), revenue: Number(un?.revenue ?? 0) } };
}
