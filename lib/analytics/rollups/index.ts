import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { daysBetween, type DateRange } from "../calendar";
import { rangeInstants } from "../params";
import { refreshDays } from "./compute";
import { isForeignKeyViolation } from "@/lib/db/pg-errors";
import { compactMarks, dayStates, shouldMerge } from "./stamps";
import { forgetView, viewId, viewKey, type ViewSpec } from "./views";

/**
 * Day cells (issue 14): the session reports of a range of whole days read cached per-day cells of
 * their view and add them up, instead of scanning every session of the range. Exact by
 * construction (schema.ts "Day cells"): a day's cells are used only while its change stamp is the
 * one they were computed at; other days are recomputed first. Distinct visitors stay exact: each
 * cell keeps the numbers of its visitors and a range counts their union (visitor-set.ts).
 *
 * `path: "raw"` asks a report for its plain query (the equivalence test compares both);
 * "auto" uses cells for ranges longer than RAW_MAX_DAYS on a writable database (a read replica
 * cannot write cells, so it scans).
 */
export type ReadPath = "auto" | "cells" | "raw";
export type ReadOptions = { path?: ReadPath };

/** Up to a week a scan is as fast as reading cells and keeps today's churn out of the cache. */
const RAW_MAX_DAYS = 7;

export type Cell = {
  day: string;
  key: string;
  sessions: number;
  conversions: number;
  orders: number;
  revenue_cents: number;
  /** Σ sessions.refunded in cents (SPEC 17.5 accrual net revenue). */
  refunded_cents: number;
  new_sessions: number;
  new_conversions: number;
  new_revenue_cents: number;
  bounced: number;
  page_views: number;
  funnel1: number;
  funnel2: number;
  funnel3: number;
  events: number;
  /** Σ of the sessions' profit facts (SPEC 18, lib/profit): cents, and a count. */
  margin_cents: number;
  uncosted_orders: number;
  uncosted_net_cents: number;
  uncosted_revenue_cents: number;
  visitors: Buffer;
};

const writable = new WeakMap<Db, Promise<boolean>>();
function canWrite(db: Db): Promise<boolean> {
  let p = writable.get(db);
  if (!p) {
    p = rows<{ r: boolean }>(db, sql`select pg_is_in_recovery() as r`).then(
      ([x]) => !x?.r,
      () => false,
    );
    writable.set(db, p);
  }
  return p;
}

/** Whether a report should read cells for this range. */
export async function servedByCells(db: Db, range: DateRange, opts: ReadOptions = {}): Promise<boolean> {
  const path = opts.path ?? "auto";
  if (path === "raw") return false;
  if (path === "auto" && daysBetween(range.start, range.end) + 1 <= RAW_MAX_DAYS) return false;
  return canWrite(db);
}

/**
 * The cells of `view` for every day of `range`, recomputing the days whose stamp moved.
 * `visitors: false` leaves each cell's visitor set empty: a report without distinct visitors
 * skips reading them (at 10M sessions a year of a view's sets is ~20 MB).
 */
export async function loadCells(db: Db, view: ViewSpec, range: DateRange, opts: { visitors?: boolean } = {}, retried = false): Promise<Cell[]> {
  const { from, to } = rangeInstants(range, view.tz);
  const id = await viewId(db, view);
  // Stamps are read before any cell is computed: a write committed after this read changes the
  // day's stamp, so cells that saw it (or not) are recomputed on the next read either way.
  const { days, excess, viewExists } = await dayStates(db, { id, key: viewKey(view) }, range, view.tz, from, to);
  if (!viewExists) {
    // The remembered id was evicted (or the tables emptied): look the view up again.
    if (retried) throw new Error("rollup view vanished twice in a row");
    forgetView(db, view);
    return loadCells(db, view, range, opts, true);
  }
  const stale = days.filter((d) => !d.fresh).map((d) => d.day);
  if (stale.length) {
    try {
      await refreshDays(db, id, view, new Map(days.map((d) => [d.day, d.stamp])), stale);
    } catch (e) {
      // The view was evicted meanwhile (its id is gone): forget it and ask once more.
      if (!isForeignKeyViolation(e) || retried) throw e;
      forgetView(db, view);
      return loadCells(db, view, range, opts, true);
    }
  }
  // Housekeeping only: a failed merge leaves the sums as they were, so the report goes on.
  if (shouldMerge(excess)) await compactMarks(db, from, to).catch(() => undefined);
  const got = await rows<Omit<Cell, "visitors"> & { visitors: string | null }>(
    db,
    // base64 travels in half the characters of bytea's hex text (both drivers decode it natively).
    sql`select to_char(day, 'YYYY-MM-DD') as day, key, sessions, conversions, orders, revenue_cents::float8 as revenue_cents,
          refunded_cents::float8 as refunded_cents,
          new_sessions, new_conversions, new_revenue_cents::float8 as new_revenue_cents, bounced, page_views::float8 as page_views,
          funnel1, funnel2, funnel3, events, margin_cents::float8 as margin_cents, uncosted_orders,
          uncosted_net_cents::float8 as uncosted_net_cents, uncosted_revenue_cents::float8 as uncosted_revenue_cents, ${opts.visitors === false ? sql`''` : sql`encode(visitor_nums, 'base64')`} as visitors
        from rollup_cells where view_id = ${id} and day between ${range.start}::date and ${range.end}::date`,
  );
  return got.map((c) => ({
    ...c,
    revenue_cents: Number(c.revenue_cents),
    refunded_cents: Number(c.refunded_cents),
    new_revenue_cents: Number(c.new_revenue_cents),
    page_views: Number(c.page_views),
    margin_cents: Number(c.margin_cents),
    uncosted_net_cents: Number(c.uncosted_net_cents),
    uncosted_revenue_cents: Number(c.uncosted_revenue_cents),
    visitors: Buffer.from(c.visitors ?? "", "base64"),
  }));
}
