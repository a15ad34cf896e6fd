import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import type { DateRange } from "../calendar";

/**
 * Change stamps of local days (see schema.ts "Day cells"): the sum of the mark weights of every
 * UTC hour that overlaps the day in `tz`. Marks are only ever added (or merged, keeping the sum),
 * so a day's stamp changes with every committed write to its sessions. A day without marks holds
 * no session: the migration marked every session stored before the trigger existed.
 */

/** Advisory lock space of the rollup writers: (space, view id) per view, (space, 0 / −1 / −2) the mark mergers. */
export const ROLLUP_LOCK_SPACE = 7214;

/** Unmerged mark rows tolerated in a range before a reader merges them. */
const MERGE_AFTER = 2_000;

export type DayState = { day: string; stamp: number; fresh: boolean };

type MarkStamps = { stamps: Map<string, number>; excess: number };

/** Reads of day stamps about to start, per database handle and (range, zone). */
const joining = new WeakMap<Db, Map<string, Promise<MarkStamps>>>();

/**
 * The stamp of each marked day of `range` in `tz`, and how many mark rows could be merged away.
 * Callers asking for the same range and zone in the same turn of the event loop (the dashboard's
 * blocks: a dozen views of one range) share one read. It starts after all of them asked, so it
 * sees every write committed before any of them began, as a read of its own would; a caller that
 * asks once it has started waits for the next read.
 */
function markStamps(db: Db, range: DateRange, tz: string, from: Date, to: Date): Promise<MarkStamps> {
  let byKey = joining.get(db);
  if (!byKey) joining.set(db, (byKey = new Map()));
  const key = JSON.stringify([range.start, range.end, tz]);
  const open = byKey.get(key);
  if (open) return open;
  const read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    byKey.delete(key);
    return readMarkStamps(db, range, tz, from, to);
  });
  byKey.set(key, read);
  return read;
}

async function readMarkStamps(db: Db, range: DateRange, tz: string, from: Date, to: Date): Promise<MarkStamps> {
  const got = await rows<{ day: string | null; stamp: number; excess: number }>(
    db,
    sql`with raw as (
          select hour, weight from session_changes
          where hour >= date_trunc('hour', ${from.toISOString()}::timestamptz at time zone 'UTC')
            and hour < (${to.toISOString()}::timestamptz at time zone 'UTC')
        ), marks as (
          select hour, sum(weight) as w, count(*) - 1 as extra,
                 ((hour at time zone 'UTC') at time zone ${tz})::date as d1,
                 (((hour + interval '1 hour' - interval '1 microsecond') at time zone 'UTC') at time zone ${tz})::date as d2
          from raw group by hour
        ), stamps as (
          select d, sum(w) as stamp from (
            select d1 as d, w from marks
            union all
            select d2, w from marks where d2 <> d1
          ) x
          where d between ${range.start}::date and ${range.end}::date
          group by d
        )
        select to_char(s.d, 'YYYY-MM-DD') as day, s.stamp::float8 as stamp,
               (select coalesce(sum(extra), 0) from marks)::float8 as excess
        from (select 1) one left join stamps s on true`,
  );
  return {
    stamps: new Map(got.filter((r) => r.day !== null).map((r) => [r.day!, Number(r.stamp)])),
    excess: got.length ? Number(got[0].excess) : 0,
  };
}

/**
 * Each marked day of `range` with its stamp and whether view `viewId` holds cells computed at that
 * stamp; plus how many mark rows could be merged away, and whether the view still exists.
 */
export async function dayStates(
  db: Db,
  view: { id: number; key: string },
  range: DateRange,
  tz: string,
  from: Date,
  to: Date,
): Promise<{ days: DayState[]; excess: number; viewExists: boolean }> {
  const [marks, kept] = await Promise.all([markStamps(db, range, tz, from, to), keptDays<{ stamp: number }>(db, "rollup_days", view, range, sql``)]);
  const stored = new Map(kept.days.map((r) => [r.day, Number(r.stamp)]));
  return {
    days: [...marks.stamps].map(([day, stamp]) => ({ day, stamp, fresh: stored.get(day) === stamp })),
    excess: marks.excess,
    viewExists: kept.viewExists,
  };
}

/**
 * The days of `range` a view has computed in `table` (day, stamp and `columns`), and whether the
 * view still exists, in one statement (the left join answers a row even when no day is kept).
 */
export async function keptDays<T extends object>(
  db: Db,
  table: "rollup_days" | "rollup_attribution_days",
  view: { id: number; key: string },
  range: DateRange,
  columns: SQL,
): Promise<{ days: (T & { day: string; stamp: number })[]; viewExists: boolean }> {
  const got = await rows<T & { day: string | null; stamp: number; view_exists: boolean }>(
    db,
    sql`select to_char(k.day, 'YYYY-MM-DD') as day, k.stamp::float8 as stamp${columns},
               exists (select 1 from rollup_views v where v.id = ${view.id} and v.key = ${view.key}) as view_exists
        from (select 1) one left join ${sql.raw(table)} k
          on k.view_id = ${view.id} and k.day between ${range.start}::date and ${range.end}::date`,
  );
  return {
    days: got.filter((r): r is T & { day: string; stamp: number; view_exists: boolean } => r.day !== null),
    viewExists: got.length ? got[0].view_exists : false,
  };
}

/** The append-only mark tables: sessions' (0004), orders' and touchpoints' (0005); each has its merge lock. */
const MERGE_KEYS = { session_changes: 0, order_changes: -1, touchpoint_changes: -2 } as const;
export type MarkTable = keyof typeof MERGE_KEYS;

/**
 * Merge the marks of each hour of the range into one row (same sums, fewer rows to add up). One
 * merger per table at a time (a try-lock: a request that does not get it skips, the next one
 * merges), so two requests never delete the same marks in opposite orders.
 */
export async function compactMarks(db: Db, from: Date, to: Date, table: MarkTable = "session_changes"): Promise<void> {
  const t = sql.raw(table);
  await rows(
    db,
    sql`with lock as (
          select pg_try_advisory_xact_lock(${ROLLUP_LOCK_SPACE}, ${MERGE_KEYS[table]}) as ok
        ), dup as (
          select hour from ${t}
          where hour >= date_trunc('hour', ${from.toISOString()}::timestamptz at time zone 'UTC')
            and hour < (${to.toISOString()}::timestamptz at time zone 'UTC')
            and (select ok from lock)
          group by hour having count(*) > 1
        ), gone as (
          delete from ${t} c using dup where c.hour = dup.hour returning c.hour, c.weight
        )
        insert into ${t} (hour, weight) select hour, sum(weight)::int from gone group by hour`,
  );
}

export const shouldMerge = (excess: number): boolean => excess > MERGE_AFTER;
