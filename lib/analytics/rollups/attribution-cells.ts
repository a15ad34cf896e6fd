import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { isForeignKeyViolation } from "@/lib/db/pg-errors";
import type { KeySums } from "../attribution";
import { ATTRIBUTION_DIMENSIONS, creditColumns, creditsCtes, MODEL_COLUMN, modelSums, type AttributionDimension } from "../attribution-credits";
import { addDays, daysBetween, type DateRange } from "../calendar";
import { filterConditions } from "../filters";
import { rangeInstants, startOfDayInstant, type Filters } from "../params";
import { ATTRIBUTION_MODELS } from "../vocabulary";
import { dayRuns } from "./compute";
import { checkRefreshDeadline, yieldToOthers } from "./deadline";
import { compactMarks, keptDays, ROLLUP_LOCK_SPACE, shouldMerge } from "./stamps";
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

/** The cells' sum columns: `<model>_conv`, `<model>_rev` per model (attribution-credits.ts modelSums). */
const SUM_COLUMNS = ATTRIBUTION_MODELS.flatMap((m) => [`${MODEL_COLUMN[m]}_conv`, `${MODEL_COLUMN[m]}_rev`]);

const spec = (v: AttributionViewInput): ViewSpec => ({
  kind: "attribution",
  column: ATTRIBUTION_DIMENSIONS[v.dimension],
  tz: v.tz,
  filters: v.filters,
  windowHours: v.windowHours,
});

const HOUR = 3_600_000;
const floorHour = (ms: number) => Math.floor(ms / HOUR) * HOUR;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR) * HOUR;
/** A UTC hour as the mark tables store it (`timestamp`, UTC). */
const hourText = (ms: number) => new Date(ms).toISOString().slice(0, 19);

type Marks = { at: number[]; before: number[]; extra: number };

/** The marks of [from, to) per hour, with running sums: Σ over [a, b) is before(b) − before(a). */
async function hourMarks(db: Db, table: "order_changes" | "touchpoint_changes", from: number, to: number): Promise<Marks> {
  const got = await rows<{ t: number; w: number; extra: number }>(
    db,
    sql`select extract(epoch from hour)::float8 * 1000 as t, sum(weight)::float8 as w, (count(*) - 1)::float8 as extra
        from ${sql.raw(table)} where hour >= ${hourText(from)}::timestamp and hour < ${hourText(to)}::timestamp
        group by hour order by hour`,
  );
  const at: number[] = [];
  const before: number[] = [0];
  let extra = 0;
  for (const r of got) {
    at.push(Number(r.t));
    before.push(before[before.length - 1] + Number(r.w));
    extra += Number(r.extra);
  }
  return { at, before, extra };
}

/** Σ of the marks of the hours in [a, b). */
function sumMarks(m: Marks, a: number, b: number): number {
  const index = (t: number) => {
    let lo = 0;
    let hi = m.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (m.at[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return m.before[index(b)] - m.before[index(a)];
}

/**
 * Each day of `range` that holds orders, with its stamp and whether the view's cells were
 * computed at it; how many mark rows could be merged; whether the view still exists. The spans
 * are whole UTC hours, one more on each side than the day's instants need (a zone whose midnight
 * falls in a DST gap may place a day's edge an hour off; a wider span only recomputes more).
 */
async function attributionDayStates(db: Db, view: { id: number; key: string }, v: AttributionViewInput, range: DateRange) {
  const kept = await keptDays<{ dep_from: number | null; dep_to: number | null }>(
    db,
    "rollup_attribution_days",
    view,
    range,
    sql`, extract(epoch from k.dep_from)::float8 * 1000 as dep_from, extract(epoch from k.dep_to)::float8 * 1000 as dep_to`,
  );
  const stored = new Map(kept.days.map((r) => [r.day, r]));
  const rangeFrom = startOfDayInstant(range.start, v.tz).getTime();
  const rangeTo = startOfDayInstant(addDays(range.end, 1), v.tz).getTime();
  const orders = await hourMarks(db, "order_changes", floorHour(rangeFrom) - HOUR, ceilHour(rangeTo) + HOUR);
  // Only the days near an order mark can hold orders: a day's span reaches at most an hour past
  // its edges and any zone is within ±14 h of UTC, so its local date is the mark's UTC date ±1.
  // Walking those days, not every day of the range, keeps the JS work to the data's size
  // (1970-01-01…2999-12-31 was 376,000 days of zone arithmetic, 25 s on one CPU).
  const candidates = new Set<string>();
  for (const t of orders.at) {
    const utc = new Date(t).toISOString().slice(0, 10);
    for (const d of [addDays(utc, -1), utc, addDays(utc, 1)]) if (d >= range.start && d <= range.end) candidates.add(d);
  }
  const days = [];
  for (const day of [...candidates].sort()) {
    const ds = startOfDayInstant(day, v.tz).getTime();
    const de = startOfDayInstant(addDays(day, 1), v.tz).getTime();
    const oFrom = floorHour(ds) - HOUR;
    const oTo = ceilHour(de) + HOUR;
    const ordersW = sumMarks(orders, oFrom, oTo);
    if (ordersW === 0) continue; // no order was ever placed that day
    const k = stored.get(day);
    days.push({
      day,
      ordersW,
      sFrom: k?.dep_from != null ? Number(k.dep_from) : floorHour(ds - v.windowHours * HOUR) - HOUR,
      sTo: k?.dep_to != null ? Number(k.dep_to) : ceilHour(de) + HOUR,
      kept: k ? Number(k.stamp) : null,
    });
  }
  // No spread into Math.min/max: a long list of arguments overflows the stack.
  let sLo = rangeFrom;
  let sHi = rangeTo;
  for (const d of days) {
    if (d.sFrom < sLo) sLo = d.sFrom;
    if (d.sTo > sHi) sHi = d.sTo;
  }
  const touch = days.length ? await hourMarks(db, "touchpoint_changes", sLo, sHi) : { at: [], before: [0], extra: 0 };
  const stale: DayState[] = [];
  for (const d of days) {
    const stamp = d.ordersW + sumMarks(touch, d.sFrom, d.sTo);
    if (d.kept !== stamp) stale.push({ day: d.day, stamp, s_from: hourText(d.sFrom), s_to: hourText(d.sTo) });
  }
  return {
    stale,
    excess: orders.extra + touch.extra,
    sessionSpan: { from: new Date(sLo), to: new Date(sHi) },
    viewExists: kept.viewExists,
  };
}

/** Recomputes the given days' cells (runs of at most a week, each one statement under the view's lock). */
async function refreshAttributionDays(db: Db, id: number, v: AttributionViewInput, stale: readonly DayState[]): Promise<void> {
  const byDay = new Map(stale.map((s) => [s.day, s]));
  const keyCol = sql.raw(`w.${ATTRIBUTION_DIMENSIONS[v.dimension]}`);
  let done = 0;
  for (const run of dayRuns([...byDay.keys()])) {
    // At least one run per request, so asking again always gets further (deadline.ts).
    if (done > 0) checkRefreshDeadline(done, byDay.size);
    await yieldToOthers();
    done += daysBetween(run.start, run.end) + 1;
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
              insert into rollup_attribution_cells (view_id, day, key, ${sql.raw(SUM_COLUMNS.join(", "))}, credited)
              select ${id}, agg.d, agg.key, ${sql.raw(SUM_COLUMNS.map((c) => `agg.${c}`).join(", "))}, agg.credited
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
    await compactMarks(db, sessionSpan.from, sessionSpan.to, "touchpoint_changes").catch(() => undefined);
  }
  const sums = SUM_COLUMNS.map((c) => `sum(${c}) as ${c}`);
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
