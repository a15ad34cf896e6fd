import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { money } from "./format";
import { badRequest } from "@/lib/errors";
import { addDays, dateInZone, daysBetween, parseParams, rangeInstants, type AnalyticsQuery, type DateRange, type SearchInput } from "./params";
import { totalsView } from "./general-stats";
import { cashRefundsBy, isCash, withCashRefunds } from "./net-revenue";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { fromCents, sumBy } from "./rollups/sum";
import { figures, ROW_FIGURES } from "./session-figures";

/**
 * Time series (SPEC 4): every calendar bucket of the range in APP_TIMEZONE, zeros included; a
 * bucket's figures are the sessions started in it (and in the range) with their orders whenever
 * placed. Buckets are drawn by generate_series in SQL, so empty ones cost nothing in JS.
 */

export const INTERVALS = ["hour", "day", "week", "month"] as const;
/** `interval=hour` is allowed for ranges up to this many days (SPEC 12). */
export const MAX_HOUR_DAYS = 2;
export type Interval = (typeof INTERVALS)[number];
/**
 * At most this many buckets in one answer (SPEC 21): 1970…2999 by day is 376,000 points (38 MB
 * of JSON, 13 s); 15,000 days is 41 years, and by month any range the parser accepts fits.
 */
export const MAX_BUCKETS = 15_000;
const BUCKET_DAYS: Record<Exclude<Interval, "hour">, number> = { day: 1, week: 7, month: 28 };

export type TimeseriesPoint = {
  date: string;
  sessions: number;
  visitors: number;
  conversions: number;
  orders: number;
  revenue: number;
  /** revenue − refunds (SPEC 17.5): accrual, the refunds of the bucket's sessions' orders; cash, the refunds dated in the bucket. */
  net_revenue: number;
};
type RawPoint = Omit<TimeseriesPoint, "net_revenue"> & { refunded: number };
export type Timeseries = { interval: Interval; points: TimeseriesPoint[] };

const schema = z.object({ interval: z.enum(INTERVALS, { error: `must be one of ${INTERVALS.join(", ")}` }).optional() });

export function parseInterval(sp: SearchInput): Interval | undefined {
  return parseParams(sp, schema).interval;
}

/** SPEC default: hour for one day (SPEC 12), day up to 92 days, week up to 730, else month. */
export function defaultInterval(start: string, end: string): Interval {
  const days = daysBetween(start, end) + 1;
  return days === 1 ? "hour" : days <= 92 ? "day" : days <= 730 ? "week" : "month";
}

/**
 * The range the series draws: `period=all` starts at the first session's date, not in 2000
 * (the dashboard's chart marks its first bucket partial from the same start).
 */
export async function drawnRange(db: Db, q: AnalyticsQuery): Promise<DateRange> {
  return (await clampAll(db, q)).range;
}

async function clampAll(db: Db, q: AnalyticsQuery): Promise<AnalyticsQuery> {
  if (q.period !== "all") return q;
  const [r] = await rows<{ first: string | null }>(
    db,
    sql`select to_char(min(started_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as first from sessions`,
  );
  const start = r?.first ? dateInZone(new Date(r.first), q.tz) : q.range.end;
  return start > q.range.start && start <= q.range.end ? { ...q, range: { ...q.range, start } } : q;
}

/**
 * Hour buckets (SPEC 12): every hour from the range's first local midnight to the end of its last
 * day, as UTC instants, so a DST day has 23 or 25 of them. A session's bucket is the whole hours
 * elapsed since that midnight, which is its local hour start in any zone with whole-hour offsets.
 */
async function hourly(db: Db, q: AnalyticsQuery): Promise<Timeseries> {
  const { from, to } = rangeInstants(q.range, q.tz);
  const hours = Math.round((to.getTime() - from.getTime()) / 3_600_000);
  const got = await rows<Omit<RawPoint, "date"> & { h: number }>(
    db,
    sql`select floor(extract(epoch from (s.started_at - ${from.toISOString()}::timestamptz)) / 3600)::int as h,
               ${figures(...ROW_FIGURES)}
        from sessions s
        where ${sessionWhere(q, "s")}
        group by 1`,
  );
  const byHour = new Map(got.map((r) => [r.h, r]));
  const cash = isCash(q)
    ? await cashRefundsBy(db, q, sql`floor(extract(epoch from (r.refunded_at - ${from.toISOString()}::timestamptz)) / 3600)::int`)
    : undefined;
  const points: TimeseriesPoint[] = [];
  for (let h = 0; h < hours; h++) {
    const r = byHour.get(h);
    points.push({
      date: new Date(from.getTime() + h * 3_600_000).toISOString(),
      sessions: r?.sessions ?? 0,
      visitors: r?.visitors ?? 0,
      conversions: r?.conversions ?? 0,
      orders: r?.orders ?? 0,
      revenue: money(r?.revenue ?? 0),
      net_revenue: money((r?.revenue ?? 0) - (cash ? (cash.get(String(h)) ?? 0) : (r?.refunded ?? 0))),
    });
  }
  return { interval: "hour", points };
}

/** The bucket a local date falls in: itself, its ISO week's Monday (date_trunc('week')), its month's first day. */
export function bucketOf(date: string, interval: Exclude<Interval, "hour">): string {
  if (interval === "day") return date;
  if (interval === "month") return `${date.slice(0, 7)}-01`;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}

/** The first day of the bucket after `bucket` (day, ISO week or month). */
export function nextBucket(bucket: string, interval: Exclude<Interval, "hour">): string {
  if (interval === "day") return addDays(bucket, 1);
  if (interval === "week") return addDays(bucket, 7);
  const y = Number(bucket.slice(0, 4));
  const m = Number(bucket.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, "0")}-01-01` : `${bucket.slice(0, 5)}${String(m + 1).padStart(2, "0")}-01`;
}

/** Every bucket of the range from its day cells (rollups/index.ts), zeros included. */
async function fromCells(db: Db, q: AnalyticsQuery, interval: Exclude<Interval, "hour">): Promise<RawPoint[]> {
  const cells = await loadCells(db, totalsView(q), q.range);
  const sums = sumBy(cells, (c) => bucketOf(c.day, interval));
  const points: RawPoint[] = [];
  for (let b = bucketOf(q.range.start, interval); b <= q.range.end; b = nextBucket(b, interval)) {
    const c = sums.get(b);
    points.push({
      date: b,
      sessions: c?.sessions ?? 0,
      visitors: c?.visitors ?? 0,
      conversions: c?.conversions ?? 0,
      orders: c?.orders ?? 0,
      revenue: fromCents(c?.revenue_cents ?? 0),
      refunded: fromCents(c?.refunded_cents ?? 0),
    });
  }
  return points;
}

export async function getTimeseries(db: Db, query: AnalyticsQuery, opts: { interval?: Interval } & ReadOptions = {}): Promise<Timeseries> {
  if (opts.interval === "hour" && daysBetween(query.range.start, query.range.end) + 1 > MAX_HOUR_DAYS) {
    const message = `interval=hour allows ranges of at most ${MAX_HOUR_DAYS} days`;
    throw badRequest(message, [{ path: "interval", message }]);
  }
  const q = await clampAll(db, query);
  const interval = opts.interval ?? defaultInterval(q.range.start, q.range.end);
  if (interval === "hour") return hourly(db, q);
  const buckets = (daysBetween(q.range.start, q.range.end) + 1) / BUCKET_DAYS[interval];
  if (buckets > MAX_BUCKETS) {
    const longest = MAX_BUCKETS * BUCKET_DAYS[interval];
    const message = `interval=${interval} allows ranges of at most ${longest} days (${MAX_BUCKETS} buckets); choose a longer interval or a shorter range`;
    throw badRequest(message, [{ path: opts.interval ? "interval" : "start_date", message }]);
  }
  const raw = (await servedByCells(db, q.range, opts)) ? await fromCells(db, q, interval) : await rawPoints(db, q, interval);
  // basis=cash (SPEC 17.5): a bucket's refunds are those dated in it (and in the range).
  const unit = sql.raw(`'${interval}'`); // from INTERVALS only
  const points = isCash(q)
    ? withCashRefunds(raw, await cashRefundsBy(db, q, sql`to_char(date_trunc(${unit}, r.refunded_at at time zone ${q.tz}), 'YYYY-MM-DD')`), (p) => p.date)
    : raw;
  return {
    interval,
    points: points.map(({ refunded, ...p }) => ({ ...p, revenue: money(p.revenue), net_revenue: money(p.revenue - refunded) })),
  };
}

async function rawPoints(db: Db, q: AnalyticsQuery, interval: Exclude<Interval, "hour">): Promise<RawPoint[]> {
  const unit = sql.raw(`'${interval}'`); // from INTERVALS only
  const step = sql.raw(`interval '1 ${interval}'`);
  const bucket = sql`date_trunc(${unit}, s.started_at at time zone ${q.tz})::date`;
  return rows<RawPoint>(
    db,
    sql`with buckets as (
          select g::date as d
          from generate_series(date_trunc(${unit}, ${q.range.start}::date::timestamp), ${q.range.end}::date::timestamp, ${step}) g
        ), agg as (
          select ${bucket} as d, ${figures(...ROW_FIGURES)}
          from sessions s
          where ${sessionWhere(q, "s")}
          group by 1
        )
        select to_char(b.d, 'YYYY-MM-DD') as date,
               coalesce(a.sessions, 0)::int as sessions, coalesce(a.visitors, 0)::int as visitors,
               coalesce(a.conversions, 0)::int as conversions, coalesce(a.orders, 0)::int as orders,
               coalesce(a.revenue, 0)::float8 as revenue, coalesce(a.refunded, 0)::float8 as refunded
        from buckets b left join agg a on a.d = b.d
        order by b.d`,
  );
}
