import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";

/**
 * Tracker health (SPEC 16): how many events the collector stored in the last hour and day, when
 * the last one arrived, and how many hits it dropped in the last day by reason. Kept as counters
 * per minute in `tracker_counters` (kind `event`, `drop:bot`, `drop:origin`, `drop:invalid`):
 * counts and times only, nothing about the visitor. The collect queue adds to them in the same
 * statement that stores the events (write-sessions.ts addEvents, run by collect-queue.ts flushes)
 * and prunes rows past RETENTION_MS.
 */

export const DROP_REASONS = ["bot", "origin", "invalid"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Counter rows older than this are deleted (the widest window shown is one day). */
export const RETENTION_MS = 2 * 24 * 3600 * 1000;

export type TrackerHealth = {
  events_last_hour: number;
  events_last_day: number;
  /** ISO time of the last stored event within the kept two days, or null. */
  last_event_at: string | null;
  dropped_last_day: Record<DropReason, number>;
};

/** One counter increment: `count` hits of `kind` in the minute starting at `minute`. */
export type CounterRow = { minute: string; kind: string; count: number; last_at: string };

/** The minute bucket (ISO, seconds zeroed, UTC) of a time. */
export function minuteOf(at: Date | string): string {
  const t = typeof at === "string" ? Date.parse(at) : at.getTime();
  return new Date(t - (((t % 60_000) + 60_000) % 60_000)).toISOString();
}

/**
 * Adds counter rows in one upsert (`count = count + n`, `last_at = greatest(...)`). Rows of the same
 * minute and kind must already be summed by the caller (one row per key in one statement).
 */
export async function addCounters(db: Db, counters: CounterRow[]): Promise<void> {
  if (counters.length === 0) return;
  const json = JSON.stringify(counters);
  await db.execute(sql`
    INSERT INTO tracker_counters (minute, kind, count, last_at)
    SELECT x.minute, x.kind, x.count, x.last_at
    FROM json_to_recordset(${json}::json) AS x(minute timestamptz, kind text, count int, last_at timestamptz)
    ORDER BY x.minute, x.kind
    ON CONFLICT (minute, kind) DO UPDATE SET
      count = tracker_counters.count + excluded.count,
      last_at = greatest(tracker_counters.last_at, excluded.last_at)`);
}

/** Deletes counter rows of minutes before `before`. */
export async function pruneTrackerCounters(db: Db, before: Date): Promise<void> {
  await db.execute(sql`DELETE FROM tracker_counters WHERE minute < ${before.toISOString()}::timestamptz`);
}

/**
 * The figures at `now`. A window covers the minute buckets that start within it: "last hour" is the
 * buckets starting after now − 60 min and not after now (the current minute and the 59 before it).
 */
export async function trackerHealth(db: Db, now: Date = new Date()): Promise<TrackerHealth> {
  const at = now.toISOString();
  const [r] = await rows<{ hour: number; day: number; last: string | null; bot: number; origin: number; invalid: number }>(
    db,
    sql`
    SELECT
      coalesce(sum(count) FILTER (WHERE kind = 'event' AND minute > ${at}::timestamptz - interval '1 hour'), 0)::int AS hour,
      coalesce(sum(count) FILTER (WHERE kind = 'event' AND minute > ${at}::timestamptz - interval '1 day'), 0)::int AS day,
      max(last_at) FILTER (WHERE kind = 'event') AS last,
      coalesce(sum(count) FILTER (WHERE kind = 'drop:bot' AND minute > ${at}::timestamptz - interval '1 day'), 0)::int AS bot,
      coalesce(sum(count) FILTER (WHERE kind = 'drop:origin' AND minute > ${at}::timestamptz - interval '1 day'), 0)::int AS origin,
      coalesce(sum(count) FILTER (WHERE kind = 'drop:invalid' AND minute > ${at}::timestamptz - interval '1 day'), 0)::int AS invalid
    FROM tracker_counters
    WHERE minute <= ${at}::timestamptz`,
  );
  return {
    events_last_hour: r.hour,
    events_last_day: r.day,
    last_event_at: r.last === null ? null : new Date(r.last).toISOString(),
    dropped_last_day: { bot: r.bot, origin: r.origin, invalid: r.invalid },
  };
}
